import { randomUUID } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LogEvent } from './events.ts';
import { advance, fold, type SessionState } from './fold.ts';
import { START, type Head, type LogStore } from './store.ts';

/** A folded state, the log head it was folded up to, and how many events it holds beyond the last snapshot. */
type Entry = { head: Head; state: SessionState; unsaved: number };

/** Raised whenever the fold's output changes shape, so snapshots written by older code are not trusted. */
export const SNAPSHOT_VERSION = 1;

const SNAPSHOT_FILE = 'snapshot.json';
/** A replay that had to read this many events leaves a snapshot, so the next cold start reads only the tail. */
const SNAPSHOT_AFTER = 1000;
/** Sessions whose state is kept in memory (most recently used). */
const REMEMBERED = 200;

/**
 * Folded session states, kept warm in memory and, for long logs, in a snapshot file beside the log
 * (`snapshot.json`: the state and the head it was folded up to). Both are derived: the log is the only truth,
 * a snapshot is used only while the log still has the line it names at the offset it names, and deleting it
 * costs one full replay.
 */
export class SessionStates {
  private readonly memory = new Map<string, Entry>();

  constructor(private readonly store: LogStore) {}

  /** The current state of a session, replaying only what was appended since the last known point. */
  async get(id: string): Promise<SessionState> {
    const size = await this.store.size(id).catch(() => -1);
    const known = this.memory.get(id);
    if (known && known.head.size === size) return this.remember(id, known).state;
    const base = known && known.head.size < size ? known : await this.snapshot(id);
    const read = await this.store.readFrom(id, base?.head ?? START);
    const resumed = base && read.from.size > 0;
    const state = resumed ? advance(base.state, read.events) : fold(read.events);
    const entry = this.remember(id, { head: read.head, state, unsaved: read.events.length });
    await this.saveIfDue(id, entry).catch((err) => console.error(`[cardtrail] snapshot of ${id} not written:`, err));
    return entry.state;
  }

  /** Moves a remembered state past events just appended, without reading the log again; undefined if not known. */
  appended(id: string, events: readonly LogEvent[], head: Head): SessionState | undefined {
    const known = this.memory.get(id);
    if (!known || !events.length || known.head.seq !== events[0].seq - 1) return void this.memory.delete(id);
    const entry = this.remember(id, { head, state: advance(known.state, events), unsaved: known.unsaved + events.length });
    this.saveIfDue(id, entry).catch((err) => console.error(`[cardtrail] snapshot of ${id} not written:`, err));
    return entry.state;
  }

  /** Forgets a session (it was deleted). */
  forget(id: string): void {
    this.memory.delete(id);
  }

  private remember(id: string, entry: Entry): Entry {
    this.memory.delete(id);
    this.memory.set(id, entry);
    if (this.memory.size > REMEMBERED) this.memory.delete(this.memory.keys().next().value!);
    return entry;
  }

  private async snapshot(id: string): Promise<Entry | undefined> {
    try {
      const saved = JSON.parse(await readFile(join(this.store.sessionDir(id), SNAPSHOT_FILE), 'utf8')) as Entry & { v: number };
      return saved.v === SNAPSHOT_VERSION ? saved : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * Writes a snapshot once enough events were folded since the last one: to a name of its own, then renamed
   * over the old one, so readers never see a half-written file and two writers never share a temporary file.
   * It is not fsynced: a snapshot lost or cut short by a crash fails to parse or to match the log, and costs
   * one full replay. A failure here never fails a page.
   */
  private async saveIfDue(id: string, entry: Entry): Promise<void> {
    if (entry.unsaved < SNAPSHOT_AFTER) return;
    entry.unsaved = 0;
    const file = join(this.store.sessionDir(id), SNAPSHOT_FILE);
    const temporary = `${file}.${process.pid}-${randomUUID()}.tmp`;
    await writeFile(temporary, JSON.stringify({ v: SNAPSHOT_VERSION, head: entry.head, state: entry.state }));
    await rename(temporary, file).catch(async (err) => {
      await rm(temporary, { force: true });
      throw err;
    });
  }
}
