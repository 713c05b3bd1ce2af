import { randomUUID } from 'node:crypto';
import { constants, type BigIntStats } from 'node:fs';
import { lstat, open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { readFileSafely } from './disk.ts';
import { join } from 'node:path';
import { chainHash } from './chain.ts';
import type { LogEvent } from './events.ts';
import { parse } from './store.ts';
import { verifyLog } from './verify.ts';

/**
 * Where every line of a verified log starts, so a page of its history reads only its own lines. It is derived,
 * kept beside the log as `lines.idx` (not fsynced) and in memory, and used only while the log is exactly the file
 * it was made from: same size, same modification time (to the nanosecond), same inode. Any other change (an edit
 * in place, a cut, an append by anything but this process) makes it read and verify the whole log again.
 */
export type LineIndex = {
  /** The file it describes. */
  size: number;
  mtime: bigint;
  ino: bigint;
  /** The last line's seq and hash: appends continue the chain from them. */
  seq: number;
  hash: string;
  /** Byte offset where line n (1-based) starts is starts[n - 1]; starts[seq] is the size (entries past it are room). */
  starts: Float64Array;
};

/**
 * What is known of a log's hash chain: intact, or broken (where and why, in verify's words). A log that does not
 * verify gets no index, so its verdict is remembered apart, for the file exactly as it was judged.
 */
export type Integrity = { ok: true } | { ok: false; line: number; reason: string };

/** A file as a verdict or an index was made from: any change to it (an edit, a cut, an append) is another file. */
type FileIdentity = { size: number; mtime: bigint; ino: bigint };

const INDEX_FILE = 'lines.idx';
const VERSION = 1;
/** Indexes kept in memory (most recently used). */
const REMEMBERED = 32;
/** How long a session's appends must pause before its moved index is written beside the log. */
const SAVE_AFTER_MS = 1000;

/** The line indexes of every session's log, made on first need and moved forward by this process's appends. */
export class LineIndexes {
  private readonly memory = new Map<string, { index: LineIndex; restat?: Promise<void> }>();
  private readonly saving = new Map<string, NodeJS.Timeout>();
  /** Logs found not to verify, with the file each verdict holds for (a log that no longer is that file is unknown). */
  private readonly broken = new Map<string, FileIdentity & { line: number; reason: string }>();

  constructor(private readonly sessionDir: (id: string) => string) {}

  /**
   * What is known of the log's chain as the file now is, without reading the log: intact when an index made or
   * moved on from a verified log matches it, broken when a verdict remembered for exactly this file says so;
   * undefined when neither does (only `check` can tell, by reading it whole). One lstat, and the saved index
   * read when none is in memory.
   */
  async known(id: string): Promise<Integrity | undefined> {
    await this.memory.get(id)?.restat;
    const now = await lstat(this.logPath(id), { bigint: true }).catch(() => undefined);
    if (!now) return undefined;
    const index = this.memory.get(id)?.index ?? (await this.load(id));
    if (index && matches(index, now)) {
      this.remember(id, index);
      return { ok: true };
    }
    const bad = this.broken.get(id);
    return bad && matches(bad, now) ? { ok: false, line: bad.line, reason: bad.reason } : undefined;
  }

  /** The log's chain judged as the file now is: read and verified whole unless `known` can tell (see get). */
  async check(id: string): Promise<Integrity | undefined> {
    return (await this.get(id)) ? { ok: true } : this.known(id);
  }

  /**
   * The index of a session's log as it is now, made by reading and verifying the whole log when there is none
   * that matches; undefined when the log is not intact (the caller reads it whole and says where it breaks).
   */
  async get(id: string): Promise<LineIndex | undefined> {
    const path = this.logPath(id);
    const known = this.memory.get(id);
    await known?.restat;
    const now = await lstat(path, { bigint: true });
    const candidate = this.memory.get(id)?.index ?? (await this.load(id));
    if (candidate && matches(candidate, now)) return this.remember(id, candidate);
    const bytes = await readFileSafely(path);
    const verdict = verifyLog(bytes);
    const after = await lstat(path, { bigint: true });
    if (!verdict.ok || Number(after.size) !== bytes.length) {
      this.memory.delete(id);
      if (!verdict.ok && Number(after.size) === bytes.length) this.rememberBroken(id, { size: bytes.length, mtime: after.mtimeNs, ino: after.ino, line: verdict.line, reason: verdict.reason });
      return undefined;
    }
    this.broken.delete(id);
    const last = verdict.events[verdict.events.length - 1];
    const index: LineIndex = { size: bytes.length, mtime: after.mtimeNs, ino: after.ino, seq: last.seq, hash: last.hash, starts: lineStarts(bytes) };
    this.remember(id, index);
    this.save(id, index).catch((err) => console.error(`[cardtrail] line index of ${id} not written:`, (err as Error).message));
    return index;
  }

  /**
   * Moves a remembered index past lines this process just appended (the store wrote them as JSON lines). The
   * starts grow in place with room to spare (doubling), and the file beside the log is written once appends
   * pause (SAVE_AFTER_MS), so an append costs the same at 100 entries as at 100,000.
   */
  appended(id: string, events: readonly LogEvent[], size: number): void {
    const known = this.memory.get(id);
    if (!known || !events.length || known.index.seq !== events[0].seq - 1) return void this.memory.delete(id);
    const { index } = known;
    const seq = events[events.length - 1].seq;
    const starts = roomFor(index.starts, seq + 1, index.seq + 1);
    let at = index.size;
    events.forEach((e, i) => (starts[index.seq + i + 1] = at += Buffer.byteLength(JSON.stringify(e)) + 1));
    if (at !== size) return void this.memory.delete(id);
    const moved: LineIndex = { ...index, size, seq, hash: events[events.length - 1].hash, starts, mtime: -1n };
    // The file's new time is taken now, right after the append; until then the index matches nothing.
    const entry: { index: LineIndex; restat?: Promise<void> } = { index: moved };
    entry.restat = lstat(this.logPath(id), { bigint: true }).then(
      (s) => {
        if (Number(s.size) === size) moved.mtime = s.mtimeNs;
        moved.ino = s.ino;
        this.saveSoon(id);
      },
      () => {},
    );
    this.memory.set(id, entry);
  }

  /** Writes a session's remembered index once its appends have paused for SAVE_AFTER_MS. */
  private saveSoon(id: string): void {
    clearTimeout(this.saving.get(id));
    const timer = setTimeout(() => {
      this.saving.delete(id);
      const index = this.memory.get(id)?.index;
      if (index) this.save(id, index).catch(() => {});
    }, SAVE_AFTER_MS);
    timer.unref();
    this.saving.set(id, timer);
  }

  /**
   * Lines `from` to `to` (1-based, inclusive) of the log, parsed, and whether their hashes chain from the line
   * before them: the page's own lines are checked every time, the rest was checked when the index was made.
   */
  async lines(id: string, index: LineIndex, from: number, to: number): Promise<{ events: LogEvent[]; broken?: number }> {
    if (to < from) return { events: [] };
    const first = Math.max(1, from - 1);
    const [start, end] = [index.starts[first - 1], index.starts[to]];
    if (!(start >= 0 && start <= end && end <= index.size)) throw new Error('the line index does not fit the log');
    const bytes = await readRange(this.logPath(id), start, end);
    let all: LogEvent[];
    try {
      all = parse(bytes, first).events;
    } catch (err) {
      return { events: [], broken: (err as { line?: number }).line ?? from };
    }
    const events = from === 1 ? all : all.slice(1);
    if (events.length !== to - from + 1) return { events, broken: from + events.length };
    let previous = from === 1 ? '' : all[0].hash;
    for (const e of events) {
      if (e.hash !== chainHash(previous, e)) return { events, broken: e.seq };
      previous = e.hash;
    }
    return { events };
  }

  /** Forgets a session (it was deleted). */
  forget(id: string): void {
    this.memory.delete(id);
    this.broken.delete(id);
    clearTimeout(this.saving.get(id));
    this.saving.delete(id);
  }

  private logPath(id: string): string {
    return join(this.sessionDir(id), 'log.jsonl');
  }

  private rememberBroken(id: string, verdict: FileIdentity & { line: number; reason: string }): void {
    this.broken.delete(id);
    this.broken.set(id, verdict);
    if (this.broken.size > REMEMBERED) this.broken.delete(this.broken.keys().next().value!);
  }

  private remember(id: string, index: LineIndex): LineIndex {
    this.memory.delete(id);
    this.memory.set(id, { index });
    if (this.memory.size > REMEMBERED) this.memory.delete(this.memory.keys().next().value!);
    return index;
  }

  /** The saved index, if its file reads back whole (also read by `cardtrail export`). */
  async load(id: string): Promise<LineIndex | undefined> {
    try {
      const bytes = await readFile(join(this.sessionDir(id), INDEX_FILE), { flag: constants.O_RDONLY | constants.O_NOFOLLOW });
      const headerEnd = bytes.indexOf(10);
      const header = JSON.parse(bytes.toString('utf8', 0, headerEnd)) as { v: number; size: number; mtime: string; ino: string; seq: number; hash: string };
      const body = bytes.subarray(headerEnd + 1);
      if (header.v !== VERSION || body.length !== (header.seq + 1) * 8) return undefined;
      const starts = new Float64Array(header.seq + 1);
      Buffer.from(starts.buffer).set(body);
      return { size: header.size, mtime: BigInt(header.mtime), ino: BigInt(header.ino), seq: header.seq, hash: header.hash, starts };
    } catch {
      return undefined;
    }
  }

  /** Writes the index to a name of its own, then renames it over the old one (never through a link; also `export`'s). */
  async save(id: string, index: LineIndex): Promise<void> {
    if (index.mtime < 0n) return;
    const file = join(this.sessionDir(id), INDEX_FILE);
    const header = JSON.stringify({ v: VERSION, size: index.size, mtime: String(index.mtime), ino: String(index.ino), seq: index.seq, hash: index.hash });
    const temporary = `${file}.${process.pid}-${randomUUID()}.tmp`;
    const starts = index.starts.subarray(0, index.seq + 1); // the array may have room beyond the last line
    await writeFile(temporary, Buffer.concat([Buffer.from(header + '\n'), Buffer.from(starts.buffer, starts.byteOffset, starts.byteLength)]), {
      flag: constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
    });
    await rename(temporary, file).catch(async (err) => {
      await rm(temporary, { force: true });
      throw err;
    });
  }
}

export function matches(index: FileIdentity, file: BigIntStats): boolean {
  return file.isFile() && Number(file.size) === index.size && file.mtimeNs === index.mtime && file.ino === index.ino;
}

/** `starts` if it holds `needed` entries, else a copy of its first `used` with room for twice as many. */
function roomFor(starts: Float64Array, needed: number, used: number): Float64Array {
  if (starts.length >= needed) return starts;
  const grown = new Float64Array(Math.max(needed, starts.length * 2));
  grown.set(starts.subarray(0, used));
  return grown;
}

/** Where each line starts, and the end. */
export function lineStarts(bytes: Buffer): Float64Array {
  let count = 0;
  for (let at = bytes.indexOf(10); at >= 0; at = bytes.indexOf(10, at + 1)) count++;
  const starts = new Float64Array(count + 1);
  let n = 1;
  for (let at = bytes.indexOf(10); at >= 0; at = bytes.indexOf(10, at + 1)) starts[n++] = at + 1;
  return starts;
}

/** Bytes [start, end) of a file, without following a link. */
export async function readRange(path: string, start: number, end: number): Promise<Buffer> {
  const bytes = Buffer.alloc(end - start);
  const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    let done = 0;
    while (done < bytes.length) {
      const { bytesRead } = await handle.read(bytes, done, bytes.length - done, start + done);
      if (!bytesRead) throw new Error('the log is shorter than its index');
      done += bytesRead;
    }
  } finally {
    await handle.close();
  }
  return bytes;
}
