import { open, rename, rm } from 'node:fs/promises';
import { syncFolder } from '../log/disk.ts';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { TEMP_PREFIX } from './names.ts';
import { OutputStream } from './output-stream.ts';
import { prepareInside } from './safe-path.ts';
import { SessionFiles } from './session-files.ts';
import { notWritten } from './write-failure.ts';

export { OutputStream } from './output-stream.ts';

/**
 * What a job gets as `ctx.files`: the read side of its session's files, and writes that replace a file
 * atomically (a temp file beside it, fsynced, then renamed over it), so a page never shows half a file and a
 * retried job overwrites cleanly. A write that fails rejects with a FileNotWritten naming the file ("the disk is
 * full: numbers.csv could not be written") and leaves no temp file. Once `close()`d (the job was given up on),
 * open streams are dropped and every write is refused, so a job that outlives its end writes nothing.
 */
export class JobFiles extends SessionFiles {
  private readonly open = new Set<OutputStream>();
  private closed = false;

  /** Writes the whole file at once. */
  async write(name: string, data: string | Uint8Array): Promise<void> {
    this.refuseIfClosed(name);
    const { path, dir } = prepareInside(this.dir, name);
    const temp = tempBeside(path);
    try {
      const handle = await open(temp, 'wx');
      try {
        await handle.writeFile(data);
        await handle.sync();
      } finally {
        await handle.close();
      }
      this.refuseIfClosed(name);
      await rename(temp, path);
    } catch (err) {
      await rm(temp, { force: true });
      throw notWritten(name, err);
    }
    await syncFolder(dir);
  }

  /** A stream whose content replaces the file when `done()` resolves. */
  writeStream(name: string): OutputStream {
    this.refuseIfClosed(name);
    const { path, dir } = prepareInside(this.dir, name);
    const stream = new OutputStream(name, tempBeside(path), path, dir);
    this.open.add(stream);
    stream.once('close', () => this.open.delete(stream));
    return stream;
  }

  /** Drops the streams still open and refuses every later write. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.open].map((stream) => stream.abort()));
  }

  private refuseIfClosed(name: string): void {
    if (this.closed) throw notWritten(name, new Error('the job had already ended'));
  }
}

function tempBeside(path: string): string {
  return join(dirname(path), `${TEMP_PREFIX}${basename(path).slice(0, 100)}-${randomBytes(6).toString('hex')}`);
}
