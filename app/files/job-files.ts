import { createWriteStream } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Writable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { TEMP_PREFIX } from './names.ts';
import { prepareInside } from './safe-path.ts';
import { SessionFiles } from './session-files.ts';

/**
 * A file being written by `writeStream`: write to it (or pipe into it), then `await done()` and its content
 * appears under its name at once, whole. Until then readers see the previous version, or nothing.
 * `abort()` drops what was written.
 */
export type OutputStream = Writable & { done: () => Promise<void>; abort: () => Promise<void> };

/**
 * What a job gets as `ctx.files`: the read side of its session's files, and writes that replace a file
 * atomically (a temp file beside it, fsynced, then renamed over it), so a page never shows half a file and a
 * retried job overwrites cleanly.
 */
export class JobFiles extends SessionFiles {
  /** Writes the whole file at once. */
  async write(name: string, data: string | Uint8Array): Promise<void> {
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
      await rename(temp, path);
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
    await syncDir(dir);
  }

  /** A stream whose content replaces the file when `done()` resolves. */
  writeStream(name: string): OutputStream {
    const { path, dir } = prepareInside(this.dir, name);
    const temp = tempBeside(path);
    const stream = createWriteStream(temp, { flags: 'wx', flush: true });
    const closed = new Promise<Error | undefined>((resolve) => {
      stream.once('close', () => resolve(undefined));
      stream.once('error', (err) => resolve(err));
    });
    let settled: Promise<void> | undefined;
    const done = () =>
      (settled ??= (async () => {
        if (!stream.writableEnded) stream.end();
        const err = await closed;
        if (err) {
          await rm(temp, { force: true });
          throw err;
        }
        await rename(temp, path);
        await syncDir(dir);
      })());
    const abort = async () => {
      stream.destroy();
      await closed;
      await rm(temp, { force: true });
    };
    return Object.assign(stream, { done, abort });
  }
}

function tempBeside(path: string): string {
  return join(dirname(path), `${TEMP_PREFIX}${basename(path).slice(0, 100)}-${randomBytes(6).toString('hex')}`);
}

async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
