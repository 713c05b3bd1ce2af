import { dirname, join } from 'node:path';
import { readFileSafely, replaceFile } from './disk.ts';
import type { LogEvent } from './events.ts';
import { advance, fold, type SessionState } from './fold.ts';
import { snapshotKey } from './snapshot-key.ts';
import { seal, unseal } from './snapshot-seal.ts';
import { isFoldedState, isHead } from './state-shape.ts';
import { START, type Head, type LogStore, type Stop } from './store.ts';

/**
 * A folded state, the log head it was folded up to, how many events it holds beyond the last snapshot, and
 * where reading stopped early (a damaged line, an unknown type), if it did.
 */
type Entry = { head: Head; state: SessionState; unsaved: number; stop?: Stop };

/** A session's folded state and, when its log could not be read to the end, where and why it stopped. */
export type Folded = { state: SessionState; stop?: Stop };

const SNAPSHOT_FILE = 'snapshot.json';
/** A replay that had to read this many events leaves a snapshot, so the next cold start reads only the tail. */
const SNAPSHOT_AFTER = 1000;
/** Sessions whose state is kept in memory (most recently used). */
const REMEMBERED = 200;

/**
 * Folded session states, kept warm in memory and, for long logs, in a snapshot file beside the log
 * (`snapshot.json`: the state and the head it was folded up to, sealed with the data folder's key: see
 * snapshot-seal.ts). Both are derived: the log is the only truth, a snapshot is used only when its seal is this
 * server's, its state has the shape of a fold, and the log still has the line it names at the offset it names;
 * deleting it costs one full replay.
 */
export class SessionStates {
  private readonly memory = new Map<string, Entry>();

  constructor(private readonly store: LogStore) {}

  /** The current state of a session, replaying only what was appended since the last known point. */
  async get(id: string): Promise<SessionState> {
    return (await this.load(id)).state;
  }

  /** The current state of a session and where reading its log stopped early, if it did. */
  async load(id: string): Promise<Folded> {
    const size = await this.store.size(id).catch(() => -1);
    const known = this.memory.get(id);
    if (known && known.head.size === size) return this.remember(id, known);
    const base = known && !known.stop && known.head.size < size ? known : await this.snapshot(id);
    const read = await this.store.readFrom(id, base?.head ?? START);
    const resumed = base && read.from.size > 0;
    const state = resumed ? advance(base.state, read.events) : fold(read.events);
    const entry = this.remember(id, { head: read.head, state, unsaved: read.events.length, ...(read.stop && { stop: read.stop }) });
    await this.saveIfDue(id, entry).catch((err) => console.error(`[cardtrail] snapshot of ${id} not written: ${(err as Error).message}`));
    return entry;
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
    const key = this.key();
    if (!key) return undefined;
    const text = await readFileSafely(join(this.store.sessionDir(id), SNAPSHOT_FILE)).catch(() => undefined);
    const saved = text && unseal(key, text.toString('utf8'));
    if (!saved || !isHead(saved.head) || !isFoldedState(saved.state, saved.head.seq)) return undefined;
    return { head: saved.head, state: saved.state, unsaved: 0 };
  }

  /** The data folder's snapshot key; undefined when it cannot be had, and then no snapshot is read or written. */
  private key(): Buffer | undefined {
    return snapshotKey(dirname(this.store.root));
  }

  /**
   * Writes a snapshot once enough events were folded since the last one: to a name of its own, then renamed
   * over the old one, so readers never see a half-written file and two writers never share a temporary file.
   * A snapshot lost or cut short by a crash fails to parse or to match the log, and costs one full replay; a
   * link planted at its name is replaced, never written through. A failure here never fails a page.
   */
  private async saveIfDue(id: string, entry: Entry): Promise<void> {
    const key = this.key();
    if (entry.unsaved < SNAPSHOT_AFTER || entry.stop || !key) return;
    entry.unsaved = 0;
    const file = join(this.store.sessionDir(id), SNAPSHOT_FILE);
    await replaceFile(file, seal(key, { head: entry.head, state: entry.state }));
  }
}
