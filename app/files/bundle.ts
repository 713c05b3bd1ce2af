import { createReadStream } from 'node:fs';
import { pipeline, Readable } from 'node:stream';
import type { JobFiles } from './job-files.ts';
import { EngineError } from '../engine/errors.ts';
import { tarStream } from '../libraries.ts';
import { fileNameProblem } from './names.ts';
import { openInside } from './safe-path.ts';
import type { SessionFiles } from './session-files.ts';

/** A file taken from a bundle, checked and held in memory until it is written. */
export type BundledFile = { name: string; data: Buffer };

/** Thrown for a bundle that cannot be taken back, with a sentence saying why. */
export class BadBundle extends Error {}

const MAX_FILES = 10_000;
const MAX_TOTAL = 256 * 1024 * 1024;

/** Where a bundle keeps the files folder's contents: entries are `files/<name>`, leaving room for other folders. */
export const BUNDLE_FOLDER = 'files/';

/** The entry, beside files/, that names what a bundle left out; import passes over it. */
export const LEFT_OUT_NOTE = 'left-out.txt';

/** The bundle path of a link SessionFiles.links names (`.`: the files folder itself). Pure. */
export function bundlePath(link: string): string {
  return link === '.' ? BUNDLE_FOLDER.slice(0, -1) : BUNDLE_FOLDER + link;
}

/** The text of the left-out note for these links, or undefined when there are none. Pure. */
export function leftOutNote(links: readonly string[]): string | undefined {
  if (!links.length) return undefined;
  const lines = links.map((link) => `left out: ${bundlePath(link)} is a symbolic link`);
  return `Symbolic links in a session's files folder are never followed, so this bundle does not hold them.\n${lines.join('\n')}\n`;
}

/**
 * A session's files as a tar stream (regular files only, as `list` sees them: no links, no temp files). When
 * links were left out, a first entry LEFT_OUT_NOTE names each, so the bundle never silently differs from the folder.
 */
export function packFiles(files: SessionFiles, links = files.links()): Readable {
  const pack = tarStream().pack();
  const note = leftOutNote(links);
  void (async () => {
    try {
      if (note) pack.entry({ name: LEFT_OUT_NOTE, mode: 0o644, type: 'file' }, note);
      for (const { name } of files.list()) {
        if (pack.destroyed) return; // the download was cancelled
        const { fd, stat } = openInside(files.dir, name);
        await new Promise<void>((resolve, reject) => {
          const entry = pack.entry({ name: BUNDLE_FOLDER + name, size: stat.size, mode: 0o644, mtime: stat.mtime, type: 'file' }, (err) => (err ? reject(err) : resolve()));
          // A pipeline, not pipe(): a download cancelled midway destroys the pack and the entry being written,
          // whose error must end this loop (and close the file), never go unhandled and end the server.
          pipeline(createReadStream('', { fd }), entry as unknown as NodeJS.WritableStream, (err) => err && reject(err));
        });
      }
      pack.finalize();
    } catch (err) {
      if (!pack.destroyed) pack.destroy(err as Error);
    }
  })();
  return Readable.from(pack);
}

/**
 * Reads a bundle made by packFiles (or any tar of plain files under files/; its LEFT_OUT_NOTE is passed over): every entry must be a regular file
 * or a folder, with a name a session file may have; links, devices and names that climb out are refused, as are more than
 * 10,000 files or 256 MB. Nothing is written here.
 */
export async function readBundle(bytes: Buffer): Promise<BundledFile[]> {
  const extract = tarStream().extract();
  const found: BundledFile[] = [];
  let total = 0;
  const reading = (async () => {
    for await (const entry of extract) {
      const { header } = entry;
      const path = header.name.replace(/^\.\//, '').replace(/\/$/, '');
      if (header.type === 'directory' || (path === LEFT_OUT_NOTE && header.type === 'file')) {
        entry.resume();
        continue;
      }
      if (header.type !== 'file') throw new BadBundle(`${header.name} is a ${header.type}, and only plain files are taken`);
      if (!path.startsWith(BUNDLE_FOLDER)) throw new BadBundle(`${JSON.stringify(header.name)} is not under ${BUNDLE_FOLDER}, where a bundle keeps a session's files`);
      const name = path.slice(BUNDLE_FOLDER.length);
      const problem = fileNameProblem(name);
      if (problem) throw new BadBundle(`${JSON.stringify(header.name)} cannot be a file of a session: ${problem}`);
      if (found.length >= MAX_FILES) throw new BadBundle(`it holds more than ${MAX_FILES} files`);
      const chunks: Buffer[] = [];
      for await (const chunk of entry) {
        total += (chunk as Buffer).length;
        if (total > MAX_TOTAL) throw new BadBundle('its files come to more than 256 MB');
        chunks.push(chunk as Buffer);
      }
      found.push({ name, data: Buffer.concat(chunks) });
    }
  })();
  extract.end(bytes);
  try {
    await reading;
  } catch (err) {
    extract.destroy();
    if (err instanceof BadBundle) throw err;
    throw new BadBundle(`it is not a readable tar file (${(err as Error).message})`);
  }
  return found;
}

/** Writes a bundle's files into a session's folder, each atomically. */
export async function writeBundle(files: readonly BundledFile[], into: JobFiles): Promise<void> {
  for (const f of files) await into.write(f.name, f.data);
}

/** True when the bytes could be a tar (its first header says "ustar" at offset 257). Pure. */
export function looksLikeTar(bytes: Buffer): boolean {
  return bytes.length >= 512 && bytes.subarray(257, 262).toString('latin1') === 'ustar';
}

/**
 * The files of an uploaded bundle (the import form's optional second file) as it streams in, checked before
 * they are kept; none when the upload is empty. A bad bundle refuses the whole import (422) with the reason.
 */
export async function bundleFrom(chunks: AsyncIterable<Buffer>, name: string): Promise<BundledFile[]> {
  const parts: Buffer[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  const bytes = Buffer.concat(parts);
  if (bytes.length === 0) return [];
  if (!looksLikeTar(bytes)) throw new EngineError(422, `${name} was not imported: it is not a .tar bundle of session files.`);
  try {
    return await readBundle(bytes);
  } catch (err) {
    throw new EngineError(422, `${name} was not imported: ${(err as Error).message}.`);
  }
}
