// Each field kind on its own: what it reads from a form, the message for each wrong input, the value written
// back into a form reading as the same value again, its words on a done card, and its control.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Json } from '../app/log/events.ts';
import type { Field } from '../app/fields/registry.ts';
import { parseField, toRaw, type FieldErrors, type RawForm } from '../app/engine/fields.ts';
import { showValue } from '../app/fields/field.ts';
import { FieldControl } from '../app/fields/control.tsx';
import { checkWorkflow } from '../app/engine/check.ts';
import { writeFile } from 'node:fs/promises';
import { SecretVault } from '../app/secrets/vault.ts';
import { formServices } from '../app/fields/services.ts';
import { parseStepValues } from '../app/fields/step.ts';
import { tempDir } from './support/app.ts';

/** Reads one field from a raw form: its value and messages. */
function read(field: Field, raw: RawForm): { value: Json; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const value = parseField(field, raw, '', {}, errors);
  return { value, errors };
}

/** Asserts each raw text reads as the value (no message), and that the value written back reads the same again. */
function accepts(field: Field, cases: [string | string[], Json][]): void {
  for (const [typed, expected] of cases) {
    const { value, errors } = read(field, { [field.key]: typed });
    assert.deepEqual(errors, {}, `${field.kind} ${JSON.stringify(typed)}`);
    assert.deepEqual(value, expected, `${field.kind} ${JSON.stringify(typed)}`);
    const raw: RawForm = {};
    toRaw(field, value, '', raw);
    assert.deepEqual(read(field, raw), { value: expected, errors: {} }, `${field.kind} round trip of ${JSON.stringify(expected)}`);
  }
}

/** Asserts each raw text gets exactly this message on the field. */
function refuses(field: Field, cases: [string | string[], string][]): void {
  for (const [typed, message] of cases) assert.deepEqual(read(field, { [field.key]: typed }).errors, { [field.key]: message }, `${field.kind} ${JSON.stringify(typed)}`);
}

/** The control's HTML. */
const html = (field: Field, raw: RawForm = {}, errors: FieldErrors = {}) => String(FieldControl({ field, raw, errors }));

/** Mistakes checkWorkflow finds in a one-field workflow. */
const problems = (field: object) => checkWorkflow({ id: 'wf', title: 'W', steps: [{ id: 's', title: 'S', fields: [field] }] });

test('integer: whole numbers within bounds and steps; a fraction, a word or an out-of-range number each get a message', () => {
  const f: Field = { key: 'n', kind: 'integer', label: 'Count', min: 0, max: 100, step: 5 };
  accepts(f, [['0', 0], ['15', 15], ['100', 100], ['', null]]);
  refuses(f, [
    ['2.5', 'Count must be a whole number.'],
    ['abc', 'Count must be a number.'],
    ['-5', 'Count must be at least 0.'],
    ['105', 'Count must be at most 100.'],
    ['7', 'Count must go in steps of 5.'],
  ]);
  refuses({ ...f, required: true }, [['', 'Count is required.']]);
  assert.match(html(f, { n: '15' }), /type="number"[^>]*value="15"[^>]*min="0" max="100" step="5"/);
  assert.deepEqual(problems({ ...f, min: 10, max: 1 }), ['step 1 (s), field "n": min is larger than max']);
});

test('number with step: steps count from min', () => {
  const f: Field = { key: 'x', kind: 'number', label: 'X', min: 1, step: 0.5 };
  accepts(f, [['1.5', 1.5], ['3', 3]]);
  refuses(f, [['1.2', 'X must go in steps of 0.5 from 1.']]);
});

test('range: a slider between min and max that shows its value beside it; min and max are required', () => {
  const f: Field = { key: 'r', kind: 'range', label: 'Depth', min: 1, max: 5, unit: 'levels' };
  accepts(f, [['1', 1], ['5', 5]]);
  refuses(f, [['9', 'Depth must be at most 5.']]);
  assert.equal(showValue(f, 3), '3 levels');
  const control = html(f, { r: '4' });
  assert.match(control, /type="range"[^>]*value="4"[^>]*data-shows="f-r-value"/);
  assert.match(control, /<output id="f-r-value" for="f-r">4 levels<\/output>/);
  assert.match(html(f), /value="3"/, 'an empty slider starts at the midpoint');
  assert.deepEqual(problems({ key: 'r', kind: 'range', label: 'R' }), ['step 1 (s), field "r": a range needs min and max']);
});

