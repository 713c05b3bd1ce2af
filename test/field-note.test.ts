// A field's help stays beside it when the field has a message: both are shown, and the control points at both
// with aria-describedby, so a person who reads the message still learns what the field is for.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FieldControl } from '../app/fields/control.tsx';
import type { Field } from '../app/fields/registry.ts';
import { Client, HTMX } from './support/client.ts';
import { BASICS } from './support/kitchen-sink.ts';

const depth: Field = { key: 'depth', kind: 'integer', label: 'Depth', min: 1, max: 5, help: 'Above 2 asks for the details step.' };

/** The ids the control's aria-describedby names, and the text of each. */
function described(html: string, control: string): [string, string][] {
  const ids = new RegExp(`<${control}[^>]*aria-describedby="([^"]*)"`).exec(html)?.[1].split(' ') ?? [];
  return ids.map((id) => [id, new RegExp(`<small id="${id}"[^>]*>([^<]*)</small>`).exec(html)?.[1] ?? '(missing)']);
}

test('a field with help and a message shows both, and its control is described by both', () => {
  const html = String(FieldControl({ field: depth, raw: { depth: '9' }, errors: { depth: 'Depth must be at most 5.' } }));
  assert.deepEqual(described(html, 'input'), [
    ['f-depth-help', 'Above 2 asks for the details step.'],
    ['f-depth-error', 'Depth must be at most 5.'],
  ]);
  assert.deepEqual(described(String(FieldControl({ field: depth, raw: {}, errors: {} })), 'input'), [['f-depth-help', 'Above 2 asks for the details step.']]);
  const bare = String(FieldControl({ field: { ...depth, help: undefined }, raw: {}, errors: { depth: 'Depth must be at most 5.' } }));
  assert.deepEqual(described(bare, 'input'), [['f-depth-error', 'Depth must be at most 5.']]);
});

test('kitchen sink: a refused depth keeps its help beside the message', async (t) => {
  const client = await Client.open(t);
  const id = await client.start('kitchen-sink');
  const res = await client.post(`/s/${id}/steps/basics`, { ...BASICS, depth: '9' }, HTMX);
  assert.equal(res.status, 422);
  assert.deepEqual(described(await res.text(), 'input'), [
    ['f-depth-help', 'Above 2 asks for the details step.'],
    ['f-depth-error', 'Depth must be at most 5.'],
  ]);
});
