import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Json } from '../log/events.ts';

/** At most one checkpoint write per step this often: a job that checkpoints every tick keeps its own pace. */
export const CHECKPOINT_EVERY_MS = 500;

/** A step's checkpoint file: the latest data not yet written, the write in flight, and when the last began. */
type Slot = { latest?: string; writing?: Promise<void>; timer?: NodeJS.Timeout; lastWrite: number };

/** One slot per file, shared by every Checkpoints of the folder (a retry may start while a write is in flight). */
const slots = new Map<string, Slot>();

/**
 * A job's resumable state, in the session's folder: `checkpoints/<step>.json`. It is not part of the log (the log
 * records values and lifecycle, not a job's internals), and it only counts for a run with the same parameters.
 *
 * `save` returns at once. The latest checkpoint is written (to a temporary file, fsynced, renamed over the old
 * one) at most every CHECKPOINT_EVERY_MS, so a crash loses at most that much of a job's progress, never the file.
 */
export class Checkpoints {
  constructor(private readonly sessionDir: string) {}

  private file(step: string): string {
    return join(this.sessionDir, 'checkpoints', `${step}.json`);
  }

  /** Queues a checkpoint; it is on disk within CHECKPOINT_EVERY_MS. */
  save(step: string, params: Json, data: Json): Promise<void> {
    const file = this.file(step);
    const slot = slots.get(file) ?? { lastWrite: 0 };
    slots.set(file, slot);
    slot.latest = JSON.stringify({ params: hash(params), data });
    if (!slot.timer && !slot.writing) {
      const wait = Math.max(0, slot.lastWrite + CHECKPOINT_EVERY_MS - Date.now());
      slot.timer = setTimeout(() => this.write(file, slot), wait);
    }
    return Promise.resolve();
  }

  /** The last checkpoint of a run with these parameters, if any (one not yet written counts). */
  async load(step: string, params: Json): Promise<Json | undefined> {
    try {
      const latest = slots.get(this.file(step))?.latest;
      const saved = JSON.parse(latest ?? (await readFile(this.file(step), 'utf8'))) as { params: string; data: Json };
      return saved.params === hash(params) ? saved.data : undefined;
    } catch {
      return undefined;
    }
  }

  /** Forgets a step's checkpoint once its job has finished: nothing queued is written after this. */
  async clear(step: string): Promise<void> {
    const file = this.file(step);
    const slot = slots.get(file);
    if (slot) {
      clearTimeout(slot.timer);
      slot.timer = undefined;
      slot.latest = undefined;
      await slot.writing;
      slots.delete(file);
    }
    await rm(file, { force: true });
  }

  private write(file: string, slot: Slot): void {
    slot.timer = undefined;
    const text = slot.latest;
    if (text === undefined) return;
    slot.latest = undefined;
    slot.lastWrite = Date.now();
    slot.writing = replace(file, text)
      .catch((err) => console.error(`[cardtrail] checkpoint ${file} not written:`, (err as Error).message))
      .finally(() => {
        slot.writing = undefined;
        if (slot.latest !== undefined) slot.timer = setTimeout(() => this.write(file, slot), CHECKPOINT_EVERY_MS);
      });
  }
}

/** Writes a file whole or not at all: a temporary file, fsynced, renamed over the old one. */
async function replace(file: string, text: string): Promise<void> {
  await mkdir(join(file, '..'), { recursive: true });
  const temporary = `${file}.${process.pid}-${randomUUID()}.tmp`;
  await writeFile(temporary, text, { flush: true, flag: 'wx' });
  await rename(temporary, file).catch(async (err) => {
    await rm(temporary, { force: true });
    throw err;
  });
}

function hash(params: Json): string {
  return createHash('sha256').update(JSON.stringify(params)).digest('hex');
}
