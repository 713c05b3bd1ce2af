// What a person types that must not be taken as it looks, decided without I/O: text that shows nothing counts as
// empty, and a number is recorded only when it reads back as typed (plain digits, no more than a number keeps).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { Json } from '../app/log/events.ts';
import type { Field } from '../app/fields/registry.ts';
import { parseField, toRaw, type FieldErrors, type RawForm } from '../app/engine/fields.ts';
import { showValue } from '../app/fields/field.ts';
import { isBlank } from '../app/fields/blank.ts';
import { MAX_DIGITS, plainNumber, readDecimal } from '../app/fields/decimal.ts';
import { readJson, unkeptNumber } from '../app/fields/json-text.ts';

/** Reads one field from a one-control form: its value and messages. */
function read(field: Field, typed: string): { value: Json; errors: FieldErrors } {
  const errors: FieldErrors = {};
  return { value: parseField(field, { [field.key]: typed }, '', {}, errors), errors };
}

/** The message the field gets for the typed text (undefined when it is accepted). */
const message = (field: Field, typed: string) => read(field, typed).errors[field.key];

const INVISIBLE = ['\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF', '\u00AD', '\u200E', '\u200F', '\u202E', '\u034F', '\uFE0F', '\u3164', ' ', '\t', '\n', '\u00A0', '\u3000'];

test('text made only of spaces, zero-width characters, marks and fillers shows nothing and counts as blank', () => {
  assert.equal(isBlank(''), true);
  assert.equal(isBlank('\u200B\u200B\u200D'), true, 'zero-width spaces and a joiner');
  assert.equal(isBlank(' \uFEFF\u2060 '), true, 'byte order mark and word joiner among spaces');
  fc.assert(fc.property(fc.array(fc.constantFrom(...INVISIBLE)), (chars) => isBlank(chars.join(''))));
  // Anything visible among them and the text is not blank: emoji joined by ZWJ, a dot, a letter.
  for (const text of ['👩\u200D💻', '\u200B.\u200B', '\u200Bx', '🏳️\u200D🌈', '0']) assert.equal(isBlank(text), false, JSON.stringify(text));
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...INVISIBLE)), fc.constantFrom('a', 'Ж', '字', '7', '👍', '-'), fc.array(fc.constantFrom(...INVISIBLE)), (before, visible, after) =>
      !isBlank(before.join('') + visible + after.join('')),
    ),
  );
});

test('a required text field refuses invisible text; otherwise text is kept exactly as typed, joiners and all', () => {
  const name: Field = { key: 'name', kind: 'text', label: 'Name', required: true };
  for (const typed of ['\u200B\u200B', '\u200D', ' \uFEFF ', '\u2060\u200C']) assert.equal(message(name, typed), 'Name is required.', JSON.stringify(typed));
  for (const typed of ['👩\u200D💻 Ada', '\u200BAda', 'Ada\u00AD']) assert.deepEqual(read(name, typed), { value: typed, errors: {} });
  const optional: Field = { key: 'notes', kind: 'textarea', label: 'Notes' };
  assert.deepEqual(read(optional, '\u200B\n\u200B'), { value: '', errors: {} }, 'optional: empty, like spaces');
  const code: Field = { key: 'code', kind: 'pattern', label: 'Code', required: true, pattern: '.*', message: 'Any.' };
  assert.equal(message(code, '\u200B'), 'Code is required.', 'a pattern field reads its text the same way');
});

