import { firstBrokenLine } from './chain.ts';
import type { LogEvent } from './events.ts';
import { LogDamaged, parse } from './store.ts';

/** What a log file turned out to be: intact, or where and why not. */
export type Verdict = { ok: true; events: LogEvent[] } | { ok: false; line: number; reason: string };

/**
 * Checks a whole log file strictly: every line whole and in order, beginning with session.started, and every
 * hash matching the chain. Unlike opening a live log, a cut-off last line is not forgiven here.
 */
export function verifyLog(bytes: Buffer): Verdict {
  let events: LogEvent[];
  try {
    const parsed = parse(bytes, 1);
    events = parsed.events;
    if (parsed.goodLength < bytes.length) {
      const line = events.length + 1;
      return { ok: false, line, reason: `line ${line} is cut off or unreadable (the file is truncated or damaged)` };
    }
  } catch (err) {
    if (err instanceof LogDamaged) return { ok: false, line: err.line, reason: err.message };
    throw err;
  }
  if (!events.length) return { ok: false, line: 1, reason: 'the file holds no events' };
  if (events[0].type !== 'session.started') return { ok: false, line: 1, reason: 'line 1 is not session.started' };
  const broken = firstBrokenLine(events);
  if (broken) return { ok: false, line: broken, reason: `line ${broken} was altered after it was written (its hash does not match the chain)` };
  return { ok: true, events };
}
