import { randomBytes } from 'node:crypto';
import { existsSync, lstatSync, statSync } from 'node:fs';
import { link, realpath, rename, rm } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { UsageError } from '../config.ts';

/** Thrown when an output file cannot be written; its message is the one line shown (exit 1). */
export class CannotWrite extends Error {}

/** True when `path` is `folder` or lies under it (both already resolved to real paths). Pure. */
export function isInside(path: string, folder: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/** The real path `out` would be written at: links in its folder (and at `out` itself) resolved. */
async function realTarget(out: string): Promise<string> {
  const full = resolve(out);
  const real = await realpath(full).catch(() => undefined);
  if (real) return real;
  const folder = await realpath(dirname(full)).catch(() => dirname(full));
  return join(folder, basename(full));
}

/**
 * Refuses an output that is inside the data folder (never, even with --force: it could replace a session's log
 * under a running server) or that already exists (unless `force`). Nothing is written here.
 */
export async function checkOutput(out: string, flag: string, data: string, force: boolean): Promise<void> {
  const target = await realTarget(out);
  const realData = await realpath(data).catch(() => resolve(data));
  if (isInside(target, realData)) throw new UsageError(`${flag} ${out} is inside the data folder ${data}, where export never writes (not even with --force). Give a path outside it.`);
  if (statSync(out, { throwIfNoEntry: false })?.isDirectory()) throw new CannotWrite(`Cannot write ${out}: it is a folder. Give ${flag} a file name.`);
  if (!force && lstatSync(out, { throwIfNoEntry: false })) throw new UsageError(`${out} already exists; nothing was written. Add --force to overwrite it.`);
}

/**
 * Writes `out` whole or not at all: `fill` writes a temporary file beside it, which is then moved into place
 * (with `force`, replacing what is there; without, by a hard link that fails if `out` appeared meanwhile). A
 * failure leaves no temporary file and no half-written `out`.
 */
export async function writeWhole<T>(out: string, force: boolean, fill: (temp: string) => Promise<T>): Promise<T> {
  const temp = join(dirname(resolve(out)), `.${basename(out)}.${randomBytes(6).toString('hex')}.part`);
  try {
    const result = await fill(temp);
    if (force) await rename(temp, out);
    else await link(temp, out).catch((err: NodeJS.ErrnoException) => (canRenameInstead(err) ? rename(temp, out) : Promise.reject(err)));
    return result;
  } catch (err) {
    throw new CannotWrite(cannotWrite(out, err as NodeJS.ErrnoException));
  } finally {
    await rm(temp, { force: true }).catch(() => undefined);
  }
}

/**
 * A folder that takes no hard links (some network and FUSE file systems): the file is renamed into place instead,
 * its absence checked just before by checkOutput.
 */
function canRenameInstead(err: NodeJS.ErrnoException): boolean {
  return err.code === 'EPERM' || err.code === 'ENOTSUP' || err.code === 'EOPNOTSUPP' || err.code === 'EMLINK';
}

/** Why `out` could not be written, in the words the person needs. */
function cannotWrite(out: string, err: NodeJS.ErrnoException): string {
  const folder = dirname(resolve(out));
  if (err.code === 'EEXIST') return `${out} already exists; nothing was written. Add --force to overwrite it.`;
  if (err.code === 'ENOENT' && !existsSync(folder)) return `Cannot write ${out}: the folder ${folder} does not exist.`;
  if (err.code === 'ENOENT' || err.code === 'ENOTDIR') {
    const isFolder = statSync(folder, { throwIfNoEntry: false })?.isDirectory();
    return isFolder ? `Cannot write ${out}: the folder ${folder} does not take new files (${err.code}).` : `Cannot write ${out}: ${folder} is not a folder.`;
  }
  if (err.code === 'EISDIR') return `Cannot write ${out}: it is a folder. Give a file name.`;
  if (err.code === 'EACCES' || err.code === 'EPERM') return `Cannot write ${out}: permission denied (${err.code}).`;
  if (err.code === 'EROFS') return `Cannot write ${out}: the disk is read-only (EROFS).`;
  if (err.code === 'ENOSPC') return `Cannot write ${out}: the disk is full.`;
  return `Cannot write ${out}: ${err.message}`;
}