test('radio: one of the options, shown by label; options may be derived from earlier values', () => {
  const f: Field = { key: 'p', kind: 'radio', label: 'Pace', options: ['slow', { value: 'fast', label: 'Fast!' }], required: true };
  accepts(f, [['slow', 'slow'], ['fast', 'fast']]);
  refuses(f, [['', 'Pace is required.'], ['sprint', 'Pace: "sprint" is not one of the choices.']]);
  assert.equal(showValue(f, 'fast'), 'Fast!');
  assert.match(html(f, { p: 'fast' }), /type="radio"[^>]*value="fast" checked=""/);
  const derived: Field = { key: 'c', kind: 'radio', label: 'City', options: ({ country }) => (country === 'pt' ? ['Lisbon', 'Porto'] : ['Madrid']) };
  const errors: FieldErrors = {};
  assert.equal(parseField(derived, { c: 'Porto' }, '', { country: 'pt' }, errors), 'Porto');
  assert.deepEqual(errors, {});
  parseField(derived, { c: 'Porto' }, '', { country: 'es' }, errors);
  assert.deepEqual(errors, { c: 'City: "Porto" is not one of the choices.' });
  assert.match(String(FieldControl({ field: derived, raw: {}, errors: {}, values: { country: 'es' } })), /value="Madrid"/);
});

test('switch: on or off with role=switch, and the author’s words for each', () => {
  const f: Field = { key: 's', kind: 'switch', label: 'Dry run', on: 'Dry run only', off: 'For real' };
  accepts(f, [['on', true], ['', false]]);
  assert.equal(showValue(f, true), 'Dry run only');
  assert.equal(showValue(f, false), 'For real');
  assert.match(html(f, { s: 'on' }), /type="checkbox" role="switch"[^>]*checked=""/);
  refuses({ ...f, required: true }, [['', 'Dry run must be ticked.']]);
});

test('date, time, datetime: ISO text, real calendar moments only, min and max, shown in words', () => {
  const d: Field = { key: 'd', kind: 'date', label: 'Start', min: '2026-01-01', max: '2026-12-31' };
  accepts(d, [['2026-02-28', '2026-02-28'], ['2026-12-31', '2026-12-31']]);
  refuses(d, [
    ['2026-02-30', 'Start must be a date like 2026-12-31.'],
    ['31/12/2026', 'Start must be a date like 2026-12-31.'],
    ['2025-12-31', 'Start must be 1 Jan 2026 or later.'],
    ['2027-01-01', 'Start must be 31 Dec 2026 or earlier.'],
  ]);
  assert.equal(showValue(d, '2026-03-07'), '7 Mar 2026');
  assert.match(html(d), /type="date"[^>]*min="2026-01-01" max="2026-12-31"/);

  const t: Field = { key: 't', kind: 'time', label: 'At', min: '08:00', max: '18:00' };
  accepts(t, [['08:00', '08:00'], ['17:59:30', '17:59:30'], ['18:00:00', '18:00:00']]);
  refuses(t, [['25:00', 'At must be a time like 14:30.'], ['07:59', 'At must be 08:00 or later.'], ['18:00:01', 'At must be 18:00 or earlier.']]);
  assert.equal(showValue(t, '09:30:00'), '09:30');

  const dt: Field = { key: 'w', kind: 'datetime', label: 'When', min: '2026-06-01T00:00' };
  accepts(dt, [['2026-06-01T09:15', '2026-06-01T09:15']]);
  refuses(dt, [['2026-06-01 09:15', 'When must be a date and time like 2026-12-31T14:30.'], ['2026-05-31T23:59', 'When must be 1 Jun 2026, 00:00 or later.']]);
  assert.equal(showValue(dt, '2026-06-01T09:15'), '1 Jun 2026, 09:15');
  assert.match(html(dt), /type="datetime-local"/);
  assert.deepEqual(problems({ key: 'd', kind: 'date', label: 'D', min: 'soon' }), ['step 1 (s), field "d": min must be like 2026-12-31']);
});

