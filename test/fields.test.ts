// Reading fields from a posted form: typed values, messages, and a group's own check.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Field } from '../app/engine/definition.ts';
import { parseField, type FieldErrors } from '../app/engine/fields.ts';
import { checkWorkflow } from '../app/engine/check.ts';

const traveller: Field = {
  key: 'traveller',
  kind: 'group',
  label: 'Traveller',
  fields: [
    { key: 'adults', kind: 'number', label: 'Adults', required: true, integer: true },
    { key: 'children', kind: 'number', label: 'Children', integer: true },
  ],
  validate: (v) => (Number(v.children ?? 0) > Number(v.adults) * 3 ? 'At most three children per adult.' : undefined),
};

test("a group's validate sees the whole object once its fields are acceptable, and its message sits on the group", () => {
  const cases: [Record<string, string>, FieldErrors][] = [
    [{ 'traveller.adults': '1', 'traveller.children': '2' }, {}],
    [{ 'traveller.adults': '1', 'traveller.children': '4' }, { traveller: 'At most three children per adult.' }],
    // A bad field inside: its own message, and the group's check does not run on a half-read object.
    [{ 'traveller.adults': '', 'traveller.children': '9' }, { 'traveller.adults': 'Adults is required.' }],
  ];
  for (const [raw, expected] of cases) {
    const errors: FieldErrors = {};
    parseField(traveller, raw, '', {}, errors);
    assert.deepEqual(errors, expected, JSON.stringify(raw));
  }
});

test('a workflow may not name a step or key after what every object has, nor mark a group required', () => {
  const problems = checkWorkflow({
    id: 'names',
    title: 'Names',
    steps: [
      { id: 'constructor', title: 'A', fields: [{ key: 'toString', kind: 'text', label: 'T' }] },
      { id: 'b', title: 'B', fields: [{ ...traveller, required: true }] },
    ],
  });
  assert.deepEqual(problems, [
    'step 1 (constructor): id must be lowercase letters, digits and dashes, and not a name every object has',
    'step 1 (constructor), field "toString": key must be letters, digits and _ (and not a name every object has, such as constructor or toString)',
    'step 2 (b), field "traveller": required means nothing on a group; mark its fields required',
  ]);
});
