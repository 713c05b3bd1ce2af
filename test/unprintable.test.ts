// Control characters and bidi controls in what a person types. Controls (NUL, BEL, ESC, …) are refused where
// text is typed, naming the field: text fields, the session's title, notes (tabs and line breaks only where
// the text has several lines). Bidi controls are allowed, but kept from reordering what is shown around them,
// also for text already in a log: isolated in the page, left out of <title> and the home list's preview.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseField, type FieldErrors } from '../app/engine/fields.ts';
import { showValue } from '../app/fields/field.ts';
import type { Field } from '../app/fields/registry.ts';
import { controlIn, plainText } from '../app/fields/unprintable.ts';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Client, HTMX, hello } from './support/client.ts';
import { chained } from './support/forge.ts';
import { notice, textOf } from './support/html.ts';

const EVIL = 'Ada\u0000\u0007\u001B\u202Eevil';

function read(field: Field, typed: string): { value: unknown; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const value = parseField(field, { [field.key]: typed }, '', {}, errors);
  return { value, errors };
}

test('controlIn names the first control character; tabs and line breaks only where text has several lines', () => {
  assert.equal(controlIn('Ada', 'one'), undefined);
  assert.equal(controlIn('Ada \u202Eevil \u2067x\u2069', 'one'), undefined, 'bidi controls are not refused');
  assert.equal(controlIn(EVIL, 'one'), 'U+0000');
  assert.equal(controlIn('a\u0085b', 'one'), 'U+0085', 'C1 controls too');
  assert.equal(controlIn('a\u007Fb', 'many'), 'U+007F');
  assert.equal(controlIn('a\tb', 'one'), 'U+0009');
  assert.equal(controlIn('a\tb\r\nc\n', 'many'), undefined);
  assert.equal(plainText(`${EVIL}\t\u2066x\u2069\u200F`), 'Adaevil x');
});

test('text, textarea and pattern fields refuse control characters with a message naming the field', () => {
  const name: Field = { key: 'name', kind: 'text', label: 'Name', required: true };
  assert.deepEqual(read(name, EVIL).errors, { name: 'Name may not hold control characters (it has U+0000); remove it and try again.' });
  assert.deepEqual(read(name, 'a\u001Bb').errors, { name: 'Name may not hold control characters (it has U+001B); remove it and try again.' });
  assert.deepEqual(read(name, 'a\tb').errors, { name: 'Name may not hold control characters (it has U+0009); remove it and try again.' });
  assert.deepEqual(read(name, 'שלום \u202Bעולם\u202C'), { value: 'שלום \u202Bעולם\u202C', errors: {} }, 'bidi controls are kept');
  const bio: Field = { key: 'bio', kind: 'textarea', label: 'About you' };
  assert.deepEqual(read(bio, 'one\ttwo\r\nthree'), { value: 'one\ttwo\r\nthree', errors: {} });
  assert.deepEqual(read(bio, 'one\u0007').errors, { bio: 'About you may not hold control characters (it has U+0007); remove it and try again.' });
  const code: Field = { key: 'code', kind: 'pattern', label: 'Code', pattern: '.*', message: 'Any.' };
  assert.deepEqual(read(code, 'A\u0000').errors, { code: 'Code may not hold control characters (it has U+0000); remove it and try again.' });
});

test('a file name is shown without the bidi controls that would make it read as another', () => {
  const file: Field = { key: 'f', kind: 'file', label: 'File' };
  const meta = { name: 'a\u202Etxt.exe', size: 17, type: 'text/plain', sha256: 'a'.repeat(64) };
  assert.equal(showValue(file, meta), 'atxt.exe (17 bytes)');
});

test('hello: a name, a title and a note with control characters are refused naming what holds them; nothing recorded', async (t) => {
  const client = await Client.open(t);
  const start = await client.start('hello');
  const res = await client.post(`/s/${start}/steps/name`, { name: EVIL }, HTMX);
  assert.equal(res.status, 422);
  assert.ok(textOf(await res.text()).includes('Name may not hold control characters (it has U+0000); remove it and try again.'));

  const id = await hello(client, 'Ada');
  const before = await client.logBytes(id);
  const title = await client.post(`/s/${id}/title`, { title: EVIL });
  assert.equal(title.status, 422);
  assert.ok(textOf(await title.text()).includes('A title may not hold control characters (it has U+0000); remove it and try again.'));
  const note = await client.post(`/s/${id}/notes`, { step: 'name', text: 'see\u001B[31m' }, HTMX);
  assert.equal(note.status, 422);
  assert.equal(notice(await note.text()), 'A note may not hold control characters (it has U+001B); remove it and try again.');
  assert.deepEqual(await client.logBytes(id), before, 'nothing appended');
  await client.act(`/s/${id}/notes`, { step: 'name', text: 'two\nlines\tand a tab' });
  await client.act(`/s/${id}/title`, { title: 'Ada \u202Eevil' });
  assert.equal((await client.ct.engine.load(id)).state.title, 'Ada \u202Eevil', 'a bidi control in a title is kept as typed');
});

test('a log that already holds controls and bidi overrides is shown without them reordering or breaking the page', async (t) => {
  const client = await Client.open(t);
  const file = chained([
    { type: 'session.started', workflow: 'hello', version: client.version('hello'), forkedFrom: null },
    { type: 'param.set', step: 'name', key: 'name', value: EVIL, source: 'user' },
    { type: 'step.completed', step: 'name' },
    { type: 'note', step: 'name', text: '\u202Eevil note' },
    { type: 'session.titled', title: `Mine\u0000 \u202Eevil` },
  ]);
  // Written by an older version, before such text was refused: the log is in the data folder already.
  const id = 'OLDSESSIONxxxxxxxxxxx';
  await mkdir(join(client.dir, 'sessions', id), { recursive: true });
  await writeFile(join(client.dir, 'sessions', id, 'log.jsonl'), file);
  await client.reopen({ deleteCatalog: true });

  const page = await client.page(id);
  assert.match(page, /<title>Mine evil · Cardtrail<\/title>/, 'no NUL and no override in <title>');
  assert.match(page, /<section id="trail" data-title="Mine evil"[ >]/, 'nor in the title the browser script gives the tab after a swap');
  assert.match(page, /<li data-seq="4"><small>[^<]*<\/small> <bdi>\u202Eevil note<\/bdi><\/li>/, 'a note is isolated from its time');

  const home = await client.html('/');
  const row = new RegExp(`<tr data-session="${id}">(.*?)</tr>`).exec(home)?.[1] ?? '';
  assert.match(row, /title="Resume this session" dir="auto">Mine\u0000 \u202Eevil<\/a>/, 'the name is isolated from the rest of the row');
  assert.match(row, /<small class="preview">Name: Adaevil<\/small>/, 'the preview holds no control and no override');

  const history = await client.html(`/s/${id}/history`);
  assert.match(history, /<title>History · Mine evil · Cardtrail<\/title>/);
  assert.match(history, /Named the session “<bdi>Mine\u0000 \u202Eevil<\/bdi>”/, 'the title is isolated from its quotes');
  assert.match(history, /<span class="value" dir="auto">Ada\u0000\u0007\u001B\u202Eevil<\/span>/, 'a value is isolated from the words around it');
  assert.match(history, /<em dir="auto">\u202Eevil note<\/em>/);
});
