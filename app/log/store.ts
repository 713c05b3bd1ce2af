import { closeSync, fsync, fsyncSync, ftruncateSync, writeSync } from 'node:fs';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import { dirname, join } from 'node:path';
import { chainHash } from './chain.ts';
import { asDiskFault, LinkRefused, NotAFile, openFile, openFileSync, readFileSafely, realEntry, syncFolder, writeNewFile } from './disk.ts';
import type { LogEvent, NewEvent } from './events.ts';
import { problemWith, unknownTypeOf } from './event-shape.ts';
import { SESSION_ID } from './names.ts';
import { KeyedQueue } from './queue.ts';

/** Thrown when a session has no log. */
export class SessionNotFound extends Error {}

/**
 * Thrown for a session whose `log.jsonl` is there but is no regular file (a folder, a pipe): there is nothing to
 * read or append to, and it is left as it is. The session is still a session: it can be moved to the trash.
 */
export class LogNotAFile extends NotAFile {
  constructor(
    readonly session: string,
    path: string,
    kind: string,
  ) {
    super(path, kind);
  }
}

/**
 * Where reading a log stopped before its end, and why: a line other than the last that cannot be read (the log
 * was damaged, not merely cut short), or a whole, chained line of a type this version does not know (a newer
 * Cardtrail wrote it). The lines from there on are kept as they are; the session is read-only.
 */
export type Stop = { line: number; kind: 'damaged' | 'unknown'; reason: string };

/** Thrown by an append to a log that reading stopped in: nothing is written after lines that were not understood. */
export class LogStopped extends Error {
  constructor(readonly stop: Stop) {
    super(stopMessage(stop));
  }
}

/** What the person is told about a log that could not be read to its end. */
export function stopMessage(stop: Stop): string {
  return stop.kind === 'unknown'
    ? `Entry ${stop.line} of this session's log is of a kind this version of Cardtrail does not know (${stop.reason}); perhaps a newer version wrote it. The session is shown as it was before that entry and is read-only: nothing is written to its log. Export it, or open it with the newer version.`
    : `This session's log cannot be read past line ${stop.line} (${stop.reason}). The file is left exactly as it is; the session is shown as it was before that line and is read-only. Export it (it is the evidence), fork it to go on, or delete it.`;
}

/** The end of a log: its size in bytes and its last event's seq and hash, which the next append continues. */
export type Head = { size: number; seq: number; hash: string };

/** What a read gives: the events, the head after them, the head it started from, and where it stopped early. */
export type Read = { events: LogEvent[]; head: Head; from: Head; stop?: Stop };

const LOG_FILE = 'log.jsonl';
/** A new log's first line, written whole under this name and then renamed to LOG_FILE. */
const NEW_LOG = `${LOG_FILE}.new`;
/** The head of an empty log: reading from it reads everything. */
export const START: Head = Object.freeze({ size: 0, seq: 0, hash: '' });
/** How far back from the end a log's last line is looked for before reading the whole file. */
const TAIL_WINDOW = 64 * 1024;

/**
 * The per-session append-only logs: `<root>/<sessionId>/log.jsonl`, one event per line.
 * Every read and append of one session runs in turn, so seqs are never shared or skipped;
 * an append resolves only once the bytes are fsynced.
 */
export class LogStore {
  private readonly queue = new KeyedQueue();
  private readonly heads = new Map<string, Head>();
  /** Sessions whose last read stopped early: they take no appends until a read gets through. */
  private readonly stops = new Map<string, Stop>();

  constructor(readonly root: string) {}

  /** The folder that holds everything of one session: its log and its output files. Ids of another shape never
   * reach the disk, whichever caller passes them. */
  sessionDir(id: string): string {
    if (!SESSION_ID.test(id)) throw new SessionNotFound(`"${id}" is not a session id`);
    return join(this.root, id);
  }

