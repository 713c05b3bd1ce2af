import { createHash } from 'node:crypto';
import { chainHash } from './chain.ts';
import type { LogEvent } from './events.ts';
import type { LineIndex } from './line-index.ts';
import { scan } from './store.ts';

/**
 * What a log file turned out to be: intact, or where and why not. `unknown` marks a log that is whole as far as
 * it was read but holds a type this version of Cardtrail does not know (a newer version wrote it).
 */
export type Verdict = { ok: true; events: LogEvent[] } | { ok: false; line: number; reason: string; unknown?: true };

/** A log's check without its events: how many, and the last seq and hash, when intact. */
export type Check = { ok: true; count: number; lastSeq: number; lastHash: string } | Extract<Verdict, { ok: false }>;

/**
 * Checks a whole log file strictly: every line whole and in order, beginning with session.started, and every
 * hash matching the chain. Unlike opening a live log, a cut-off last line is not forgiven here.
 */
export function verifyLog(bytes: Buffer): Verdict {
  const events: LogEvent[] = [];
  const check = checkLog(bytes, (e) => void events.push(e));
  return check.ok ? { ok: true, events } : check;
}

/**
 * verifyLog's judgement, with each good event handed to `keep` (if given) rather than held: `cardtrail verify`
 * and `export` keep none, so each line's event is dropped as soon as it is checked.
 */
export function checkLog(bytes: Buffer, keep?: (event: LogEvent) => void): Check {
  let previous = '';
  let broken: number | undefined;
  let lastSeq = 0;
  let firstType: string | undefined;
  const { count, goodLength, stop } = scan(bytes, (event, start, end) => {
    if (broken === undefined && !chains(bytes, start, end, previous, event)) broken = event.seq;
    previous = event.hash;
    lastSeq = event.seq;
    firstType ??= event.type;
    keep?.(event);
  });
  const altered = (line: number) => ({ ok: false as const, line, reason: `line ${line} was altered after it was written (its hash does not match the chain)` });
  if (stop?.kind === 'unknown') {
    // The lines before it are judged as any log's are: only the unknown line itself is not ours to judge.
    if (broken) return altered(broken);
    const before = stop.line > 2 ? `lines 1–${stop.line - 1} are intact; ` : stop.line === 2 ? 'line 1 is intact; ' : '';
    return { ok: false, line: stop.line, reason: `${before}line ${stop.line} is of a ${stop.reason} that this version of Cardtrail does not know (a newer version may have written it)`, unknown: true };
  }
  if (stop) return { ok: false, line: stop.line, reason: `line ${stop.line}: ${stop.reason}` };
  if (goodLength < bytes.length) return { ok: false, line: count + 1, reason: `line ${count + 1} is cut off or unreadable (the file is truncated or damaged)` };
  if (!count) return { ok: false, line: 1, reason: 'the file holds no events' };
  if (firstType !== 'session.started') return { ok: false, line: 1, reason: 'line 1 is not session.started' };
  if (broken) return altered(broken);
  return { ok: true, count, lastSeq, lastHash: previous };
}

/** `,"hash":"` + 64 hex digits + `"}`: how every line the store writes ends. */
const HASH_TAIL = ',"hash":"'.length + 64 + 2;

/**
 * Whether the line at bytes[start, end) chains from `previous`, reading the hashed text straight from the bytes:
 * a line the store wrote is its event's JSON with the hash last, so the JSON without it is the line minus its
 * tail, and nothing needs to be serialised again. A line that does not hash that way (written by hand, keys in
 * another order) is checked the canonical way before it is called altered.
 */
function chains(bytes: Buffer, start: number, end: number, previous: string, event: LogEvent): boolean {
  const body = end - start > HASH_TAIL ? bytes.subarray(start, end - HASH_TAIL) : undefined;
  const fast = body && createHash('sha256').update(previous).update('\n').update(body).update('}').digest('hex');
  return fast === event.hash || event.hash === chainHash(previous, event);
}


/**
 * Whether a saved line index describes these bytes line for line: its size, a line end just before every start
 * it records and nowhere else, and its last hash as the last line's. The index is trusted only for a file whose
 * size, modification time and inode it also matches (`matches`); this catches an index that was copied, forged
 * or left from other bytes with the same stat. It cannot catch an edit that keeps the size and has its
 * modification time set back (`touch -r`): the chain is not a seal either, since anyone can rehash it.
 */
export function indexVouches(index: LineIndex, bytes: Buffer): boolean {
  const { seq, starts } = index;
  if (bytes.length !== index.size || seq < 1 || starts.length < seq + 1 || starts[0] !== 0 || starts[seq] !== bytes.length) return false;
  for (let n = 1; n <= seq; n++) if (!(starts[n] > starts[n - 1]) || bytes[starts[n] - 1] !== 10) return false;
  let ends = 0;
  for (let at = bytes.indexOf(10); at >= 0; at = bytes.indexOf(10, at + 1)) ends++;
  return ends === seq && bytes.toString('latin1', starts[seq - 1], starts[seq]).endsWith(`,"hash":"${index.hash}"}\n`);
}
