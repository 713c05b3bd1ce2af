import { mkdir, open, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EVENT_TYPES, type LogEvent, type NewEvent } from './events.ts';
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

const LOG_FILE = 'log.jsonl';

/**
 * The per-session append-only logs: `<root>/<sessionId>/log.jsonl`, one event per line.
 * Every read and append of one session runs in turn, so seqs are never shared or skipped;
 * an append resolves only once the bytes are fsynced.
 */
export class LogStore {
  private readonly queue = new KeyedQueue();
  private readonly cache = new Map<string, { size: number; events: LogEvent[] }>();

  constructor(readonly root: string) {}

  /** The folder that holds everything of one session: its log and its output files. */
  sessionDir(id: string): string {
    return join(this.root, id);
  }

  /** Creates a session's log with its first event. */
  create(id: string, first: NewEvent, at = new Date()): Promise<LogEvent> {
    return this.queue.run(id, async () => {
      const dir = this.sessionDir(id);
      await mkdir(dir, { recursive: true });
      const event = { seq: 1, at: at.toISOString(), ...first } as LogEvent;
      await durableWrite(join(dir, LOG_FILE), line(event), 'wx');
      await fsyncDir(dir);
      await fsyncDir(this.root);
      this.cache.delete(id);
      return event;
    });
  }

  /** Appends events after the last one, numbering them; resolves when they are on disk. */
  append(id: string, events: readonly NewEvent[], at = new Date()): Promise<LogEvent[]> {
    return this.queue.run(id, async () => {
      const existing = await this.load(id);
      let seq = existing.length ? existing[existing.length - 1].seq : 0;
      const placed = events.map((e) => ({ seq: ++seq, at: at.toISOString(), ...e }) as LogEvent);
      const text = placed.map(line).join('');
      await durableWrite(this.logPath(id), text, 'a');
      const cached = this.cache.get(id);
      if (cached) this.cache.set(id, { size: cached.size + Buffer.byteLength(text), events: [...existing, ...placed] });
      return placed;
    });
  }

  /** All events of a session, in order. A torn last line is set aside first. */
  read(id: string): Promise<LogEvent[]> {
    return this.queue.run(id, () => this.load(id));
  }

  /** Ids of every session that has a log. */
  async list(): Promise<string[]> {
    const names = await readdir(this.root).catch(() => [] as string[]);
    const ids: string[] = [];
    for (const name of names) if (await exists(join(this.root, name, LOG_FILE))) ids.push(name);
    return ids;
  }

  /** Size in bytes of a session's log: the catalog uses it to tell which logs changed. */
  async size(id: string): Promise<number> {
    return (await stat(this.logPath(id))).size;
  }

  private logPath(id: string): string {
    return join(this.sessionDir(id), LOG_FILE);
  }

  private async load(id: string): Promise<LogEvent[]> {
    const path = this.logPath(id);
    const size = await stat(path).then(
      (s) => s.size,
      () => -1,
    );
    if (size < 0) throw new SessionNotFound(`no session ${id}`);
    const cached = this.cache.get(id);
    if (cached && cached.size === size) return cached.events;
    const bytes = await readFile(path);
    const { events, goodLength } = parse(bytes);
    if (goodLength < bytes.length) await this.setAside(id, bytes, goodLength);
    this.cache.set(id, { size: goodLength, events });
    return events;
  }

  /** Moves a torn tail into its own file beside the log, then cuts the log back to its last whole line. */
  private async setAside(id: string, bytes: Buffer, goodLength: number): Promise<void> {
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    await writeFile(join(this.sessionDir(id), `torn-${stamp}.txt`), bytes.subarray(goodLength), { flush: true });
    const handle = await open(this.logPath(id), 'r+');
    try {
      await handle.truncate(goodLength);
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
}

/** Parses a log's bytes; a bad final line is torn (left out), a bad earlier line is damage. */
export function parse(bytes: Buffer): { events: LogEvent[]; goodLength: number } {
  const text = bytes.toString('utf8');
  const events: LogEvent[] = [];
  let start = 0;
  let lineNo = 0;
  while (start < text.length) {
    const end = text.indexOf('\n', start);
    lineNo++;
    const last = end < 0 || end === text.length - 1;
    const raw = text.slice(start, end < 0 ? text.length : end);
    const problem = end < 0 ? 'no line end' : check(raw, events);
    if (problem) {
      if (last) return { events, goodLength: Buffer.byteLength(text.slice(0, start)) };
      throw new LogDamaged(lineNo, problem);
    }
    events.push(JSON.parse(raw) as LogEvent);
    start = end + 1;
  }
  return { events, goodLength: bytes.length };
}

/** Why a line is not the next event of the log, or undefined when it is. */
function check(raw: string, before: readonly LogEvent[]): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return 'not JSON';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object';
  const { seq, type, at } = value as Record<string, unknown>;
  const expected = before.length + 1;
  if (seq !== expected) return `seq is ${JSON.stringify(seq)}, expected ${expected}`;
  if (typeof type !== 'string' || !EVENT_TYPES.has(type)) return `unknown event type ${JSON.stringify(type)}`;
  if (typeof at !== 'string' || Number.isNaN(Date.parse(at))) return 'at is not a time';
  return undefined;
}

function line(event: LogEvent): string {
  return JSON.stringify(event) + '\n';
}

async function durableWrite(path: string, text: string, flags: 'a' | 'wx'): Promise<void> {
  const handle = await open(path, flags);
  try {
    await handle.write(text);
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
