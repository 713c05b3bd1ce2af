import { createHash } from 'node:crypto';
import { lstatSync } from 'node:fs';
import { copyFile, link, lstat, mkdir, readdir, rename, rm, type FileHandle } from 'node:fs/promises';
import { LinkRefused, openFile, realEntry } from '../log/disk.ts';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

/** A file given on a form, as its field records it. */
export type FileMeta = { name: string; size: number; type: string; sha256: string };

const SHA = /^[0-9a-f]{64}$/;

/** Whether a text is a sha256 in hex, as uploads are named. */
export const isSha256 = (text: string): boolean => SHA.test(text);

/** How an upload still being received is named, until it is renamed to its sha256. */
export const INCOMING_PREFIX = '.incoming-';

/** The folder of a session's uploads: one file per content, named by its sha256. */
export function uploadsDir(sessionDir: string): string {
  return join(sessionDir, 'uploads');
}

/**
 * The size of the upload with this sha256 in the folder, or undefined when there is none or it is not a plain
 * file (a link there is not followed: the file is as good as gone). An uploads folder that is a symbolic link is
 * LinkRefused.
 */
export function uploadedSize(dir: string, sha256: string): number | undefined {
  if (!SHA.test(sha256)) return undefined;
  refuseLinkAt(dir);
  const st = lstatSync(join(dir, sha256), { throwIfNoEntry: false });
  return st?.isFile() ? st.size : undefined;
}

/**
 * Where a job finds the upload with this sha256: its path, once neither it nor the uploads folder is a
 * symbolic link (LinkRefused). A missing one still gets its path: the caller says it is gone.
 */
export function uploadPath(dir: string, sha256: string): string {
  const path = join(dir, sha256);
  refuseLinkAt(dir);
  refuseLinkAt(path);
  return path;
}

/** Throws LinkRefused when the path is a symbolic link; nothing there, or anything else, passes. */
function refuseLinkAt(path: string): void {
  if (lstatSync(path, { throwIfNoEntry: false })?.isSymbolicLink()) throw new LinkRefused(path);
}

/** Makes the uploads folder if need be; a link in its place (or at the session's folder) is LinkRefused. */
async function uploadsFolder(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await realEntry(dir, 'folder');
}

/**
 * Streams one file into the folder while hashing it, never holding it whole, into a temporary file of its own,
 * fsynced: `placeUpload` puts it under its sha256 once something claims it. Stops writing past `maxSize` bytes,
 * reads the rest away, and answers 'too large'. A file too large, a write that fails (a full disk) or a stream
 * cut off (the request aborted) leaves nothing behind.
 */
export async function storeUpload(dir: string, stream: Readable, maxSize: number): Promise<{ sha256: string; size: number; temp: string } | 'too large'> {
  await uploadsFolder(dir).catch((err: unknown) => {
    stream.resume(); // read away, so the form's later parts still come through and the form can be answered
    throw err;
  });
  const temp = join(dir, `${INCOMING_PREFIX}${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`);
  const file = await openFile(temp, 'create');
  const hash = createHash('sha256');
  let size = 0;
  let over = false;
  let failed: unknown;
  try {
    // The stream is always read to its end (the form's later parts follow it), whatever happens to the writing.
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (over || failed !== undefined) continue;
      if (size > maxSize) {
        over = true;
        continue;
      }
      hash.update(chunk);
      await writeAll(file, chunk).catch((err: unknown) => void (failed = err));
    }
    if (!over && failed === undefined) await file.sync().catch((err: unknown) => void (failed = err));
  } catch (err) {
    failed ??= err; // the stream broke off
  } finally {
    await file.close();
  }
  if (over || failed !== undefined) {
    await rm(temp, { force: true });
    if (failed !== undefined) throw failed;
    return 'too large';
  }
  return { sha256: hash.digest('hex'), size, temp };
}

/** Puts a received file under its sha256 in the folder, or drops it when that content is already there. */
export async function placeUpload(dir: string, sha256: string, size: number, temp: string): Promise<void> {
  if (uploadedSize(dir, sha256) === size) await rm(temp, { force: true });
  else await rename(temp, join(dir, sha256));
}

/** Writes the whole chunk: a write may take only part of it (a disk filling up), and one that takes nothing fails. */
async function writeAll(file: FileHandle, chunk: Buffer): Promise<void> {
  for (let at = 0; at < chunk.length; ) {
    const { bytesWritten } = await file.write(chunk, at, chunk.length - at);
    if (bytesWritten <= 0) throw Object.assign(new Error('no space left on the disk'), { code: 'ENOSPC' });
    at += bytesWritten;
  }
}

/** "1.2 MB", "340 KB", "12 bytes". */
export function sizeInWords(bytes: number): string {
  if (bytes < 1024) return `${bytes} byte${bytes === 1 ? '' : 's'}`;
  const units = ['KB', 'MB', 'GB'];
  let n = bytes / 1024;
  let u = 0;
  while (n >= 1024 && u < units.length - 1) {
    n /= 1024;
    u++;
  }
  return `${n < 10 ? n.toFixed(1).replace(/\.0$/, '') : Math.round(n)} ${units[u]}`;
}

/**
 * Gives a new session (a fork) the uploads of the one it came from: hard links where the disk allows, else
 * copies. Only plain files: an upload that is a link is left behind (the fork's form then asks for it again),
 * and an uploads folder that is a link gives nothing.
 */
export async function copyUploads(from: string, to: string): Promise<void> {
  if ((await lstat(from).catch(() => undefined))?.isDirectory() !== true) return;
  const names = (await readdir(from)).filter((n) => SHA.test(n));
  const files = [];
  for (const name of names) if ((await lstat(join(from, name)).catch(() => undefined))?.isFile()) files.push(name);
  if (!files.length) return;
  await uploadsFolder(to);
  for (const name of files) await link(join(from, name), join(to, name)).catch(() => copyFile(join(from, name), join(to, name)));
}
