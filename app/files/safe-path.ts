import { closeSync, fstatSync, lstatSync, mkdirSync, openSync, type Stats } from 'node:fs';
import { READ_NO_LINKS } from '../log/disk.ts';
import { join } from 'node:path';
import { checkedSegments, UnsafeFileName } from './names.ts';

/** Thrown when a session file (or its folder) is not there. */
export class FileMissing extends Error {}

/**
 * The lstat of a path that must not be a symbolic link; undefined when nothing is there. lstat never follows a
 * link, so a link anywhere on the way is seen as what it is.
 */
function lstatNoLink(path: string, shown: string): Stats | undefined {
  let st: Stats;
  try {
    st = lstatSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw err;
  }
  if (st.isSymbolicLink()) throw new UnsafeFileName(`${shown} is a symbolic link, which is never followed`);
  return st;
}

/**
 * The path of the regular file `name` inside the folder `root`, with its lstat, after checking the name and every
 * part of the way (root included) with lstat: any part that is a symbolic link is refused, every part before the
 * last must be a real folder and the last a regular file.
 */
export function resolveInside(root: string, name: string): { path: string; stat: Stats } {
  const parts = checkedSegments(name);
  const top = lstatNoLink(root, 'the files folder');
  if (!top?.isDirectory()) throw new FileMissing(`there is no file ${name}`);
  let path = root;
  for (let i = 0; i < parts.length; i++) {
    path = join(path, parts[i]);
    const shown = parts.slice(0, i + 1).join('/');
    const st = lstatNoLink(path, shown);
    if (!st) throw new FileMissing(`there is no file ${name}`);
    const last = i === parts.length - 1;
    if (last && st.isFile()) return { path, stat: st };
    if (!last && st.isDirectory()) continue;
    throw last ? new FileMissing(`${name} is not a regular file`) : new FileMissing(`${shown} is not a folder`);
  }
  throw new FileMissing(`there is no file ${name}`);
}

/**
 * Opens a session file for reading. The last part is opened with O_NOFOLLOW, and the opened file must be the one
 * that was checked (same device and inode), so a link swapped in between the check and the open is refused too.
 */
export function openInside(root: string, name: string): { fd: number; stat: Stats } {
  const { path, stat } = resolveInside(root, name);
  let fd: number;
  try {
    fd = openSync(path, READ_NO_LINKS);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ELOOP') throw new UnsafeFileName(`${name} is a symbolic link, which is never followed`);
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new FileMissing(`there is no file ${name}`);
    throw err;
  }
  const opened = fstatSync(fd);
  if (!opened.isFile() || opened.ino !== stat.ino || opened.dev !== stat.dev) {
    closeSync(fd);
    throw new UnsafeFileName(`${name} changed while it was being opened`);
  }
  return { fd, stat: opened };
}

/**
 * Makes the folders a new file `name` needs inside `root` (which must exist and not be a link), refusing any
 * existing part that is a link or not a folder. Returns the file's path and its folder's.
 */
export function prepareInside(root: string, name: string): { path: string; dir: string } {
  const parts = checkedSegments(name);
  if (!lstatNoLink(root, 'the files folder')?.isDirectory()) mkdirSync(root, { recursive: true });
  let dir = root;
  for (let i = 0; i < parts.length - 1; i++) {
    dir = join(dir, parts[i]);
    const st = lstatNoLink(dir, parts.slice(0, i + 1).join('/'));
    if (!st) mkdirSync(dir);
    else if (!st.isDirectory()) throw new UnsafeFileName(`${parts.slice(0, i + 1).join('/')} is a file, not a folder`);
  }
  const path = join(dir, parts.at(-1)!);
  const st = lstatNoLink(path, name);
  if (st?.isDirectory()) throw new UnsafeFileName(`${name} is a folder`);
  return { path, dir };
}
