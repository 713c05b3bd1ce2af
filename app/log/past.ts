import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LogEvent } from './events.ts';
import { advance, fold, type SessionState } from './fold.ts';
import type { LineIndex, LineIndexes } from './line-index.ts';
import { seal, unseal } from './snapshot-seal.ts';
import { isFoldedState } from './state-shape.ts';

/** A session's state is kept for every this many entries, so the past at any entry folds at most this many. */
export const PAST_EVERY = 500;

const PAST_DIR = 'past';


/**
 * The session as it was after any entry, from states saved every PAST_EVERY entries in `<session>/past/<seq>.json`
 * (made when first needed, not fsynced, sealed as snapshots are: snapshot-seal.ts). A saved state is used only
 * when its seal is this server's and its state has the shape of a fold, while its entry's line still carries the hash
 * it was made from, and only through a line index that matches the log, so a changed log is folded anew.
 */
export class PastStates {
  constructor(
    private readonly lines: LineIndexes,
    private readonly sessionDir: (id: string) => string,
    /** The data folder's snapshot key; without one nothing is saved or believed. */
    private readonly key: () => Buffer | undefined,
  ) {}

  /** The state right after entry `seq` (1 ≤ seq ≤ index.seq) and that entry. */
  async at(id: string, index: LineIndex, seq: number): Promise<{ state: SessionState; event: LogEvent }> {
    const base = Math.floor(seq / PAST_EVERY) * PAST_EVERY;
    const saved = base ? await this.load(id, base) : undefined;
    const from = saved ? base : 1;
    const read = await this.lines.lines(id, index, from, seq);
    if (read.broken !== undefined) throw new Error(`line ${read.broken} of the log does not match its chain`);
    const [first, ...rest] = read.events;
    let state: SessionState;
    if (saved && first.hash === saved.hash) state = advance(saved.state, rest);
    else {
      const whole = saved ? await this.lines.lines(id, index, 1, seq) : read;
      if (whole.broken !== undefined) throw new Error(`line ${whole.broken} of the log does not match its chain`);
      if (base) await this.save(id, base, fold(whole.events, base), whole.events[base - 1].hash);
      state = fold(whole.events, seq);
    }
    return { state, event: read.events[read.events.length - 1] };
  }

  private async load(id: string, seq: number): Promise<{ hash: string; state: SessionState } | undefined> {
    const key = this.key();
    try {
      if (!key || !(await lstat(join(this.sessionDir(id), PAST_DIR))).isDirectory()) return undefined;
      const saved = unseal(key, await readFile(this.file(id, seq), { encoding: 'utf8', flag: constants.O_RDONLY | constants.O_NOFOLLOW }));
      if (!saved || saved.seq !== seq || typeof saved.hash !== 'string' || !isFoldedState(saved.state, seq)) return undefined;
      return { hash: saved.hash, state: saved.state };
    } catch {
      return undefined;
    }
  }

  /** Saves a state; never through a link, and never failing the page that asked for it. */
  private async save(id: string, seq: number, state: SessionState, hash: string): Promise<void> {
    const key = this.key();
    if (!key) return;
    try {
      const dir = join(this.sessionDir(id), PAST_DIR);
      await mkdir(dir).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'EEXIST') throw err;
      });
      if (!(await lstat(dir)).isDirectory()) return;
      const file = this.file(id, seq);
      const temporary = `${file}.${process.pid}-${randomUUID()}.tmp`;
      await writeFile(temporary, seal(key, { seq, hash, state }), {
        flag: constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
      });
      await rename(temporary, file).catch(async (err) => {
        await rm(temporary, { force: true });
        throw err;
      });
    } catch (err) {
      console.error(`[cardtrail] past state ${seq} of ${id} not written:`, (err as Error).message);
    }
  }

  private file(id: string, seq: number): string {
    return join(this.sessionDir(id), PAST_DIR, `${seq}.json`);
  }
}
