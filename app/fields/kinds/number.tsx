import { Labelled } from '../control.tsx';
import type { FieldCommon, KindModule, Parse } from '../types.ts';
import { textToRaw, showText } from './text.tsx';

/** A number (or null when optional and empty), within min and max; `integer` or `step` narrow it. */
export type NumberField = FieldCommon<number> & { kind: 'number'; min?: number; max?: number; integer?: boolean; step?: number };

/** The bounds every numeric kind shares. */
export type Bounds = { label: string; required?: boolean; min?: number; max?: number; integer?: boolean; step?: number };

/** A number from the form within its bounds; shared by number, integer and range. */
export function parseNumber(field: Bounds, p: Parse): number | null {
  if (p.one.trim() === '') return p.missing();
  const n = Number(p.one);
  if (!Number.isFinite(n)) p.fail(`${field.label} must be a number.`);
  else if (field.integer && !Number.isInteger(n)) p.fail(`${field.label} must be a whole number.`);
  else if (field.min !== undefined && n < field.min) p.fail(`${field.label} must be at least ${field.min}.`);
  else if (field.max !== undefined && n > field.max) p.fail(`${field.label} must be at most ${field.max}.`);
  else if (field.step !== undefined && !onStep(n, field.step, field.min ?? 0)) p.fail(`${field.label} must go in steps of ${field.step}${field.min ? ` from ${field.min}` : ''}.`);
  return n;
}

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
  toRaw: textToRaw,
  show: showText,
  Control: ({ field, id, common, one, note }) => (
    <Labelled id={id} label={field.label} note={note}>
      <input type="number" {...common} value={one} min={field.min} max={field.max} step={field.step ?? (field.integer ? 1 : 'any')} />
    </Labelled>
  ),
};
