import { createHash, randomUUID } from 'node:crypto';
import { lstatSync, mkdirSync } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { LinkRefused, openFile, readFileSafely, realEntry } from '../log/disk.ts';
import type { Json } from '../log/events.ts';

/** How often the latest checkpoint written is also fsynced (a write per checkpoint never waits for the disk). */
export const CHECKPOINT_SYNC_MS = 1000;

/** A step's checkpoint file: the latest data not yet written, the write in flight, whether a sync is due. */
type Slot = { latest?: string; writing?: Promise<void>; syncTimer?: NodeJS.Timeout; cleared?: boolean };

/** One slot per file, shared by every Checkpoints of the folder (a retry may start while a write is in flight). */
const slots = new Map<string, Slot>();

/**
 * A job's resumable state, in the session's folder: `checkpoints/<step>.json`. It is not part of the log (the log
 * records values and lifecycle, not a job's internals), and it only counts for a run with the same parameters.
 *
 * `save` returns at once, so a job's pace is its own. Checkpoints are written one at a time, each whole (a
 * temporary file renamed over the old one); those that arrive while one is written are coalesced into the
 * latest. Writes are not flushed one by one: the file is fsynced at most every CHECKPOINT_SYNC_MS. A killed
 * server loses at most the checkpoint being written; a power cut at most the last second of them.
 */
export class Checkpoints {
  constructor(private readonly sessionDir: string) {}

  private file(step: string): string {
    return join(this.sessionDir, 'checkpoints', `${step}.json`);
  }

  /** Queues a checkpoint; it is written as soon as the write before it is done. */
  save(step: string, params: Json, data: Json): Promise<void> {
    const file = this.file(step);
    let slot = slots.get(file);
    if (!slot) {
      // The first checkpoint of a run checks the folder at once: a link planted there fails the job, saying so.
      try {
        realFolderSync(dirname(file));
      } catch (err) {
        return Promise.reject(err);
      }
      slots.set(file, (slot = {}));
    }
    slot.cleared = false;
    slot.latest = JSON.stringify({ params: hash(params), data });
    if (!slot.writing) this.write(file, slot);
    return Promise.resolve();
  }

  /** The last checkpoint of a run with these parameters, if any (one not yet written counts). */
  async load(step: string, params: Json): Promise<Json | undefined> {
    try {
      const latest = slots.get(this.file(step))?.latest;
      const saved = JSON.parse(latest ?? (await readFileSafely(this.file(step))).toString('utf8')) as { params: string; data: Json };
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
      slot.cleared = true;
      slot.latest = undefined;
      clearTimeout(slot.syncTimer);
      await slot.writing;
      slots.delete(file);
    }
    await rm(file, { force: true });
  }

  private write(file: string, slot: Slot): void {
    const text = slot.latest;
    if (text === undefined || slot.cleared) return;
    slot.latest = undefined;
    slot.writing = replace(file, text)
      .then(() => {
        slot.syncTimer ??= setTimeout(() => {
          slot.syncTimer = undefined;
          if (!slot.cleared) void fsyncFile(file);
        }, CHECKPOINT_SYNC_MS);
      })
      .catch((err) => console.error(`[cardtrail] checkpoint ${file} not written:`, (err as Error).message))
      .finally(() => {
        slot.writing = undefined;
        this.write(file, slot);
      });
  }
}

/**
 * Writes a file whole or not at all: a temporary file renamed over the old one. A link at the folder is refused
 * and a link at the file replaced, never written through.
 */
async function replace(file: string, text: string): Promise<void> {
  const dir = dirname(file);
  await mkdir(dir, { recursive: true });
  await realEntry(dir, 'folder');
  const temporary = `${file}.${process.pid}-${randomUUID()}.tmp`;
  const handle = await openFile(temporary, 'create');
  try {
    await handle.writeFile(text);
  } finally {
    await handle.close();
  }
  await rename(temporary, file).catch(async (err) => {
    await rm(temporary, { force: true });
    throw err;
  });
}

/** Flushes the file (whichever checkpoint it holds now) and its folder to the disk; failures only cost a resume. */
async function fsyncFile(file: string): Promise<void> {
  for (const opening of [() => openFile(file, 'read'), () => open(dirname(file), 'r')]) {
    const handle = await opening().catch(() => undefined);
    await handle?.sync().catch(() => {});
    await handle?.close();
  }
}

/** Makes the checkpoints folder if need be; a link in its place is refused (LinkRefused). */
function realFolderSync(dir: string): void {
  mkdirSync(dir, { recursive: true });
  if (lstatSync(dir).isSymbolicLink()) throw new LinkRefused(dir);
}

function hash(params: Json): string {
  return createHash('sha256').update(JSON.stringify(params)).digest('hex');
}
