import { mkdir, open, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chainHash } from './chain.ts';
import type { LogEvent, NewEvent } from './events.ts';
import { problemWith } from './event-shape.ts';
import { SESSION_ID } from './names.ts';
import { KeyedQueue } from './queue.ts';

/** Thrown when a session has no log. */
export class SessionNotFound extends Error {}

/** Thrown when a line other than the last cannot be read: the log was damaged, not merely cut short. */
export class LogDamaged extends Error {
  constructor(
    readonly line: number,
    reason: string,
  ) {
    super(`line ${line}: ${reason}`);
  }
}

/** The end of a log: its size in bytes and its last event's seq and hash, which the next append continues. */
export type Head = { size: number; seq: number; hash: string };

const LOG_FILE = 'log.jsonl';
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
      await mkdir(dir, { recursive: true });
      const event = sealed('', { seq: 1, at: at.toISOString(), ...first });
      const text = line(event);
      await durableWrite(this.logPath(id), text, 'wx');
      await fsyncDir(dir);
      await fsyncDir(this.root);
      this.heads.set(id, { size: Buffer.byteLength(text), seq: 1, hash: event.hash });
      return event;
    });
  }

  /** Appends events after the last one, numbering and chaining them; resolves when they are on disk. */
  append(id: string, events: readonly NewEvent[], at = new Date()): Promise<{ events: LogEvent[]; head: Head }> {
    return this.queue.run(id, async () => {
      const head = await this.head(id);
      const placed: LogEvent[] = [];
      let previous = { seq: head.seq, hash: head.hash };
      for (const e of events) {
        const event = sealed(previous.hash, { seq: previous.seq + 1, at: at.toISOString(), ...e });
        placed.push(event);
        previous = event;
      }
      const text = placed.map(line).join('');
      await durableWrite(this.logPath(id), text, 'a');
      const next = { size: head.size + Buffer.byteLength(text), seq: previous.seq, hash: previous.hash };
      this.heads.set(id, next);
      return { events: placed, head: next };
    });
  }

  /** All events of a session, in order. A torn last line is set aside first. */
  async read(id: string): Promise<LogEvent[]> {
    return (await this.readFrom(id, START)).events;
  }

  /**
   * The events after a known point of the log (a head seen earlier), and the head now: replays resume from a
   * snapshot this way without reading what came before. When the log no longer ends a line with that head's
   * seq and hash at that offset (it was changed behind our back), it is read from the start instead, and
   * `from` says so.
   */
  readFrom(id: string, from: Head): Promise<{ events: LogEvent[]; head: Head; from: Head }> {
    return this.queue.run(id, () => this.readAfter(id, from));
  }



  /** A session's log exactly as it is on disk, for export and verification. */
  rawLog(id: string): Promise<Buffer> {
    return this.queue.run(id, () =>
      readFile(this.logPath(id)).catch(() => {
        throw new SessionNotFound(`no session ${id}`);
      }),
    );
  }

  /** Moves a session's whole folder elsewhere (to the trash), after any append in progress. */
  move(id: string, target: string): Promise<void> {
    return this.queue.run(id, async () => {
      await rename(this.sessionDir(id), target);
      this.heads.delete(id);
    });
  }

  /** Ids of every session that has a log. */
  async list(): Promise<string[]> {
    const names = await readdir(this.root).catch(() => [] as string[]);
    const ids: string[] = [];
    for (const name of names) if (SESSION_ID.test(name) && (await exists(this.logPath(name)))) ids.push(name);
    return ids;
  }

  /** Size in bytes of a session's log: the catalog uses it to tell which logs changed. */
  async size(id: string): Promise<number> {
    return (await stat(this.logPath(id))).size;
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
    if (known?.size === size) return known;
    const last = await lastLine(this.logPath(id), size);
    return last ? { size, seq: last.seq, hash: last.hash } : (await this.readAfter(id, START)).head;
  }

  /** Reads what follows `from` (or the whole log, when the log no longer matches it); sets a torn tail aside. */
  private async readAfter(id: string, from: Head): Promise<{ events: LogEvent[]; head: Head; from: Head }> {
    const path = this.logPath(id);
    const size = await this.sizeOf(id);
    if (from.size > 0) {
      const end = from.size <= size ? await lastLine(path, from.size) : undefined;
      if (end?.seq !== from.seq || end.hash !== from.hash) from = START;
    }
    const bytes = Buffer.alloc(size - from.size);
    const handle = await open(path, 'r');
    try {
      if (bytes.length) await handle.read(bytes, 0, bytes.length, from.size);
    } finally {
      await handle.close();
    }
    const { events, goodLength } = parse(bytes, from.seq + 1);
    if (goodLength < bytes.length) await this.setAside(id, bytes.subarray(goodLength), from.size + goodLength);
    const last = events[events.length - 1];
    const head = last ? { size: from.size + goodLength, seq: last.seq, hash: last.hash } : from;
    this.heads.set(id, head);
    return { events, head, from };
  }

  /** The log's size, or SessionNotFound when there is no log. */
  private sizeOf(id: string): Promise<number> {
    return this.size(id).catch(() => {
      throw new SessionNotFound(`no session ${id}`);
    });
  }



  /** Moves a torn tail into its own file beside the log, then cuts the log back to its last whole line. */
  private async setAside(id: string, torn: Buffer, cutAt: number): Promise<void> {
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    await writeFile(join(this.sessionDir(id), `torn-${stamp}.txt`), torn, { flush: true });
    const handle = await open(this.logPath(id), 'r+');
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
  const handle = await open(path, 'r');
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
 * Parses a log's bytes whose first line should carry `firstSeq`. A bad final line is torn (left out and
 * reported through goodLength); a bad earlier line is damage and throws.
 */
export function parse(bytes: Buffer, firstSeq = 1): { events: LogEvent[]; goodLength: number } {
  const events: LogEvent[] = [];
  let start = 0;
  let lineNo = 0;
  while (start < bytes.length) {
    const end = bytes.indexOf(10, start);
    lineNo++;
    const last = end < 0 || end === bytes.length - 1;
    const value = end < 0 ? undefined : safeParse(bytes.toString('utf8', start, end));
    const problem = end < 0 ? 'no line end' : value === undefined ? 'not JSON' : problemWith(value, firstSeq + events.length);
    if (problem) {
      if (last) return { events, goodLength: start };
      throw new LogDamaged(firstSeq - 1 + lineNo, problem);
    }
    events.push(value as LogEvent);
    start = end + 1;
  }
  return { events, goodLength: bytes.length };
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

function line(event: LogEvent): string {
  return JSON.stringify(event) + '\n';
}

async function durableWrite(path: string, text: string, flags: 'a' | 'wx'): Promise<void> {
  const handle = await open(path, flags);
  try {
    // writeFile writes every byte (a single write may write fewer, and a short append must never be acknowledged).
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