test('url: http and https only, normalised; other schemes, credentials and non-addresses get a message', () => {
  const f: Field = { key: 'u', kind: 'url', label: 'Site' };
  accepts(f, [
    ['HTTPS://Example.COM', 'https://example.com/'],
    ['  http://example.com/a b?q=1  ', 'http://example.com/a%20b?q=1'],
  ]);
  refuses(f, [
    ['example.com', 'Site must be a web address like https://example.com/.'],
    ['javascript:alert(1)', 'Site must start with http:// or https://.'],
    ['ftp://example.com/', 'Site must start with http:// or https://.'],
    ['https://user:pw@example.com/', 'Site may not carry a user name or password.'],
    ['http://[::1]:0', 'Site cannot be reached: it has port 0, which nothing can be reached at.'],
    ['http://a..b/', 'Site cannot be reached: it has an empty label in its host name "a..b".'],
    ['http://-x-.com/', 'Site cannot be reached: it has a label in its host name that starts or ends with "-" ("-x-").'],
    ['https://shop.example-.com/', 'Site cannot be reached: it has a label in its host name that starts or ends with "-" ("example-").'],
  ]);
  accepts(f, [['http://[::1]:8080/', 'http://[::1]:8080/'], ['https://example.com./', 'https://example.com./'], ['https://a-b.xn--p1ai/', 'https://a-b.xn--p1ai/']]);
  assert.match(html(f), /type="url"/);
});

test('email: an address browsers accept, domain in lower case', () => {
  const f: Field = { key: 'e', kind: 'email', label: 'Email', required: true };
  accepts(f, [['Ada.Lovelace@Example.ORG', 'Ada.Lovelace@example.org']]);
  refuses(f, [['', 'Email is required.'], ['ada', 'Email must be an email address like name@example.com.'], ['ada@localhost', 'Email must be an email address like name@example.com.']]);
});

test('pattern: the whole text must match, with the author’s message; a bad pattern is a definition mistake', () => {
  const f: Field = { key: 'code', kind: 'pattern', label: 'Code', pattern: /[A-Z]{3}\d{4}/, message: 'three capitals and four digits, like ABC1234.' };
  accepts(f, [['ABC1234', 'ABC1234'], ['', '']]);
  refuses(f, [
    ['abc1234', 'Code: three capitals and four digits, like ABC1234.'],
    ['XABC12345', 'Code: three capitals and four digits, like ABC1234.'],
  ]);
  accepts({ ...f, pattern: '[a-z]+' }, [['abc', 'abc']]);
  assert.deepEqual(problems({ key: 'p', kind: 'pattern', label: 'P', pattern: '(', message: 'm' }).length, 1);
  assert.match(problems({ key: 'p', kind: 'pattern', label: 'P', pattern: 'x' })[0], /needs a message/);
});

test('json: parsed JSON, with the mistake shown at its line and column', () => {
  const f: Field = { key: 'j', kind: 'json', label: 'Config' };
  accepts(f, [
    ['{"a": [1, 2, {"b": null}], "c": "d"}', { a: [1, 2, { b: null }], c: 'd' }],
    ['[]', []],
    ['42', 42],
  ]);
  refuses(f, [
    ['{\n  "a": 1,\n  "b" 2\n}', 'Config is not JSON: expected ":" after a key at line 3, column 7.'],
    ['[1, 2', 'Config is not JSON: the text ends before "]" at line 1, column 6.'],
    ["{'a': 1}", 'Config is not JSON: expected a key in double quotes at line 1, column 2.'],
    ['{"a": 1} x', 'Config is not JSON: there is more after the value at line 1, column 10.'],
    ['tru', 'Config is not JSON: expected true at line 1, column 4.'],
  ]);
  assert.equal(showValue(f, { a: 1 }), '{"a":1}');
});

test('choices with more than 12 options get a search box that names the list it narrows; 12 or fewer do not', () => {
  const many = Array.from({ length: 30 }, (_, i) => `Option ${i + 1}`);
  const f: Field = { key: 'cols', kind: 'choices', label: 'Columns', options: many };
  accepts(f, [[['Option 3', 'Option 30'], ['Option 3', 'Option 30']]]);
  const control = html(f, { cols: ['Option 3'] });
  assert.match(control, /type="search"[^>]*data-filters="f-cols-options"/);
  assert.match(control, /Chosen: Option 3/);
  assert.equal((control.match(/type="checkbox"/g) ?? []).length, 30);
  assert.doesNotMatch(html({ ...f, options: many.slice(0, 12) }), /type="search"/);
});

