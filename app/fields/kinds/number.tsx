import { Labelled } from '../control.tsx';
import { isBlank } from '../blank.ts';
import { MAX_DIGITS, plainNumber, readDecimal, type DecimalProblem } from '../decimal.ts';
import type { FieldCommon, KindModule, Parse, RawForm } from '../types.ts';
import { textToRaw } from './text.tsx';

/** A number (or null when optional and empty), within min and max; `integer` or `step` narrow it. */
export type NumberField = FieldCommon<number> & { kind: 'number'; min?: number; max?: number; integer?: boolean; step?: number };

/** The bounds every numeric kind shares. */
export type Bounds = { label: string; required?: boolean; min?: number; max?: number; integer?: boolean; step?: number };

/** A number from the form within its bounds; shared by number, integer and range. */
export function parseNumber(field: Bounds, p: Parse): number | null {
  if (isBlank(p.one)) return p.missing();
  const { value: n, problem } = readDecimal(p.one);
  if (problem === 'not-a-number') p.fail(`${field.label} must be a number.`);
  else if (field.integer && !Number.isInteger(n)) p.fail(`${field.label} must be a whole number.`);
  else if (field.min !== undefined && n < field.min) p.fail(`${field.label} must be at least ${field.min}.`);
  else if (field.max !== undefined && n > field.max) p.fail(`${field.label} must be at most ${field.max}.`);
  else if (problem) p.fail(`${field.label} ${UNKEPT[problem]}`);
  else if (field.step !== undefined && !onStep(n, field.step, field.min ?? 0)) p.fail(`${field.label} must go in steps of ${field.step}${field.min ? ` from ${field.min}` : ''}.`);
  return n;
}

/** What is said of a number that is refused for how it is written, after the label. */
const UNKEPT: Record<Exclude<DecimalProblem, 'not-a-number'>, string> = {
  exponent: 'must be written out in digits, like 1500 rather than 1.5e3.',
  'too-large': `must have at most ${MAX_DIGITS} digits before the point; larger numbers cannot be kept exactly.`,
  'too-precise': `must have at most ${MAX_DIGITS} digits; more cannot be kept exactly.`,
};

/** Writes a number as plain digits, which the form reads back as the same number. */
export function numberToRaw(field: unknown, value: unknown, path: string, into: RawForm): void {
  if (typeof value === 'number') into[path] = plainNumber(value);
  else textToRaw(field, value, path, into);
}

/** A number shown in plain digits. */
export const showNumber = (_field: unknown, value: unknown) => (typeof value === 'number' ? plainNumber(value) : String(value));

/** The mistakes of a numeric field's bounds. */
export function checkBounds(field: Bounds): string[] {
  const problems: string[] = [];
  for (const name of ['min', 'max', 'step'] as const)
    if (field[name] !== undefined && !Number.isFinite(field[name])) problems.push(`${name} must be a number`);
  if (field.min !== undefined && field.max !== undefined && field.min > field.max) problems.push('min is larger than max');
  if (field.step !== undefined && !(field.step > 0)) problems.push('step must be more than 0');
  return problems;
}

function onStep(n: number, step: number, base: number): boolean {
  const k = (n - base) / step;
  return Math.abs(k - Math.round(k)) < 1e-9;
}

export const number: KindModule<NumberField> = {
  check: checkBounds,
  parse: parseNumber,
  toRaw: numberToRaw,
  show: showNumber,
  Control: ({ field, id, common, one, note }) => (
    <Labelled id={id} label={field.label} note={note}>
      <input type="number" {...common} value={one} min={field.min} max={field.max} step={field.step ?? (field.integer ? 1 : 'any')} />
    </Labelled>
  ),
};
