import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { Writable } from 'node:stream';
import { syncFolder } from '../log/disk.ts';
import { notWritten } from './write-failure.ts';

/**
 * A file being written by a job: write to it (or pipe into it), then `await done()` and its content appears under
 * its name at once, whole; until then readers see the previous version, or nothing. `abort()` drops what was
 * written.
 *
 * A failed write (a full disk) never leaves the job waiting: the stream is destroyed with a FileNotWritten that
 * names the file, so `await once(stream, 'drain')` (node:events) rejects with it, as do `done()` and any `write`
 * made after the error was emitted; the temp file is removed at once.
 */
export class OutputStream extends Writable {
  private handle: FileHandle | undefined;
  /** Set once the error has been emitted: from then on a write throws instead of waiting for a drain. */
  private failure: Error | undefined;
  private readonly gone: Promise<Error | undefined>;
  private settled: Promise<void> | undefined;

  constructor(
    private readonly name: string,
    private readonly temp: string,
    private readonly path: string,
    private readonly folder: string,
  ) {
    super();
    this.gone = new Promise((resolve) => {
      this.once('error', (err) => (this.failure = err));
      this.once('close', () => resolve(this.errored ?? undefined));
    });
  }

  override write(chunk: unknown, encoding?: unknown, callback?: unknown): boolean {
    if (this.failure) throw this.failure;
    return super.write(chunk, encoding as BufferEncoding, callback as (err?: Error | null) => void);
  }

  /** Ends the stream and puts its content under its name; rejects (the temp file gone) when it cannot. */
  done(): Promise<void> {
    return (this.settled ??= (async () => {
      if (!this.writableEnded && !this.destroyed) this.end();
      const err = await this.gone;
      if (err) throw err;
      if (!this.writableFinished) throw notWritten(this.name, new Error('it was abandoned before it was finished'));
      try {
        await rename(this.temp, this.path);
      } catch (failed) {
        await rm(this.temp, { force: true });
        throw notWritten(this.name, failed);
      }
      await syncFolder(this.folder);
    })());
  }

  /** Drops the file being written. */
  async abort(): Promise<void> {
    this.destroy();
    await this.gone;
  }

  override _construct(callback: (err?: Error | null) => void): void {
    open(this.temp, 'wx').then(
      (handle) => {
        this.handle = handle;
        callback();
      },
      (err) => callback(notWritten(this.name, err)),
    );
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (err?: Error | null) => void): void {
    this.put(this.handle!, chunk).then(() => callback(), (err) => callback(notWritten(this.name, err)));
  }

  // What was written while a chunk was on its way to the disk goes in one write: a job writing a line at a time
  // (100,000 rows of a CSV) costs a trip to the disk per batch, not per line.
  override _writev(chunks: { chunk: Buffer }[], callback: (err?: Error | null) => void): void {
    this._write(Buffer.concat(chunks.map((c) => c.chunk)), 'binary', callback);
  }

  /** Appends one chunk to the temp file (all of it: a short write is carried on). */
  protected put(handle: FileHandle, chunk: Buffer): Promise<void> {
    return handle.writeFile(chunk);
  }

  override _final(callback: (err?: Error | null) => void): void {
    this.handle!.sync().then(() => callback(), (err) => callback(notWritten(this.name, err)));
  }

  /** Closes the file; unless it was written to the end, removes it (a failure, an abort). */
  override _destroy(err: Error | null, callback: (err?: Error | null) => void): void {
    const finished = this.writableFinished && !err;
    void (async () => {
      await this.handle?.close().catch(() => {});
      if (!finished) await rm(this.temp, { force: true }).catch(() => {});
    })().then(() => callback(err));
  }
}