  /** Creates a session's log with its first event. */
  create(id: string, first: NewEvent, at = new Date()): Promise<LogEvent> {
    return this.queue.run(id, async () => {
      const dir = this.sessionDir(id);
      const event = sealed('', { seq: 1, at: at.toISOString(), ...first });
      const text = line(event);
      await this.guarded(() => mkdir(this.root, { recursive: true }));
      await this.guarded(() => mkdir(dir));
      try {
        // Written under another name and renamed: a crash leaves a whole log.jsonl or none, never an empty one.
        const temporary = join(dir, NEW_LOG);
        await writeNewFile(temporary, text);
        await rename(temporary, this.logPath(id));
        await syncFolder(dir);
        await syncFolder(this.root);
      } catch (err) {
        // A session that could not be written whole is not left behind as an empty or partial log.
        await rm(dir, { recursive: true, force: true }).catch(() => undefined);
        throw asDiskFault(err, this.folder);
      }
      this.heads.set(id, { size: Buffer.byteLength(text), seq: 1, hash: event.hash });
      return event;
    });
  }

  /** Appends events after the last one, numbering and chaining them; resolves when they are on disk. */
  append(id: string, events: readonly NewEvent[], at = new Date()): Promise<{ events: LogEvent[]; head: Head }> {
    return this.queue.run(id, async () => {
      const head = await this.head(id);
      for (const e of events) {
        const problem = problemWith({ seq: 1, at: at.toISOString(), hash: '', ...e }, 1);
        if (problem) throw new Error(`refused to append a malformed event: ${problem}`);
      }
      const placed: LogEvent[] = [];
      let previous = { seq: head.seq, hash: head.hash };
      for (const e of events) {
        const event = sealed(previous.hash, { seq: previous.seq + 1, at: at.toISOString(), ...e });
        placed.push(event);
        previous = event;
      }
      const text = placed.map(line).join('');
      await this.appendWhole(id, text, head.size);
      const next = { size: head.size + Buffer.byteLength(text), seq: previous.seq, hash: previous.hash };
      this.heads.set(id, next);
      return { events: placed, head: next };
    });
  }

  /** All events of a session that can be read, in order (up to a stop: see readFrom). A torn last line is set aside first. */
  async read(id: string): Promise<LogEvent[]> {
    return (await this.readFrom(id, START)).events;
  }

  /**
   * The events after a known point of the log (a head seen earlier), and the head now: replays resume from a
   * snapshot this way without reading what came before. When the log no longer ends a line with that head's
   * seq and hash at that offset (it was changed behind our back), it is read from the start instead, and
   * `from` says so. A log that cannot be read to its end (a damaged line, an unknown type) gives the events
   * before that line, and `stop` says where and why.
   */
  readFrom(id: string, from: Head): Promise<Read> {
    return this.queue.run(id, () => this.readAfter(id, from, false));
  }

  /** A session's log exactly as it is on disk, for export and verification. */
  rawLog(id: string): Promise<Buffer> {
    return this.queue.run(id, async () => {
      await this.sizeOf(id);
      return readFileSafely(this.logPath(id));
    });
  }

  /** Moves a session's whole folder elsewhere (to the trash), after any append in progress. */
  move(id: string, target: string): Promise<void> {
    return this.queue.run(id, async () => {
      // The folder it moves into must be a real one: through a link, a session would leave the data folder.
      await realEntry(dirname(target), 'folder');
      await this.guarded(() => rename(this.sessionDir(id), target));
      this.heads.delete(id);
    });
  }

  /**
   * Removes what a start cut off before its first line was renamed into place left behind: among `ids`
   * (folders found without a log), each that is a real folder holding nothing or only the new log's
   * temporary file. Nothing was acknowledged for them and nothing lists them. Run before serving; returns how
   * many went.
   */
  async removeUnfinished(ids: readonly string[]): Promise<number> {
    let removed = 0;
    for (const id of ids) {
      const dir = this.sessionDir(id);
      try {
        await realEntry(dir, 'folder');
        const inside = await readdir(dir);
        if (inside.some((name) => name !== NEW_LOG) || (await exists(this.logPath(id)))) continue;
        await rm(dir, { recursive: true, force: true });
        removed++;
      } catch {
        // not a real folder, or it changed meanwhile: left as it is
      }
    }
    return removed;
  }

