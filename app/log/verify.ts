import { createHash } from 'node:crypto';
import { chainHash } from './chain.ts';
import type { LogEvent } from './events.ts';
import { parse } from './store.ts';

/**
 * What a log file turned out to be: intact, or where and why not. `unknown` marks a log that is whole as far as
 * it was read but holds a type this version of Cardtrail does not know (a newer version wrote it).
 */
export type Verdict = { ok: true; events: LogEvent[] } | { ok: false; line: number; reason: string; unknown?: true };

/**
 * Checks a whole log file strictly: every line whole and in order, beginning with session.started, and every
 * hash matching the chain. Unlike opening a live log, a cut-off last line is not forgiven here.
 */
export function verifyLog(bytes: Buffer): Verdict {
  const { events, goodLength, stop } = parse(bytes, 1);
  if (stop?.kind === 'unknown') {
    // The lines before it are judged as any log's are: only the unknown line itself is not ours to judge.
    const broken = firstBrokenLineOf(bytes, events);
    if (broken) return { ok: false, line: broken, reason: `line ${broken} was altered after it was written (its hash does not match the chain)` };
    const before = stop.line > 2 ? `lines 1–${stop.line - 1} are intact; ` : stop.line === 2 ? 'line 1 is intact; ' : '';
    return { ok: false, line: stop.line, reason: `${before}line ${stop.line} is of a ${stop.reason} that this version of Cardtrail does not know (a newer version may have written it)`, unknown: true };
  }
  if (stop) return { ok: false, line: stop.line, reason: `line ${stop.line}: ${stop.reason}` };
  if (goodLength < bytes.length) {
    const line = events.length + 1;
    return { ok: false, line, reason: `line ${line} is cut off or unreadable (the file is truncated or damaged)` };
  }
  if (!events.length) return { ok: false, line: 1, reason: 'the file holds no events' };
  if (events[0].type !== 'session.started') return { ok: false, line: 1, reason: 'line 1 is not session.started' };
  const broken = firstBrokenLineOf(bytes, events);
  if (broken) return { ok: false, line: broken, reason: `line ${broken} was altered after it was written (its hash does not match the chain)` };
  return { ok: true, events };
}

/** `,"hash":"` + 64 hex digits + `"}`: how every line the store writes ends. */
const HASH_TAIL = ',"hash":"'.length + 64 + 2;

/**
 * The first line whose hash does not chain, reading the hashed text straight from the bytes: a line the store
 * wrote is its event's JSON with the hash last, so the JSON without it is the line minus its tail, and nothing
 * needs to be serialised again. A line that does not hash that way (written by hand, keys in another order) is
 * checked the canonical way before it is called altered.
 */
function firstBrokenLineOf(bytes: Buffer, events: readonly LogEvent[]): number | undefined {
  let previous = '';
  let start = 0;
  for (let i = 0; i < events.length; i++) {
    const end = bytes.indexOf(10, start);
    const e = events[i];
    const body = end - start > HASH_TAIL ? bytes.subarray(start, end - HASH_TAIL) : undefined;
    const fast = body && createHash('sha256').update(previous).update('\n').update(body).update('}').digest('hex');
    if (fast !== e.hash && e.hash !== chainHash(previous, e)) return i + 1;
    previous = e.hash;
    start = end + 1;
  }
  return undefined;
}
