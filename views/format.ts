import type { Json } from '../app/log/events.ts';
import type { Field } from '../app/fields/registry.ts';
import { showValue } from '../app/fields/field.ts';
import { localClock, localDate, localDay } from '../app/dates.ts';

/** A value as a person reads it on a done card and in the history: by its field's kind when the field is known. */
export function formatValue(value: Json | undefined, field?: Field): string {
  if (field) return showValue(field, value);
  if (value === undefined || value === null || value === '') return '—';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (Array.isArray(value)) return value.length ? value.map((v) => formatValue(v)).join(', ') : '—';
  if (typeof value === 'object')
    return Object.entries(value)
      .map(([k, v]) => `${k}: ${formatValue(v)}`)
      .join('; ');
  return String(value);
}

/** A time as a short local-looking stamp, "29 Nov 2026, 14:30" (the server's clock; the user is on the same machine). */
export function formatTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${localDate(d)}, ${localClock(d)}`;
}

/** A time short enough for a table column: "29 Nov, 14:30", or "29 Nov, 14:30:05" with seconds. */
export function formatStamp(iso: string, seconds = false): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${localDay(d)}, ${localClock(d, seconds)}`;
}
