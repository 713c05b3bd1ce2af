import { createWriteStream } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { csvStringify } from './libraries.ts';

/** A file's content appears whole or not at all: written beside it, then renamed over it. */
async function atomically(dir: string, name: string, write: (temp: string) => Promise<void>): Promise<void> {
  const temp = join(dir, `.cardtrail-tmp-${process.pid}-${name}`);
  try {
    await write(temp);
    await rename(temp, join(dir, name));
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}

export function writeTextFile(dir: string, name: string, text: string): Promise<void> {
  return atomically(dir, name, (temp) => writeFile(temp, text, { flush: true }));
}

/** Streams rows (arrays in `columns` order) into a CSV file with csv-stringify, atomically. */
export function writeCsv(dir: string, name: string, columns: readonly string[], rows: Iterable<readonly unknown[]>): Promise<void> {
  return atomically(dir, name, (temp) =>
    pipeline(Readable.from(rows, { objectMode: true }), csvStringify().stringify({ header: true, columns: [...columns], cast: { boolean: (b) => (b ? 'true' : 'false') } }), createWriteStream(temp, { flush: true })),
  );
}

/** Streams text chunks into a file, atomically. */
export function writeChunks(dir: string, name: string, chunks: Iterable<string>): Promise<void> {
  return atomically(dir, name, (temp) => pipeline(Readable.from(chunks), createWriteStream(temp, { flush: true }) as Writable));
}