  /** Ids of every session that has a log. */
  async list(): Promise<string[]> {
    const names = await readdir(this.root).catch(() => [] as string[]);
    const ids: string[] = [];
    for (const name of names) if (SESSION_ID.test(name) && (await exists(this.logPath(name)))) ids.push(name);
    return ids;
  }

  /**
   * Size in bytes of a session's log: the catalog uses it to tell which logs changed. The session's folder and
   * its log must be real ones: a link at either is LinkRefused, never followed.
   */
  async size(id: string): Promise<number> {
    await realEntry(this.sessionDir(id), 'folder');
    return realEntry(this.logPath(id), 'file');
  }

  /** The data folder the sessions live in (the store's root is its `sessions/`), as disk failures name it. */
  private get folder(): string {
    return dirname(this.root);
  }

  private guardedSync<T>(write: () => T): T {
    try {
      return write();
    } catch (err) {
      throw asDiskFault(err, this.folder);
    }
  }

  /** Runs a write, naming a disk failure for what it is (full, read-only, not permitted). */
  private async guarded<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (err) {
      throw asDiskFault(err, this.folder);
    }
  }

  /**
   * Appends lines whole or not at all: a write cut short (the disk filled up) is cut back off the log before the
   * failure is reported, so no partial line is ever left behind.
   */
  private async appendWhole(id: string, text: string, sizeBefore: number): Promise<void> {
    // Opening, writing a line or two to the page cache and closing take microseconds each, so they are done at
    // once; only the fsync, which waits for the disk, leaves the event loop free.
    const fd = this.guardedSync(() => openFileSync(this.logPath(id), 'append'));
    try {
      writeWhole(fd, Buffer.from(text));
      await fsyncOf(fd);
    } catch (err) {
      this.heads.delete(id);
      try {
        ftruncateSync(fd, sizeBefore);
        fsyncSync(fd);
      } catch {
        // the disk refuses even this: the next append reads the tail and sets it aside
      }
      throw asDiskFault(err, this.folder);
    } finally {
      closeQuietly(fd);
    }
  }

  private logPath(id: string): string {
    return join(this.sessionDir(id), LOG_FILE);
  }

  /**
   * Where the next append goes. Known from the last append, or read from the file's last line; a log whose end
   * does not read cleanly is read whole, which sets a torn tail aside.
   */
  private async head(id: string): Promise<Head> {
    const size = await this.sizeOf(id);
    const known = this.heads.get(id);
    // A log that stopped a read is read whole again: its last line may be fine while an earlier one is not.
    const stopped = this.stops.has(id);
    if (known?.size === size && !stopped) return known;
    const last = stopped ? undefined : await lastLine(this.logPath(id), size);
    if (last) return { size, seq: last.seq, hash: last.hash };
    const read = await this.readAfter(id, START, true);
    if (read.stop) throw new LogStopped(read.stop);
    return read.head;
  }

  /**
   * Reads what follows `from` (or the whole log, when the log no longer matches it); sets a torn tail aside.
   * When the tail cannot be set aside (the disk is full), a read goes on without it and leaves it for later,
   * but an append (`mustCut`) fails: new lines must never follow a torn one.
   */
  private async readAfter(id: string, from: Head, mustCut: boolean): Promise<Read> {
    const path = this.logPath(id);
    const size = await this.sizeOf(id);
    if (from.size > 0) {
      const end = from.size <= size ? await lastLine(path, from.size) : undefined;
      if (end?.seq !== from.seq || end.hash !== from.hash) from = START;
    }
    const bytes = Buffer.alloc(size - from.size);
    const handle = await openFile(path, 'read');
    try {
      if (bytes.length) await handle.read(bytes, 0, bytes.length, from.size);
    } finally {
      await handle.close();
    }
    const { events, goodLength, stop } = parse(bytes, from.seq + 1, from.hash);
    let cut = true;
    if (goodLength < bytes.length)
      await this.setAside(id, bytes.subarray(goodLength), from.size + goodLength).catch((err) => {
        if (mustCut) throw asDiskFault(err, this.folder);
        cut = false;
      });
    const last = events[events.length - 1];
    const head = last ? { size: from.size + goodLength, seq: last.seq, hash: last.hash } : from;
    if (cut) this.heads.set(id, head);
    else this.heads.delete(id);
    if (stop) this.stops.set(id, stop);
    else this.stops.delete(id);
    return { events, head, from, ...(stop && { stop }) };
  }

  /** The log's size; SessionNotFound when there is no log, LogNotAFile when something else has its name. */
  private sizeOf(id: string): Promise<number> {
    return this.size(id).catch((err) => {
      if (err instanceof LinkRefused) throw err;
      if (err instanceof NotAFile) throw new LogNotAFile(id, err.path, err.kind ?? 'something else');
      throw new SessionNotFound(`no session ${id}`);
    });
  }

  /**
   * Moves a torn tail into its own file beside the log, then cuts the log back to its last whole line. If the
   * tail cannot be saved, the log is not cut (and no empty file is left): nothing is ever dropped unsaved.
   */
  private async setAside(id: string, torn: Buffer, cutAt: number): Promise<void> {
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    await writeNewFile(join(this.sessionDir(id), `torn-${stamp}-${torn.length}.txt`), torn);
    const handle = await openFile(this.logPath(id), 'update');
    try {
      await handle.truncate(cutAt);
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
}

/**
 * The event whose line ends at byte `size` of the log, when that is a whole line that follows the line before it
 * (next seq, chained hash); else undefined, and the caller reads the log whole.
 */
async function lastLine(path: string, size: number): Promise<LogEvent | undefined> {
  if (size === 0) return undefined;
  const length = Math.min(size, TAIL_WINDOW);
  const handle = await openFile(path, 'read');
  try {
    const bytes = Buffer.alloc(length);
    await handle.read(bytes, 0, length, size - length);
    const text = bytes.toString('utf8');
    if (!text.endsWith('\n')) return undefined;
    const start = text.lastIndexOf('\n', text.length - 2) + 1;
    const last = safeParse(text.slice(start, -1));
    if (problemWith(last, undefined)) return undefined;
    const event = last as LogEvent;
    if (start === 0 && length === size) return event.seq === 1 && event.hash === chainHash('', event) ? event : undefined;
    if (start === 0) return undefined;
    const before = safeParse(text.slice(text.lastIndexOf('\n', start - 2) + 1, start - 1)) as LogEvent | undefined;
    const follows = before?.seq === event.seq - 1 && typeof before.hash === 'string' && event.hash === chainHash(before.hash, event);
    return follows ? event : undefined;
  } finally {
    await handle.close();
  }
}

/**
 * Parses a log's bytes whose first line should carry `firstSeq` and chain from `previousHash`. A bad final line
 * is torn (left out and reported through goodLength). A bad earlier line is damage, and a whole line of a type
 * this version does not know (its seq in order, its hash chained) is not ours to judge: reading stops there,
 * `stop` says why, and every byte from there on is kept (goodLength covers them). The log may be given as its
 * text when that is exactly its UTF-8 bytes decoded (then no line is decoded again); goodLength is in bytes either way.
 */
export function parse(log: Buffer | string, firstSeq = 1, previousHash = ''): { events: LogEvent[]; goodLength: number; stop?: Stop } {
  const kept = new Kept();
  const { count: _count, ...read } = scanLines(linesOf(log), kept, firstSeq, previousHash);
  return { events: kept.events, ...read };
}

/** What `scan` read: how many good events, the bytes they (or a stop) cover, and why reading stopped early. */
export type Scanned = { count: number; goodLength: number; stop?: Stop };

/**
 * `parse` without keeping the events: each good event is handed to `visit` with where its line starts and ends
 * (the newline) in `bytes`, and may be dropped at once, so a caller that only checks (verify) holds one at a time.
 */
export function scan(bytes: Buffer, visit: (event: LogEvent, start: number, end: number) => void, firstSeq = 1, previousHash = ''): Scanned {
  return scanLines(new ByteLines(bytes), { visit }, firstSeq, previousHash);
}

type Visitor = { visit(event: LogEvent, start: number, end: number): void };

/** Keeps every event it is handed. (Objects of classes, not closures, are what a scan is given: it runs once a log.) */
class Kept implements Visitor {
  readonly events: LogEvent[] = [];
  visit(event: LogEvent): void {
    this.events.push(event);
  }
}

/** A log's lines: its length, where a line ends, a line's text, and a position in bytes. */
type Lines = { readonly length: number; end(from: number): number; text(start: number, end: number): string; bytesTo(at: number): number };

class ByteLines implements Lines {
  constructor(private readonly bytes: Buffer) {}
  get length(): number {
    return this.bytes.length;
  }
  end(from: number): number {
    return this.bytes.indexOf(10, from);
  }
  text(start: number, end: number): string {
    return this.bytes.toString('utf8', start, end);
  }
  bytesTo(at: number): number {
    return at;
  }
}

/** The lines of a log's text (exactly its bytes decoded): no line is decoded again, and positions count characters. */
class TextLines implements Lines {
  constructor(private readonly log: string) {}
  get length(): number {
    return this.log.length;
  }
  end(from: number): number {
    return this.log.indexOf('\n', from);
  }
  text(start: number, end: number): string {
    return this.log.slice(start, end);
  }
  bytesTo(at: number): number {
    return Buffer.byteLength(at === this.log.length ? this.log : this.log.slice(0, at));
  }
}

function linesOf(log: Buffer | string): Lines {
  return typeof log === 'string' ? new TextLines(log) : new ByteLines(log);
}

function scanLines(lines: Lines, visitor: Visitor, firstSeq: number, previousHash: string): Scanned {
  let count = 0;
  let lastHash = previousHash;
  let start = 0;
  const length = lines.length;
  while (start < length) {
    const end = lines.end(start);
    const last = end < 0 || end === length - 1;
    const value = end < 0 ? undefined : safeParse(lines.text(start, end));
    const expected = firstSeq + count;
    const problem = end < 0 ? 'no line end' : value === undefined ? 'not JSON' : problemWith(value, expected);
    if (problem) {
      const line = firstSeq + count;
      const type = unknownTypeOf(value, expected);
      const chained = type !== undefined && (value as LogEvent).hash === chainHash(lastHash, value as LogEvent);
      if (chained) return { count, goodLength: lines.bytesTo(length), stop: { line, kind: 'unknown', reason: `type ${JSON.stringify(type)}` } };
      if (last) return { count, goodLength: lines.bytesTo(start) };
      return { count, goodLength: lines.bytesTo(length), stop: { line, kind: 'damaged', reason: problem } };
    }
    visitor.visit(value as LogEvent, start, end);
    lastHash = (value as LogEvent).hash;
    count++;
    start = end + 1;
  }
  return { count, goodLength: lines.bytesTo(length) };
}

function safeParse(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

/** Gives an event its chained hash, as the last key of its line. */
function sealed(previous: string, event: Record<string, unknown>): LogEvent {
  return { ...event, hash: chainHash(previous, event as LogEvent) } as LogEvent;
}

const fsyncOf = promisify(fsync);

/** Writes every byte (a single write may write fewer, and a short append must never be acknowledged). */
function writeWhole(fd: number, bytes: Buffer): void {
  for (let done = 0; done < bytes.length; ) {
    const wrote = writeSync(fd, bytes, done, bytes.length - done);
    if (wrote <= 0) throw Object.assign(new Error('the disk took no more bytes'), { code: 'ENOSPC', syscall: 'write' });
    done += wrote;
  }
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // closing a descriptor whose writes are already synced (or failed and reported) has nothing left to lose
  }
}

function line(event: LogEvent): string {
  return JSON.stringify(event) + '\n';
}

async function exists(path: string): Promise<boolean> {
  return realEntry(path, 'file').then(
    () => true,
    () => false,
  );
}
