// Dates and times as the form sends them and the log keeps them: ISO 8601 text without a time zone (the person
// and the server share one machine), which sorts and compares as text.
import { dayMonth } from '../dates.ts';
import { Labelled } from './control.tsx';
import { textToRaw } from './kinds/text.tsx';
import type { FieldCommon, KindModule, Parse } from './types.ts';

export type MomentShape = 'date' | 'time' | 'datetime';

const SHAPES: Record<MomentShape, { pattern: RegExp; example: string }> = {
  date: { pattern: /^\d{4}-\d{2}-\d{2}$/, example: '2026-12-31' },
  time: { pattern: /^\d{2}:\d{2}(:\d{2})?$/, example: '14:30' },
  datetime: { pattern: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/, example: '2026-12-31T14:30' },
};

/** Whether the text is a real moment of that shape (no 31 February, no 25:00). */
export function isMoment(shape: MomentShape, text: string): boolean {
  if (!SHAPES[shape].pattern.test(text)) return false;
  const [date, time] = shape === 'time' ? [undefined, text] : text.split('T');
  if (date !== undefined) {
    const d = new Date(`${date}T00:00:00Z`);
    if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== date) return false;
  }
  if (time !== undefined) {
    const [h, m, s = 0] = time.split(':').map(Number);
    if (h > 23 || m > 59 || s > 59) return false;
  }
  return true;
}

/** A moment from the form within min and max (inclusive), or null with the field's message. */
export function parseMoment(shape: MomentShape, field: { label: string; required?: boolean; min?: string; max?: string }, p: Parse): string | null {
  const text = p.one.trim();
  if (text === '') return p.missing();
  if (!isMoment(shape, text)) return p.fail(`${field.label} must be a ${shape === 'datetime' ? 'date and time' : shape} like ${SHAPES[shape].example}.`);
  if (field.min !== undefined && compare(text, field.min) < 0) return p.fail(`${field.label} must be ${showMoment(shape, field.min)} or later.`);
  if (field.max !== undefined && compare(text, field.max) > 0) return p.fail(`${field.label} must be ${showMoment(shape, field.max)} or earlier.`);
  return text;
}

/** The mistakes of a moment field's bounds. */
export function checkMomentBounds(shape: MomentShape, field: { min?: string; max?: string }): string[] {
  const problems: string[] = [];
  for (const name of ['min', 'max'] as const)
    if (field[name] !== undefined && !isMoment(shape, field[name])) problems.push(`${name} must be like ${SHAPES[shape].example}`);
  if (!problems.length && field.min && field.max && compare(field.min, field.max) > 0) problems.push('min is later than max');
  return problems;
}

/** A moment in words: "31 Dec 2026", "14:30", "31 Dec 2026, 14:30". */
export function showMoment(shape: MomentShape, text: string): string {
  if (!isMoment(shape, text)) return text;
  if (shape === 'time') return text.length === 8 && text.endsWith(':00') ? text.slice(0, 5) : text;
  const [date, time] = text.split('T');
  const [year, month, dayOfMonth] = date.split('-').map(Number);
  const day = `${dayMonth(dayOfMonth, month)} ${year}`;
  return time ? `${day}, ${showMoment('time', time)}` : day;
}

/** Seconds are optional, so "14:30" and "14:30:00" are the same moment. */
function compare(a: string, b: string): number {
  const full = (t: string) => (/T\d{2}:\d{2}$|^\d{2}:\d{2}$/.test(t) ? `${t}:00` : t);
  const [x, y] = [full(a), full(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The module of a moment kind: the native control of its shape, bounds of that shape, and its words. */
export function momentKind<F extends FieldCommon<string> & { kind: MomentShape; min?: string; max?: string }>(shape: MomentShape): KindModule<F> {
  return {
    check: (field) => checkMomentBounds(shape, field),
    parse: (field, p) => parseMoment(shape, field, p),
    toRaw: textToRaw,
    show: (_f, value) => showMoment(shape, String(value)),
    Control: ({ field, id, common, one, note }) => (
      <Labelled id={id} label={field.label} note={note}>
        <input type={shape === 'datetime' ? 'datetime-local' : shape} {...common} value={one} min={field.min} max={field.max} />
      </Labelled>
    ),
  };
}
