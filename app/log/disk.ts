/**
 * How Cardtrail touches files under its data folder: never through a symbolic link (files are opened with
 * O_NOFOLLOW, folders checked with lstat), files replaced by rename, and disk failures named for what they are.
 */
import { randomUUID } from 'node:crypto';
import { accessSync, closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readFileSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';

const { O_RDONLY, O_WRONLY, O_RDWR, O_APPEND, O_CREAT, O_EXCL, O_NOFOLLOW, O_NONBLOCK } = constants;

/**
 * Opening a name under the data folder neither follows a link nor waits: O_NONBLOCK changes nothing for a
 * regular file, but a pipe planted at the name would otherwise hold the open (and with it the process, or a
 * thread of the pool) until something writes to it.
 */
export const READ_NO_LINKS = O_RDONLY | O_NOFOLLOW | O_NONBLOCK;

/** The ways a file is opened; none of them follows a link in the last part of the path or waits on a pipe. */
const FLAGS = {
  read: READ_NO_LINKS,
  append: O_WRONLY | O_APPEND | O_NOFOLLOW | O_NONBLOCK,
  /** A new file: fails if anything (a link included) already has the name. */
  create: O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_NONBLOCK,
  update: O_RDWR | O_NOFOLLOW | O_NONBLOCK,
} as const;

/** Thrown for a name that is not a regular file (a pipe, a device, a socket): it is neither read nor waited on. */
export class NotAFile extends Error {
  readonly code = 'ENOTFILE';
  /** What is there instead ("a folder"), when it was looked at. */
  constructor(
    readonly path: string,
    readonly kind?: string,
  ) {
    super(`${path} is not a regular file${kind ? ` (it is ${kind})` : ''}`);
  }
}

/** What an entry that is not a regular file is, in words: "a folder", "a symbolic link", "a pipe", … */
export function entryKind(info: Stats): string {
  if (info.isFile()) return 'a file';
  if (info.isDirectory()) return 'a folder';
  if (info.isSymbolicLink()) return 'a symbolic link';
  if (info.isFIFO()) return 'a pipe';
  if (info.isSocket()) return 'a socket';
  return 'a device';
}

/** Thrown instead of following a symbolic link found under the data folder. */
export class LinkRefused extends Error {
  constructor(readonly path: string) {
    super(
      `${path} is a symbolic link. Cardtrail never follows links inside its data folder, so it does not open this. Put the real file or folder there instead of the link.`,
    );
  }
}

/** What went wrong with the disk, in the words the person needs. */
export type DiskCause = 'full' | 'read-only' | 'denied';

const CAUSES: Record<string, DiskCause> = {
  ENOSPC: 'full',
  EDQUOT: 'full',
  EROFS: 'read-only',
  EACCES: 'denied',
  EPERM: 'denied',
  SQLITE_FULL: 'full',
  SQLITE_READONLY: 'read-only',
  SQLITE_READONLY_DIRECTORY: 'read-only',
  SQLITE_READONLY_DBMOVED: 'read-only',
  SQLITE_CANTOPEN: 'denied',
  SQLITE_PERM: 'denied',
};

/** The cause of a failed write, from a Node errno code or a SQLite error code; undefined for anything else. */
export function diskCause(err: unknown): DiskCause | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? CAUSES[code] : undefined;
}

/** A write that failed because of the disk: which folder, why, and that nothing was written. */
export class DiskFault extends Error {
  constructor(
    readonly cause: DiskCause,
    readonly folder: string,
    readonly detail: string,
  ) {
    super(diskMessage(cause, folder));
  }
}

const CAUSE_WORDS: Record<DiskCause, { is: string; fix: string }> = {
  full: { is: 'is full (no space left on its disk)', fix: 'Free some space' },
  'read-only': { is: 'is read-only', fix: 'Make it writable (or serve from another --data folder)' },
  denied: { is: 'may not be written by Cardtrail (permission denied)', fix: 'Check its owner and permissions' },
};

/**
 * The sentence for the person: the folder, the cause, what to do. A failed log write (`folder` known) wrote
 * nothing; another failure (the catalog's, say) may come after the log took the change, so it says to look.
 */
export function diskMessage(cause: DiskCause, folder: string | undefined): string {
  const { is, fix } = CAUSE_WORDS[cause];
  return folder
    ? `The data folder ${folder} ${is}: nothing was written. ${fix}, then try again.`
    : `Cardtrail's data folder ${is}. ${fix}, then reload the page to see what was recorded.`;
}

