import Database from 'better-sqlite3';
import { lstatSync, renameSync } from 'node:fs';
import { basename } from 'node:path';
import { entryKind } from '../log/disk.ts';
import { SCHEMA, SCHEMA_VERSION, TABLES } from './schema.ts';

/** A damaged catalog file that was moved out of the way, and why it could not be used. */
export type SetAside = { file: string; reason: string };

/**
 * Opens the catalog file with its tables, WAL and synchronous=NORMAL: the catalog is derived from the logs, so a
 * crash may only leave it behind them, which start-up catches up. A file that is not a readable database
 * (garbage, cut short, damaged pages), or a name that holds no file of its own (a folder, a link, a pipe: never
 * opened), is renamed beside itself, never deleted, and a new one is made. What cannot be moved, or opened for
 * another reason, stops the start with one sentence naming the file and what to do.
 */
export function openCatalogDb(path: string): { db: Database.Database; setAside?: SetAside } {
  const notAFile = COMPANIONS.map((suffix) => notAFileAt(path + suffix)).find((why) => why !== undefined);
  if (notAFile) {
    const file = setAside(path, notAFile);
    return { db: openChecked(path), setAside: { file, reason: notAFile } };
  }
  try {
    return { db: openChecked(path) };
  } catch (err) {
    if (!isDamage(err)) throw isUnopenable(err) ? unopenable(path, err) : err;
    const file = setAside(path, (err as Error).message);
    return { db: openChecked(path), setAside: { file, reason: (err as Error).message } };
  }
}

/** The catalog file and the two SQLite keeps beside it in WAL mode. */
const COMPANIONS = ['', '-wal', '-shm'];

/** Why the name holds something SQLite must not open (undefined: a regular file, or nothing). */
function notAFileAt(path: string): string | undefined {
  const info = lstatSync(path, { throwIfNoEntry: false });
  return info && !info.isFile() ? `${basename(path)} is ${entryKind(info)}, not a file` : undefined;
}

/** The catalog could not be opened, not for damage (permissions, say): one sentence, since the start stops on it. */
function unopenable(path: string, err: unknown): Error {
  return new Error(
    `The catalog ${path} cannot be opened (${(err as Error).message}). It holds only what the logs rebuild: check its owner and permissions, or move it away, then start again.`,
  );
}

function openChecked(path: string): Database.Database {
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    // 1 MB of page cache (better-sqlite3 sets 16 MB, which the quick_check below filled with the whole file: 6 MB
    // of an idle server's memory at 10,000 sessions). Pages beyond it come from the OS's file cache.
    db.pragma('cache_size = -1000');
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw Object.assign(new Error(`the integrity check says: ${String(check)}`), { code: 'SQLITE_CORRUPT' });
    if (db.pragma('user_version', { simple: true }) !== SCHEMA_VERSION) {
      db.exec(TABLES.map((t) => `DROP TABLE IF EXISTS ${t};`).join(' '));
      db.pragma(`user_version = ${SCHEMA_VERSION}`);
    }
    db.exec(SCHEMA);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/** SQLite's ways of saying it could not open or read the file at all (a disk full or read-only says so itself). */
function isUnopenable(err: unknown): boolean {
  const code = (err as { code?: string }).code ?? '';
  return code === 'SQLITE_CANTOPEN' || code.startsWith('SQLITE_IOERR');
}

/** SQLite's ways of saying the file is not a sound database (as opposed to, say, a read-only folder). */
function isDamage(err: unknown): boolean {
  const code = (err as { code?: string }).code ?? '';
  return code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT');
}

/**
 * Renames the file and its WAL companions to `catalog.sqlite.damaged-<time>` (and -wal, -shm); what cannot be
 * moved stops the start with one sentence saying what to do.
 */
function setAside(path: string, why: string): string {
  const target = `${path}.damaged-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  for (const suffix of ['-wal', '-shm', '']) {
    if (!lstatSync(path + suffix, { throwIfNoEntry: false })) continue;
    try {
      renameSync(path + suffix, target + suffix);
    } catch (err) {
      throw new Error(
        `The catalog ${path + suffix} cannot be used (${why}) and could not be moved aside (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}). It holds only what the logs rebuild: move or remove it, then start again.`,
      );
    }
  }
  return basename(target);
}
