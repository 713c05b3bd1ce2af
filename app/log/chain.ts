import { createHash } from 'node:crypto';
import type { LogEvent } from './events.ts';

/** The hash a line carries: sha256 over the previous line's hash and this line's JSON without its hash. */
export function chainHash(previous: string, event: Omit<LogEvent, 'hash'> | LogEvent): string {
  const { hash: _ignored, ...rest } = event as LogEvent;
  return createHash('sha256').update(previous).update('\n').update(JSON.stringify(rest)).digest('hex');
}

/** Where a chain of events stops matching its hashes: the first altered line (1-based), or undefined if intact. */
export function firstBrokenLine(events: readonly LogEvent[]): number | undefined {
  let previous = '';
  for (let i = 0; i < events.length; i++) {
    if (events[i].hash !== chainHash(previous, events[i])) return i + 1;
    previous = events[i].hash;
  }
  return undefined;
}
