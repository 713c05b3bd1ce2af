import { closeSync, constants, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { readFileSafelySync } from './log/disk.ts';

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
 * Returns the release, which removes the lock if it is still this process's.
 */
export function lockDataFolder(dataDir: string): () => void {
  const file = join(dataDir, LOCK_FILE);
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
      try {
        writeSync(fd, `${JSON.stringify({ pid: process.pid, started: new Date().toISOString() })}\n`);
      } finally {
        closeSync(fd);
      }
      return () => release(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw err;
    }
    const holder = readHolder(file);
    if (holder?.pid === process.pid) return () => {}; // an app opened twice in one process (tests): the first releases it
    if (holds(holder, isAlive, commandOf))
      throw new FolderInUse(
        `Another Cardtrail server (process ${holder!.pid}) is serving the data folder ${dataDir}. Stop it first, or serve another folder with --data.`,
      );
    unlinkSync(file); // stale: its process is gone
  }
}

function release(file: string): void {
  try {
    if (readHolder(file)?.pid === process.pid) unlinkSync(file);
  } catch {
    // already gone, or the folder went away: nothing to release
  }
}

function readHolder(file: string): Holder | undefined {
  try {
    const saved = JSON.parse(readFileSafelySync(file)) as { pid?: unknown };
    return Number.isSafeInteger(saved.pid) && (saved.pid as number) > 0 ? { pid: saved.pid as number } : undefined;
  } catch {
    return undefined; // unreadable or half-written (a crash while writing it): stale
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
