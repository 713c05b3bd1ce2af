import { chmodSync, closeSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Writes a file only its owner can read: a 0600 temporary file beside it, fsynced, renamed over it (a link in
 * its place is replaced, never followed), and the folder fsynced. For the data folder's secrets and sign-ins.
 */
export function writePrivate(file: string, text: string): void {
  const temp = join(dirname(file), `.${basename(file)}-${process.pid}-${Date.now()}.tmp`);
  const fd = openSync(temp, 'w', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  chmodSync(temp, 0o600);
  renameSync(temp, file);
  const dir = openSync(dirname(file), 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}
