import { createHash } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { readFileSafely, realEntry, replaceFile } from '../log/disk.ts';
import type { Json } from '../log/events.ts';

/**
 * A job's resumable state, in the session's folder: `checkpoints/<step>.json`. It is not part of the log (the log
 * records values and lifecycle, not a job's internals), and it only counts for a run with the same parameters.
 */
export class Checkpoints {
  constructor(private readonly sessionDir: string) {}

  private file(step: string): string {
    return join(this.sessionDir, 'checkpoints', `${step}.json`);
  }

  /** Saves a checkpoint durably, by rename: a link at the folder is refused and a link at the file replaced. */
  async save(step: string, params: Json, data: Json): Promise<void> {
    const dir = join(this.sessionDir, 'checkpoints');
    await mkdir(dir, { recursive: true });
    await realEntry(dir, 'folder');
    await replaceFile(this.file(step), JSON.stringify({ params: hash(params), data }));
  }

  /** The last checkpoint of a run with these parameters, if any. */
  async load(step: string, params: Json): Promise<Json | undefined> {
    try {
      const saved = JSON.parse((await readFileSafely(this.file(step))).toString('utf8')) as { params: string; data: Json };
      return saved.params === hash(params) ? saved.data : undefined;
    } catch {
      return undefined;
    }
  }

  /** Forgets a step's checkpoint once its job has finished. */
  clear(step: string): Promise<void> {
    return rm(this.file(step), { force: true });
  }
}

function hash(params: Json): string {
  return createHash('sha256').update(JSON.stringify(params)).digest('hex');
}