/** Turns a disk failure into a DiskFault naming the folder; other errors pass unchanged. */
export function asDiskFault(err: unknown, folder: string): unknown {
  if (err instanceof DiskFault) return err;
  const cause = diskCause(err);
  if (!cause) return err;
  const e = err as NodeJS.ErrnoException;
  return new DiskFault(cause, folder, `${e.code} ${e.syscall ?? ''} ${e.path ?? ''}`.replace(/\s+/g, ' ').trim());
}

/** Opens a file without following a link at its name (a link there is LinkRefused). */
export async function openFile(path: string, how: keyof typeof FLAGS): Promise<FileHandle> {
  try {
    return await open(path, FLAGS[how], 0o644);
  } catch (err) {
    throw linkRefusal(err, path);
  }
}

/** openFile for a descriptor, at once: for an append, whose only slow part is its fsync. */
export function openFileSync(path: string, how: keyof typeof FLAGS): number {
  try {
    return openSync(path, FLAGS[how], 0o644);
  } catch (err) {
    throw linkRefusal(err, path);
  }
}

/** Linux answers ELOOP for O_NOFOLLOW on a link; some systems answer EMLINK. */
function linkRefusal(err: unknown, path: string): unknown {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ELOOP' || code === 'EMLINK' ? new LinkRefused(path) : err;
}

/** Flushes a folder's entries (a file created or renamed in it) to the disk; a link at its name is refused. */
export async function syncFolder(dir: string): Promise<void> {
  const handle = await openFile(dir, 'read');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** The whole of a regular file, read without following a link (anything else is NotAFile). */
export async function readFileSafely(path: string): Promise<Buffer> {
  const handle = await openFile(path, 'read');
  try {
    if (!(await handle.stat()).isFile()) throw new NotAFile(path);
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

/** readFileSafely at once, as text: for the few files read before the server listens. */
export function readFileSafelySync(path: string): string {
  const fd = openFileSync(path, 'read');
  try {
    if (!fstatSync(fd).isFile()) throw new NotAFile(path);
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}

/**
 * Checks that a path is a real folder (or a real file when `file`), not a link to one; resolves to its size.
 * A missing path rejects with ENOENT as lstat does; a file that is something else (a folder, a pipe) with NotAFile.
 */
export async function realEntry(path: string, kind: 'folder' | 'file'): Promise<number> {
  // Synchronous: a metadata lookup takes microseconds, a trip through the thread pool several times that, and
  // every request makes a few of these.
  const info = lstatSync(path);
  if (info.isSymbolicLink()) throw new LinkRefused(path);
  if (kind === 'file' && !info.isFile()) throw new NotAFile(path, entryKind(info));
  if (kind === 'folder' && !info.isDirectory()) throw Object.assign(new Error(`${path} is not a folder`), { code: 'ENOTDIR' });
  return info.size;
}

/** Writes a new file whole and fsyncs it; if that fails, the new file is removed, never left half-written. */
export async function writeNewFile(path: string, data: string | Buffer): Promise<void> {
  const handle = await openFile(path, 'create');
  try {
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
  } catch (err) {
    await handle.close().catch(() => undefined);
    await rm(path, { force: true }).catch(() => undefined);
    throw err;
  }
}

/**
 * Replaces a file by writing a new one beside it and renaming it over the old: readers see the old or the new
 * file whole, and a link planted at the name is replaced, not written through.
 */
export async function replaceFile(path: string, data: string | Buffer): Promise<void> {
  const temporary = `${path}.${process.pid}-${randomUUID()}.tmp`;
  await writeNewFile(temporary, data);
  await rename(temporary, path).catch(async (err) => {
    await rm(temporary, { force: true });
    throw err;
  });
}

/**
 * Makes sure a data folder can hold sessions before anything is served from it: `sessions/` exists, is a real
 * folder (not a link), and the folder can be written. A failure says which folder and why, in one sentence.
 */
export function prepareDataFolder(dataDir: string): void {
  const sessions = join(dataDir, 'sessions');
  try {
    mkdirSync(sessions, { recursive: true });
    accessSync(dataDir, constants.W_OK);
    accessSync(sessions, constants.W_OK);
  } catch (err) {
    // A recursive mkdir on a read-only disk can answer ENOENT; asking for write access names the real cause.
    const probed = (() => {
      try {
        accessSync(dataDir, constants.W_OK);
        return err;
      } catch (cause) {
        return cause;
      }
    })();
    const code = (probed as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR' || code === 'EEXIST') throw new Error(`The data folder ${dataDir} cannot be used: it, or ${sessions} in it, is a file, not a folder.`);
    throw asDiskFault(probed, dataDir);
  }
  if (lstatSync(sessions).isSymbolicLink()) throw new LinkRefused(sessions);
}
