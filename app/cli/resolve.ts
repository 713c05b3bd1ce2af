import { constants, fstatSync, readSync, statSync, type BigIntStats } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { NotAFile, openFile, readFileSafely, realEntry } from '../log/disk.ts';
import { dirname, join, resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { dataFolderOf, plainReason, UsageError } from '../config.ts';
import { SESSION_ID } from '../log/names.ts';
import { LogStore } from '../log/store.ts';

/** Thrown when the log asked for is missing, unreadable or not intact: exit code 1, its message the one line shown. */
export class LogFailure extends Error {}

/** Where a command reads a log from: a session of the data folder, or a file named on the command line. */
export type LogSource = SessionSource | { kind: 'file'; path: string; label: string };
export type SessionSource = { kind: 'session'; id: string; path: string; label: string };

type Options = NonNullable<ParseArgsConfig['options']>;

/** The `--data <dir>` option every log command takes. */
const DATA_OPTION = { data: { type: 'string' } } as const satisfies Options;

/**
 * Reads a log command's flags and its one argument. Unknown flags, a missing or extra argument are usage errors
 * that end with the command's usage line.
 */
export function commandLine<O extends Options>(args: string[], options: O, usage: string) {
  const all = { ...options, ...DATA_OPTION };
  let parsed;
  try {
    parsed = parseArgs({ args: idsAsArguments(args, all), options: all, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(`${plainReason(err as Error)} Usage: ${usage}`);
  }
  const [target, ...extra] = parsed.positionals;
  if (target === undefined || target === '') throw new UsageError(`Missing argument. Usage: ${usage}`);
  if (extra.length) throw new UsageError(`Unexpected argument "${extra[0]}". Usage: ${usage}`);
  return { values: parsed.values, target };
}

/**
 * The words with a session id's shape moved behind a `--`, where parseArgs reads them as the argument: an id
 * made before newSessionId may begin with "-" (`cardtrail export -9pu3lhareQSXew7WCUSJ`). A word that is an
 * option's value (`--out -9pu…`) or an option of the command stays where it is.
 */
export function idsAsArguments(args: readonly string[], options: Options): string[] {
  const end = args.indexOf('--');
  const head = end < 0 ? args : args.slice(0, end);
  const tail = end < 0 ? [] : args.slice(end + 1);
  const option = (word: string | undefined) => (word?.startsWith('--') ? options[word.slice(2)] : undefined);
  const isId = (word: string, i: number) => word.startsWith('-') && SESSION_ID.test(word) && !option(word) && option(head[i - 1])?.type !== 'string';
  const ids = head.filter(isId);
  return ids.length ? [...head.filter((word, i) => !isId(word, i)), '--', ...ids, ...tail] : [...args];
}

/** The data folder: `--data`, else CARDTRAIL_DATA, else ./logs, the same precedence as `cardtrail serve`. */
export function dataDir(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  return resolve(dataFolderOf(flag, env));
}

/** A session's log in the data folder. The id is checked first, so no argument can name a path outside it. */
export function sessionLog(id: string, data: string): SessionSource {
  if (!SESSION_ID.test(id)) throw new UsageError(`"${id}" is not a session id (21 letters, digits, _ or -).`);
  const sessions = join(data, 'sessions');
  return { kind: 'session', id, path: join(new LogStore(sessions).sessionDir(id), 'log.jsonl'), label: `session ${id}` };
}

/**
 * What a `<session-or-file>` argument names: a session when it has the shape of a session id, otherwise a file
 * path. A file whose name looks like an id is reached as `./<name>`.
 */
export function locate(target: string, data: string): LogSource {
  return SESSION_ID.test(target) ? sessionLog(target, data) : { kind: 'file', path: resolve(target), label: target };
}

/** The log's bytes exactly as on disk. Only reads: a torn tail is reported by verifyLog, never set aside here. */
export async function readLog(source: LogSource): Promise<Buffer> {
  try {
    if (source.kind === 'file') return await readNamedFile(source.path);
    await realFolder(source);
    return await readFileSafely(source.path);
  } catch (err) {
    throw new LogFailure(await whyUnreadable(source, err as NodeJS.ErrnoException));
  }
}

/**
 * A file named on the command line (outside the data folder a link is followed): a regular file only, since a
 * pipe would be waited on and a device (/dev/zero) read without end.
 */
async function readNamedFile(path: string): Promise<Buffer> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stats = await handle.stat();
    if (stats.isDirectory()) throw Object.assign(new Error(`${path} is a folder`), { code: 'EISDIR' });
    if (!stats.isFile()) throw new NotAFile(path);
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

/**
 * A session's log read as readLog reads it, with the file's status (size, times, inode) when it did not change
 * while it was read: the bytes are then exactly the file that status describes.
 */
export async function readSessionLog(source: SessionSource): Promise<{ bytes: Buffer; stats?: BigIntStats }> {
  try {
    await realFolder(source);
    const handle = await openFile(source.path, 'read');
    try {
      const before = fstatSync(handle.fd, { bigint: true });
      if (!before.isFile()) throw new NotAFile(source.path);
      const bytes = readWhole(handle.fd, Number(before.size));
      const after = fstatSync(handle.fd, { bigint: true });
      const still = before.mtimeNs === after.mtimeNs && before.ctimeNs === after.ctimeNs && after.size === BigInt(bytes.length);
      return { bytes, stats: still ? after : undefined };
    } finally {
      await handle.close();
    }
  } catch (err) {
    throw new LogFailure(await whyUnreadable(source, err as NodeJS.ErrnoException));
  }
}

/**
 * The file's bytes to its end, read in as few calls as its size allows (a command has nothing else to do
 * meanwhile: a synchronous read skips a trip through the thread pool per 512 KB). It may have grown since `size`.
 */
function readWhole(fd: number, size: number): Buffer {
  const parts: Buffer[] = [];
  let done = 0;
  for (let part = Buffer.allocUnsafe(size); ; part = Buffer.allocUnsafe(64 * 1024)) {
    let filled = 0;
    for (let read = 1; read && filled < part.length; filled += read) read = readSync(fd, part, filled, part.length - filled, done + filled);
    done += filled;
    if (filled) parts.push(part.subarray(0, filled));
    if (filled < part.length) return parts.length === 1 ? parts[0] : Buffer.concat(parts, done);
  }
}

/** Inside the data folder no link is followed, neither at the session's folder nor at its log (opened O_NOFOLLOW). */
async function realFolder(source: LogSource): Promise<void> {
  await realEntry(dirname(source.path), 'folder');
}

async function whyUnreadable(source: LogSource, err: NodeJS.ErrnoException): Promise<string> {
  if (source.kind === 'session' && err.code === 'ENOENT') {
    const sessions = join(source.path, '..', '..');
    const sameName = await stat(source.id).then(
      (s) => s.isFile(),
      () => false,
    );
    return `There is no session ${source.id} in ${sessions}.${sameName ? ` For the file of that name, write ./${source.id}` : ''}`;
  }
  if (source.kind === 'session' && err.code === 'ENOTDIR') return notAFolder(source);
  if (err.code === 'ENOENT') return `There is no file ${source.label}.`;
  if (err.code === 'EISDIR') return `${source.label} is a folder, not a log file.`;
  if (err instanceof NotAFile) return `${source.label} is not a regular file (a pipe or a device), so it is not read.`;
  if (err.code === 'EACCES') return `${source.label} cannot be read: permission denied.`;
  return `${source.label} cannot be read: ${err.message}`;
}

/** Which part of a session's path is a file where a folder should be: the data folder, or one inside it. */
function notAFolder(source: SessionSource): string {
  const sessions = dirname(dirname(source.path));
  const data = dirname(sessions);
  const isFolder = (path: string) => statSync(path, { throwIfNoEntry: false })?.isDirectory();
  if (!isFolder(data)) return `The data folder ${data} is not a folder.`;
  if (!isFolder(sessions)) return `${sessions} in the data folder is not a folder.`;
  return `There is no session ${source.id} in ${sessions}: ${dirname(source.path)} is not a folder.`;
}
