// The pure decisions behind lists and conditional steps, without I/O: rewriting a form's rows, and which steps
// a workflow's conditions skip for a folded state.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Field } from '../app/fields/registry.ts';
import { editRows } from '../app/fields/rows.ts';
import { placesOf } from '../app/engine/skips.ts';
import { fold } from '../app/log/fold.ts';
import type { LogEvent, NewEvent } from '../app/log/events.ts';
import type { Workflow } from '../app/engine/definition.ts';
import { parseField, toRaw, type FieldErrors } from '../app/engine/fields.ts';

const stops: Field = {
  key: 'stops',
  kind: 'list',
  label: 'Stops',
  max: 3,
  fields: [
    { key: 'place', kind: 'text', label: 'Place', required: true },
    { key: 'tags', kind: 'choices', label: 'Tags', options: ['a', 'b'] },
    { key: 'nights', kind: 'integer', label: 'Nights', default: 1 },
  ],
};
const three = { 'stops:rows': '3', 'stops.0.place': 'A', 'stops.1.place': 'B', 'stops.1.tags': ['a', 'b'], 'stops.2.place': 'C', other: 'kept' };

test('row actions rewrite the names of the rows and keep every typed value; a new row has its defaults', () => {
  assert.deepEqual(editRows([stops], { ...three, ':list': 'remove:stops.0' }, {}), {
    'stops:rows': '2', 'stops.0.place': 'B', 'stops.0.tags': ['a', 'b'], 'stops.1.place': 'C', other: 'kept', ':focus': 'stops.0',
  });
  assert.deepEqual(editRows([stops], { ...three, ':list': 'down:stops.1' }, {}), {
    'stops:rows': '3', 'stops.0.place': 'A', 'stops.1.place': 'C', 'stops.2.place': 'B', 'stops.2.tags': ['a', 'b'], other: 'kept', ':focus': 'stops.2',
  });
  assert.deepEqual(editRows([stops], { 'stops:rows': '1', 'stops.0.place': 'A', ':list': 'add:stops' }, {}), {
    'stops:rows': '2', 'stops.0.place': 'A', 'stops.1.nights': '1', ':focus': 'stops.1',
  });
  assert.equal(editRows([stops], { 'stops:rows': '1', 'stops.0.place': 'A', ':list': 'remove:stops.0' }, {})?.[':focus'], 'stops', 'the last row removed: the list');
  // Past max, out of range, or unknown: the form comes back as it was (without the action).
  const { ':list': _, ...same } = { ...three, ':list': '' };
  for (const action of ['add:stops', 'up:stops.0', 'down:stops.2', 'remove:stops.7', 'add:nowhere', 'explode:stops']) {
    const { ':focus': _focus, ...rest } = editRows([stops], { ...three, ':list': action }, {})!;
    assert.deepEqual(rest, same, action);
  }
  assert.equal(editRows([stops], three, {}), undefined, 'no action: a submit');
});

test('a list reads as rows of objects, written back the same; min, max and required get their messages', () => {
  const errors: FieldErrors = {};
  const value = parseField(stops, { 'stops:rows': '2', 'stops.0.place': 'A', 'stops.0.nights': '2', 'stops.1.place': 'B', 'stops.1.tags': 'b' }, '', {}, errors);
  assert.deepEqual(errors, {});
  assert.deepEqual(value, [{ place: 'A', tags: [], nights: 2 }, { place: 'B', tags: ['b'], nights: null }]);
  const raw = {};
  toRaw(stops, value, '', raw);
  const again: FieldErrors = {};
  assert.deepEqual(parseField(stops, raw, '', {}, again), value);
  const bad: FieldErrors = {};
  parseField({ ...stops, min: 2 } as Field, { 'stops:rows': '1', 'stops.0.place': '' }, '', {}, bad);
  assert.deepEqual(bad, { 'stops.0.place': 'Place is required.', stops: 'Stops needs at least 2 rows.' });
});

const workflow: Workflow = {
  id: 'w',
  title: 'W',
  steps: [
    { id: 'a', title: 'A', fields: [{ key: 'n', kind: 'integer', label: 'N' }] },
    { id: 'b', title: 'B', when: ({ n }) => Number(n) > 2, skipReason: ({ n }) => `n is ${n}`, fields: [{ key: 'x', kind: 'text', label: 'X' }] },
    { id: 'c', title: 'C', when: () => { throw new Error('broken'); }, fields: [{ key: 'y', kind: 'text', label: 'Y' }] },
    { id: 'd', title: 'D', fields: [] },
  ],
};

/** A folded state from events without their place. */
function stateOf(events: NewEvent[]) {
  const placed = [{ type: 'session.started', workflow: 'w', version: 'v', forkedFrom: null } as NewEvent, ...events].map(
    (e, i) => ({ ...e, seq: i + 1, at: '2026-01-01T00:00:00.000Z', hash: '' }) as LogEvent,
  );
  return fold(placed);
}

const set = (step: string, key: string, value: number | string): NewEvent => ({ type: 'param.set', step, key, value, source: 'user' });
const done = (step: string): NewEvent => ({ type: 'step.completed', step });

test('conditions are read from the values before each step: skipped with the reason, values of skipped steps not counted, a throwing condition asks', () => {
  const status = (events: NewEvent[]) => placesOf(workflow, stateOf(events)).places.map((p) => (p.status === 'skipped' ? `${p.step.id}:skipped(${p.reason})` : `${p.step.id}:${p.status}`));
  assert.deepEqual(status([]), ['a:open', 'b:pending', 'c:pending', 'd:pending']);
  assert.deepEqual(status([set('a', 'n', 1), done('a')]), ['a:done', 'b:skipped(n is 1)', 'c:open', 'd:pending']);
  assert.deepEqual(status([set('a', 'n', 5), done('a')]), ['a:done', 'b:open', 'c:pending', 'd:pending']);
  // b was done at n=5; a reverted and given n=1: b's values stay in the log but no longer count.
  const events = [set('a', 'n', 5), done('a'), set('b', 'x', 'kept'), done('b'), { type: 'step.reverted', step: 'a' } as NewEvent, set('a', 'n', 1), done('a')];
  const { values, places } = placesOf(workflow, stateOf(events));
  assert.equal(places[1].status, 'skipped');
  assert.deepEqual(values, { n: 1 });
});
