// JSON nested past what can be walked: 100,000 "[" are refused with a plain message naming the limit, not the
// stack overflow of the reader, and a value nested that deeply that is already in a log (written by hand) is
// shown and searched without running out of stack.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseField, type FieldErrors } from '../app/engine/fields.ts';
import { words } from '../app/catalog/row.ts';
import { showValue } from '../app/fields/field.ts';
import { MAX_DEPTH, readJson } from '../app/fields/json-text.ts';
import type { Field } from '../app/fields/registry.ts';
import type { Json } from '../app/log/events.ts';
import { Client, HTMX } from './support/client.ts';
import { BASICS, LINKS, TIMES } from './support/kitchen-sink.ts';
import { textOf } from './support/html.ts';

const config: Field = { key: 'config', kind: 'json', label: 'Settings (JSON)' };

function message(typed: string): string | undefined {
  const errors: FieldErrors = {};
  parseField(config, { config: typed }, '', {}, errors);
  return errors.config;
}

/** An array nested `levels` deep, built without recursion. */
function nestedArray(levels: number): Json {
  let value: Json = [];
  for (let k = 1; k < levels; k++) value = [value];
  return value;
}

test('json: nesting deeper than the limit is refused plainly; up to the limit it is read', () => {
  assert.equal(message('['.repeat(100_000)), `Settings (JSON) is nested too deeply: at most ${MAX_DEPTH} levels of arrays and objects (line 1, column ${MAX_DEPTH + 1}).`);
  assert.equal(message('{"a":'.repeat(MAX_DEPTH + 1) + '1' + '}'.repeat(MAX_DEPTH + 1)), `Settings (JSON) is nested too deeply: at most ${MAX_DEPTH} levels of arrays and objects (line 1, column ${5 * MAX_DEPTH + 1}).`);
  const deepest = '['.repeat(MAX_DEPTH) + ']'.repeat(MAX_DEPTH);
  assert.deepEqual(readJson(deepest), { ok: true, value: nestedArray(MAX_DEPTH) });
  assert.equal(message(deepest), undefined);
});

test('a value nested 100,000 deep already recorded is shown and searched without running out of stack', () => {
  const deep = nestedArray(100_000);
  assert.equal(showValue(config, deep), `(nested more than ${MAX_DEPTH} levels deep: not shown)`);
  let withWords: Json = ['Ada'];
  for (let k = 0; k < 100_000; k++) withWords = [withWords, 'x'];
  assert.equal(words(withWords).split(' ').length, 100_001);
  assert.equal(words({ name: 'Ada', tags: ['a', { b: 2 }], none: null }), 'Ada a 2 ');
});

test('kitchen sink: 100,000 "[" in the settings come back as a 422 naming the limit, and nothing is recorded', async (t) => {
  const client = await Client.open(t);
  const id = await client.start('kitchen-sink');
  await client.submit(id, 'basics', BASICS);
  await client.submit(id, 'times', TIMES);
  const before = (await client.events(id)).length;
  const res = await client.post(`/s/${id}/steps/links`, { ...LINKS, config: '['.repeat(100_000) }, HTMX);
  assert.equal(res.status, 422);
  const text = textOf(await res.text());
  assert.ok(text.includes(`Settings (JSON) is nested too deeply: at most ${MAX_DEPTH} levels of arrays and objects`), text);
  assert.ok(!/RangeError|call stack/.test(text), text);
  assert.equal((await client.events(id)).length, before);
});
