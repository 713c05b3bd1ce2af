import { randomUUID } from 'node:crypto';
import { lstatSync, readFileSync, readlinkSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { holds, nextMove, putBack, type Holder } from './data-lock-decision.ts';
import { diskCause } from './log/disk.ts';

/** The file that says which process serves a data folder; only one may at a time. */
export const LOCK_FILE = 'serving.lock';

/** Thrown when another live Cardtrail process serves the folder; its message is the one line the person sees. */
export class FolderInUse extends Error {}

/** What taking the lock does to the disk and asks of the system; tests put moments of another start between them. */
export type LockMoves = {
  /** This process's id, which the lock names. */
  pid: number;
  /** Makes the lock naming `pid`, in one step that fails with EEXIST when the name is taken. */
  create(file: string, pid: number): void;
  /** The process a lock names; undefined for anything else at its name. */
  holder(file: string): Holder | undefined;
  alive(pid: number): boolean;
  commandOf(pid: number): string | undefined;
  /** Takes away what is at the name, judged stale (`judged` is what was read there), putting back a live lock found instead. */
  removeStale(file: string, judged: Holder | undefined): void;
};

/**
 * Takes the data folder for this process, before anything reads or changes it: a second server started on the
 * same folder would mark the first one's running jobs interrupted, and then both would write the same logs.
 * The lock is a symbolic link whose target is the pid, never followed, only read: made in one step that fails
 * if the name exists, and it needs no data block, so a full disk does not stop a start (which then serves what
 * it can read). A stale lock is taken over; two starts racing for it both try again, and the one that finds the
 * other's lock is told the folder is served (nextMove). Returns the release, which removes the lock if it is
 * still this process's.
 */
export function lockDataFolder(dataDir: string, moves: LockMoves = THIS_PROCESS): () => void {
  const file = join(dataDir, LOCK_FILE);
  for (let tries = 1; ; tries++) {
    try {
      moves.create(file, moves.pid);
      return () => release(file, moves.pid);
    } catch (err) {
      // A folder that cannot take even the lock cannot take another server's writes either.
      if (diskCause(err)) return () => {};
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = moves.holder(file);
    const move = nextMove({ holder, held: holds(holder, (pid) => moves.alive(pid), (pid) => moves.commandOf(pid)) }, moves.pid, tries);
    if (move.kind === 'own') return () => {};
    if (move.kind === 'in-use')
      throw new FolderInUse(`Another Cardtrail server (process ${move.pid}) is serving the data folder ${dataDir}. Stop it first, or serve another folder with --data.`);
    if (move.kind === 'give-up')
      throw new FolderInUse(`Cardtrail could not take the data folder ${dataDir}: ${file} kept changing while it started (other servers starting on it?). Wait a moment, then start again.`);
    moves.removeStale(file, holder);
  }
}

/** The moves on this machine's disk, for this process. */
export const THIS_PROCESS: LockMoves = {
  pid: process.pid,
  create: (file, pid) => symlinkSync(String(pid), file),
  holder: readHolder,
  alive: isAlive,
  commandOf,
  removeStale,
};

/**
 * Moves what is at the lock's name aside and removes it (removing a link removes only the link), or says what is
 * in its way. What was moved is read again: when it names another process than the stale one judged, another
 * start took the folder meanwhile, and its lock is put back before this start tries again (and finds it).
 */
function removeStale(file: string, judged: Holder | undefined): void {
  const inTheWay = new Error(`${file} is not Cardtrail's lock and is in its way: remove it, then start again.`);
  const aside = `${file}.stale-${process.pid}-${randomUUID()}`;
  try {
    if (lstatSync(file).isDirectory()) throw inTheWay;
    renameSync(file, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return; // gone already: another start took it away
    throw inTheWay;
  }
  const moved = readHolder(aside);
  if (putBack(judged, moved)) {
    try {
      symlinkSync(String(moved!.pid), file);
    } catch {
      // a third start made the lock meanwhile: the next try finds it
    }
  }
  rmSync(aside, { force: true });
}

function release(file: string, pid: number): void {
  try {
    if (readHolder(file)?.pid === pid) rmSync(file, { force: true });
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
