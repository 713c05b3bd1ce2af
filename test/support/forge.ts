// Log files as anyone could write them: lines with a valid hash chain but whatever content a test wants, for the
// import, fuzz and hostile-page suites.
import { chainHash } from '../../app/log/chain.ts';
import type { LogEvent } from '../../app/log/events.ts';

/** Lines numbered from 1 and chained, each with a time; the content of each is exactly what is given. */
export function chained(lines: readonly Record<string, unknown>[], at = '2026-01-01T10:00:00.000Z'): string {
  let previous = '';
  return lines
    .map((line, i) => {
      const event = { seq: i + 1, at, ...line };
      const hash = chainHash(previous, event as unknown as LogEvent);
      previous = hash;
      return JSON.stringify({ ...event, hash }) + '\n';
    })
    .join('');
}
