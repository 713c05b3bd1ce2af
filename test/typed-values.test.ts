// defineWorkflow's typed values. The compile-time half is checked by `tsc --noEmit` (part of npm test): each
// line marked to expect an error below must stay an error, or tsc fails on the unused directive.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defineWorkflow } from '../app/engine/definition.ts';
import { checkWorkflow } from '../app/engine/check.ts';

const workflow = defineWorkflow({
  id: 'typed',
  title: 'Typed',
  steps: [
    {
      id: 'a',
      title: 'A',
      fields: [
        { key: 'name', kind: 'text', label: 'Name', required: true },
        { key: 'depth', kind: 'integer', label: 'Depth', required: true },
        { key: 'maybe', kind: 'integer', label: 'Maybe' },
        { key: 'who', kind: 'group', label: 'Who', fields: [{ key: 'adults', kind: 'integer', label: 'Adults', required: true }] },
        { key: 'stops', kind: 'list', label: 'Stops', fields: [{ key: 'place', kind: 'text', label: 'Place' }] },
      ],
    },
    {
      id: 'b',
      title: 'B',
      when: ({ depth }) => depth > 2,
      fields: [{ key: 'greeting', kind: 'text', label: 'Greeting', default: ({ name, who, stops }) => `Hi ${name.trim()} (${who.adults + 1}, ${stops.map((s) => s.place).join('/')})` }],
    },
    {
      id: 'c',
      title: 'C',
      fields: [
        // @ts-expect-error: no earlier step has a field "nmae".
        { key: 'typo', kind: 'text', label: 'T', default: ({ nmae }) => String(nmae) },
        // @ts-expect-error: an optional integer may be null.
        { key: 'nullable', kind: 'number', label: 'N', default: ({ maybe }) => maybe + 1 },
        // @ts-expect-error: a step with `when` may be skipped, so its values may be undefined.
        { key: 'skippable', kind: 'text', label: 'S', default: ({ greeting }) => greeting.toUpperCase() },
        // validate's value is its own kind's type: a number here.
        { key: 'count', kind: 'number', label: 'Count', validate: (value, { depth }) => (value > depth ? 'Too many.' : undefined) },
        // @ts-expect-error: a number field's value is not a string.
        { key: 'wrong', kind: 'number', label: 'W', validate: (value) => value.toUpperCase() },
        { key: 'pick', kind: 'select', label: 'Pick', options: ({ depth }) => Array.from({ length: depth }, (_, i) => String(i)) },
      ],
    },
  ],
});

test('defineWorkflow returns the definition as written, and it is sound', () => {
  assert.equal(workflow.steps.length, 3);
  assert.deepEqual(checkWorkflow(workflow), []);
  assert.equal(workflow.steps[1].when?.({ depth: 3 }), true);
});