test('every kind shows an empty value as a dash', () => {
  for (const field of [{ key: 'a', kind: 'date', label: 'A' }, { key: 'b', kind: 'json', label: 'B' }] as Field[]) assert.equal(showValue(field, null), '—');
});

test('secret: a typed value is staged and recorded as a reference; a kept reference must be one this data folder holds', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const vault = new SecretVault(`${dir}/secrets.json`);
  const f: Field = { key: 'token', kind: 'secret', label: 'Token', required: true, minLength: 12 };
  const step = { fields: [f] };
  const raw: RawForm = { token: 'abcdefghijkl-3f' };
  const read = await parseStepValues(step, { raw }, {}, formServices(vault, undefined));
  assert.deepEqual(read.errors, {});
  const ref = read.values.token as { secret: string; fingerprint: string };
  assert.match(ref.secret, /^sec_[0-9a-f]{32}$/);
  assert.equal(ref.fingerprint, '…3f');
  assert.equal(raw.token, undefined, 'the form that may come back no longer holds the text');
  assert.equal(raw['token:keep'], ref.secret);
  assert.equal(vault.reveal(ref.secret), undefined, 'not written before the form is accepted');
  vault.commit([ref.secret]);
  assert.equal(new SecretVault(`${dir}/secrets.json`).reveal(ref.secret), 'abcdefghijkl-3f');
  assert.equal(showValue(f, ref), 'set, ends in …3f');
  assert.doesNotMatch(html(f, { 'token:keep': ref.secret, 'token:shown': '…3f' }), /abcdefghijkl/);

  const kept = await parseStepValues(step, { values: { token: ref } }, {}, formServices(vault, undefined));
  assert.deepEqual(kept, { values: { token: ref }, errors: {} });
  const elsewhere = await parseStepValues(step, { values: { token: ref } }, {}, formServices(undefined, undefined));
  assert.equal(elsewhere.errors.token, 'Token must be typed again: secrets do not travel in a log.');
  const short = await parseStepValues(step, { raw: { token: 'short' } }, {}, formServices(vault, undefined));
  assert.deepEqual(short.errors, { token: 'Token must be at least 12 characters.' });
});

test('file: a received file is checked against accept and maxSize; a kept one must be in the session’s folder with its size', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const sha = 'a'.repeat(64);
  await writeFile(`${dir}/${sha}`, 'hello');
  const f: Field = { key: 'doc', kind: 'file', label: 'Document', accept: ['.csv', 'image/*'], maxSize: 100 };
  const step = { fields: [f] };
  const meta = { name: 'a.csv', size: 5, type: 'text/csv', sha256: sha };
  const ok = await parseStepValues(step, { raw: {} }, {}, formServices(undefined, dir, { doc: meta }));
  assert.deepEqual(ok, { values: { doc: meta }, errors: {} });
  const png = await parseStepValues(step, { raw: {} }, {}, formServices(undefined, dir, { doc: { ...meta, name: 'p.png', type: 'image/png' } }));
  assert.deepEqual(png.errors, {});
  const exe = await parseStepValues(step, { raw: {} }, {}, formServices(undefined, dir, { doc: { ...meta, name: 'x.exe', type: 'application/octet-stream' } }));
  assert.deepEqual(exe.errors, { doc: 'Document must be .csv, image/*; "x.exe" is not.' });
  const big = await parseStepValues(step, { raw: {} }, {}, formServices(undefined, dir, { doc: { error: 'Document may be at most 100 bytes.' } }));
  assert.deepEqual(big.errors, { doc: 'Document may be at most 100 bytes.' });
  assert.deepEqual(await parseStepValues(step, { values: { doc: meta } }, {}, formServices(undefined, dir)), { values: { doc: meta }, errors: {} });
  const lying = await parseStepValues(step, { values: { doc: { ...meta, size: 6 } } }, {}, formServices(undefined, dir));
  assert.match(lying.errors.doc, /must be given again/);
  assert.equal(showValue(f, meta), 'a.csv (5 bytes)');
  assert.match(html(f, { 'doc:keep': JSON.stringify(meta) }), /Given: <strong>a\.csv<\/strong> \(5 bytes\)/);
  const required = await parseStepValues({ fields: [{ ...f, required: true } as Field] }, { raw: {} }, {}, formServices(undefined, dir));
  assert.deepEqual(required.errors, { doc: 'Document is required.' });
});
