import Database from 'better-sqlite3';
import { existsSync, renameSync } from 'node:fs';
import { basename } from 'node:path';
import { SCHEMA, SCHEMA_VERSION, TABLES } from './schema.ts';

/** A damaged catalog file that was moved out of the way, and why it could not be used. */
export type SetAside = { file: string; reason: string };

/**
 * Opens the catalog file with its tables, WAL and synchronous=NORMAL: the catalog is derived from the logs, so a
 * crash may only leave it behind them, which start-up catches up. A file that is not a readable database
 * (garbage, cut short, damaged pages) is renamed beside itself, never deleted, and a new one is made.
 */
export function openCatalogDb(path: string): { db: Database.Database; setAside?: SetAside } {
  try {
    return { db: openChecked(path) };
  } catch (err) {
    if (!isDamage(err)) throw err;
    const file = setAside(path);
    return { db: openChecked(path), setAside: { file, reason: (err as Error).message } };
  }
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

/** SQLite's ways of saying the file is not a sound database (as opposed to, say, a read-only folder). */
function isDamage(err: unknown): boolean {
  const code = (err as { code?: string }).code ?? '';
  return code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT');
}

/** Renames the file and its WAL companions to `catalog.sqlite.damaged-<time>` (and -wal, -shm). */
function setAside(path: string): string {
  const target = `${path}.damaged-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  for (const suffix of ['-wal', '-shm']) if (existsSync(path + suffix)) renameSync(path + suffix, target + suffix);
  renameSync(path, target);
  return basename(target);
}