test('plain decimals are read as typed; other notations, and more digits than a number keeps, say why', () => {
  const plain = [
    ['12.5', 12.5], ['-3', -3], ['+4', 4], ['.5', 0.5], ['5.', 5], [' 7 ', 7], ['-0', 0], ['007.500', 7.5],
    ['999999999999999', 999999999999999], ['0.000000000000001', 1e-15], ['12345678.1234567', 12345678.1234567],
  ] as const;
  for (const [typed, value] of plain)
    assert.deepEqual(readDecimal(typed), { value }, typed);
  for (const typed of ['0x10', '0b1', '1,5', 'Infinity', 'NaN', '.', '-', '1_000', '１２', '12abc', '--1', 'e5'])
    assert.equal(readDecimal(typed).problem, 'not-a-number', typed);
  assert.equal(readDecimal('1.5e3').problem, 'exponent');
  for (const typed of ['1e3', '1e308', '1e400', '-1e400', '1.5E+20'])
    assert.equal(readDecimal(typed).problem, 'exponent', `${typed}: e-notation is refused for how it is written, whatever its size`);
  assert.equal(readDecimal('99999999999999999999').problem, 'too-large');
  assert.equal(readDecimal('1000000000000000').problem, 'too-large', '16 digits before the point');
  assert.equal(readDecimal('0.1234567890123456').problem, 'too-precise');
  assert.equal(readDecimal('0.0000000000000001').problem, 'too-precise', 'a 1 sixteen places after the point');
  assert.equal(readDecimal('1' + '0'.repeat(400)).problem, 'too-large');
});

/** Plain decimal text: a sign, up to 20 digits before the point and up to 20 after it. */
const decimals = fc
  .tuple(fc.constantFrom('', '-', '+'), fc.stringMatching(/^\d{0,20}$/), fc.option(fc.stringMatching(/^\d{0,20}$/), { nil: undefined }))
  .filter(([, whole, fraction]) => whole !== '' || !!fraction)
  .map(([sign, whole, fraction]) => `${sign}${whole}${fraction === undefined ? '' : `.${fraction}`}`);

/** The digits of a plain decimal without sign, leading or trailing zeros: "-007.50" → "7.5", "0.0" → "0". */
function canonical(text: string): string {
  const [whole, fraction = ''] = text.replace(/^[+-]/, '').split('.');
  const w = whole.replace(/^0+/, '') || '0';
  const f = fraction.replace(/0+$/, '');
  const digits = f ? `${w}.${f}` : w;
  return digits !== '0' && text.startsWith('-') ? `-${digits}` : digits;
}

test('every plain decimal accepted is kept exactly: written back in digits, it is the text typed', () => {
  fc.assert(
    fc.property(decimals, (typed) => {
      const { value, problem } = readDecimal(typed);
      if (problem) return problem === 'too-large' || problem === 'too-precise';
      return plainNumber(value) === canonical(typed) && readDecimal(plainNumber(value)).value === value;
    }),
    { numRuns: 2000 },
  );
  // Refused only past the limit: any decimal of at most MAX_DIGITS digits is accepted.
  fc.assert(fc.property(fc.stringMatching(new RegExp(`^[1-9]\\d{0,${MAX_DIGITS - 1}}$`)), fc.nat(MAX_DIGITS), (digits, point) => {
    const at = Math.min(point, digits.length);
    return readDecimal(`${digits.slice(0, at) || '0'}.${digits.slice(at)}`).problem === undefined;
  }));
});

test('a number is written in plain digits that read back as the same number, however small or large', () => {
  assert.equal(plainNumber(1e-7), '0.0000001');
  assert.equal(plainNumber(-1.25e-9), '-0.00000000125');
  assert.equal(plainNumber(1e21), '1000000000000000000000');
  assert.equal(plainNumber(1.5e22), '15000000000000000000000');
  assert.equal(plainNumber(12.5), '12.5');
  fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => !/e/i.test(plainNumber(n)) && Number(plainNumber(n)) === n));
});

