import { readFileSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { diskCause } from './log/disk.ts';

/** The file that says which process serves a data folder; only one may at a time. */
export const LOCK_FILE = 'serving.lock';

/** Thrown when another live Cardtrail process serves the folder; its message is the one line the person sees. */
export class FolderInUse extends Error {}

type Holder = { pid: number };

/**
 * Whether another process recorded in a lock still holds it: a live process whose command line is Cardtrail's
 * (or cannot be read). A dead process, or a pid since reused by something else, left a stale lock behind (a
 * crash, a SIGKILL).
 */
export function holds(holder: Holder | undefined, alive: (pid: number) => boolean, commandOf: (pid: number) => string | undefined): boolean {
  if (!holder || !alive(holder.pid)) return false;
  const command = commandOf(holder.pid);
  return command === undefined || /cardtrail|main\.mjs|main\.ts/.test(command);
}

/**
 * Takes the data folder for this process, before anything reads or changes it: a second server started on the
 * same folder would mark the first one's running jobs interrupted, and then both would write the same logs.
 * The lock is a symbolic link whose target is the pid, never followed, only read: made in one step that fails
 * if the name exists, and it needs no data block, so a full disk does not stop a start (which then serves what
 * it can read). Returns the release, which removes the lock if it is still this process's.
 */
export function lockDataFolder(dataDir: string): () => void {
  const file = join(dataDir, LOCK_FILE);
  for (let attempt = 0; ; attempt++) {
    try {
      symlinkSync(String(process.pid), file);
      return () => release(file);
    } catch (err) {
      // A folder that cannot take even the lock cannot take another server's writes either.
      if (diskCause(err)) return () => {};
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw err;
    }
    const holder = readHolder(file);
    if (holder?.pid === process.pid) return () => {}; // an app opened twice in one process (tests): the first releases it
    if (holds(holder, isAlive, commandOf))
      throw new FolderInUse(
        `Another Cardtrail server (process ${holder!.pid}) is serving the data folder ${dataDir}. Stop it first, or serve another folder with --data.`,
      );
    removeStale(file);
  }
}

/** Removes a lock whose process is gone (removing a link removes only the link), or says what is in its way. */
function removeStale(file: string): void {
  try {
    rmSync(file, { force: true });
  } catch {
    throw new Error(`${file} is not Cardtrail's lock and is in its way: remove it, then start again.`);
  }
}

function release(file: string): void {
  try {
    if (readHolder(file)?.pid === process.pid) rmSync(file, { force: true });
  } catch {
    // the folder went away: nothing to release
  }
}

/** The pid a lock names; undefined for anything else found at its name (a file, a folder, a link to a path). */
function readHolder(file: string): Holder | undefined {
  try {
    const target = readlinkSync(file);
    return /^[1-9]\d{0,9}$/.test(target) ? { pid: Number(target) } : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // alive, another user's
  }
}

/** The process's command line where the system shows it (Linux's /proc), else undefined. */
function commandOf(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return undefined;
  }
}
