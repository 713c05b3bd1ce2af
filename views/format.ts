import type { Json } from '../app/log/events.ts';

/** A value as a person reads it on a done card. */
export function formatValue(value: Json | undefined): string {
  if (value === undefined || value === null || value === '') return '—';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (Array.isArray(value)) return value.length ? value.map(formatValue).join(', ') : '—';
  if (typeof value === 'object')
    return Object.entries(value)
      .map(([k, v]) => `${k}: ${formatValue(v)}`)
      .join('; ');
  return String(value);
}

/** A time as a short local-looking stamp (the server's clock; the user is on the same machine). */
export function formatTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
}