test('number, integer and range fields: each refusal names its reason, in the fields’ voice', () => {
  const budget: Field = { key: 'budget', kind: 'number', label: 'Budget in euros', min: 0, step: 0.5 };
  assert.equal(message(budget, '99999999999999999999'), 'Budget in euros must have at most 15 digits before the point; larger numbers cannot be kept exactly.');
  assert.equal(message(budget, '1e308'), 'Budget in euros must be written out in digits, like 1500 rather than 1.5e3.');
  assert.equal(message(budget, '1e400'), 'Budget in euros must be written out in digits, like 1500 rather than 1.5e3.');
  assert.equal(message(budget, '1.5e3'), 'Budget in euros must be written out in digits, like 1500 rather than 1.5e3.');
  assert.equal(message(budget, '0x10'), 'Budget in euros must be a number.');
  assert.equal(message(budget, '12.0000000000000001'), 'Budget in euros must have at most 15 digits; more cannot be kept exactly.');
  assert.equal(message(budget, '-1e308'), 'Budget in euros must be at least 0.', 'past a bound the field has: the bound');
  assert.equal(message(budget, '1.25'), 'Budget in euros must go in steps of 0.5.');
  assert.deepEqual(read(budget, '1500.5'), { value: 1500.5, errors: {} });
  assert.deepEqual(read({ ...budget, required: true }, '\u200B').errors, { budget: 'Budget in euros is required.' }, 'invisible text is no number');

  const depth: Field = { key: 'depth', kind: 'integer', label: 'Depth', min: 1, max: 5 };
  assert.equal(message(depth, '99999999999999999999'), 'Depth must be at most 5.');
  assert.equal(message(depth, '2e0'), 'Depth must be written out in digits, like 1500 rather than 1.5e3.');

  const level: Field = { key: 'level', kind: 'range', label: 'Level', min: 0, max: 10, unit: 'of 10' };
  assert.equal(message(level, '5.5'), 'Level must go in steps of 1.', 'a slider without a step moves in steps of 1');
  assert.equal(message({ ...level, min: 1, step: 2 }, '4'), 'Level must go in steps of 2 from 1.');
  assert.deepEqual(read(level, '7'), { value: 7, errors: {} });

  // A tiny number is written back in digits, not as 1e-7, so the form reads it again.
  const tiny: Field = { key: 'x', kind: 'number', label: 'X' };
  const raw: RawForm = {};
  toRaw(tiny, 1e-7, '', raw);
  assert.deepEqual(raw, { x: '0.0000001' });
  assert.deepEqual(read(tiny, raw.x as string), { value: 1e-7, errors: {} });
  assert.equal(showValue(tiny, 1e-7), '0.0000001');
});

test('json: a number JSON.parse would change is refused where it stands, not stored as null, 0 or other digits', () => {
  const config: Field = { key: 'config', kind: 'json', label: 'Settings (JSON)' };
  assert.equal(message(config, '{"a":1e999}'), 'Settings (JSON) must hold numbers that can be kept as written: 1e999 is too large (line 1, column 6).');
  assert.equal(message(config, '[\n  -1e400\n]'), 'Settings (JSON) must hold numbers that can be kept as written: -1e400 is too large (line 2, column 3).');
  assert.equal(message(config, '{"tiny": 1e-999}'), 'Settings (JSON) must hold numbers that can be kept as written: 1e-999 is too small and would become 0 (line 1, column 10).');
  assert.equal(
    message(config, '{"id": 12345678901234567890}'),
    'Settings (JSON) must hold numbers that can be kept as written: 12345678901234567890 has more digits than can be kept; put it in quotes to keep it as text (line 1, column 8).',
  );
  const kept = [
    ['{"id": 9007199254740992}', { id: 2 ** 53 }],
    ['[0, -0, 0.0e5, 1.5e300, 5e-324, 0.1]', [0, -0, 0, 1.5e300, 5e-324, 0.1]],
    ['{"id": "12345678901234567890"}', { id: '12345678901234567890' }],
  ] as const;
  for (const [text, value] of kept)
    assert.deepEqual(read(config, text), { value, errors: {} }, text);
  assert.equal(message(config, '{"a": 1} x'), 'Settings (JSON) is not JSON: there is more after the value at line 1, column 10.', 'a syntax mistake keeps its wording');
  // Whatever number JSON.parse keeps as written is accepted; whatever it would change is refused.
  fc.assert(
    fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => readJson(JSON.stringify(n)).ok && unkeptNumber(JSON.stringify(n)) === undefined),
  );
  // A whole number is accepted only when the number it becomes is written with the same digits.
  fc.assert(fc.property(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), (big) => (unkeptNumber(String(big)) === undefined) === (plainNumber(Number(big)) === String(big))));
  assert.equal(unkeptNumber(String(2n ** 53n + 1n)), '9007199254740993 has more digits than can be kept; put it in quotes to keep it as text');
});
