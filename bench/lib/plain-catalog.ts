import Database from 'better-sqlite3';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DROP_SESSION_INDEXES, MAKE_SESSION_INDEXES, SCHEMA } from '../../app/catalog/schema.ts';

type Line = { seq: number; at: string; type: string; workflow?: string; value?: unknown };

/**
 * The floor for any catalog of these sessions: every log read and parsed (`JSON.parse` of each line), and a row
 * made of the plainest fields (workflow, first and last time, the values as the title and the search text)
 * written into the catalog's own tables by plain better-sqlite3, in one transaction with the list's indexes made
 * after the rows, as the rebuild does. No shape checks, no fold, no titles from the workflow: what is left when
 * Cardtrail's own work is taken away.
 */
export function plainCatalog(data: string, file: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec(SCHEMA);
    const insert = db.prepare(`INSERT INTO sessions (n, id, workflow, started_at, updated_at, current_step, title, preview,
      finalized, archived, last_seq, seen_seq, log_size) VALUES (?, ?, ?, ?, ?, NULL, ?, ?, 0, 0, ?, ?, ?)`);
    const search = db.prepare('INSERT INTO sessions_search (rowid, text) VALUES (?, ?)');
    const sessions = join(data, 'sessions');
    db.transaction(() => {
      db.exec(DROP_SESSION_INDEXES);
      const texts: string[] = [];
      for (const id of readdirSync(sessions)) {
        const text = readFileSync(join(sessions, id, 'log.jsonl'), 'utf8');
        const lines = text.trimEnd().split('\n').map((l) => JSON.parse(l) as Line);
        const first = lines[0];
        const last = lines[lines.length - 1];
        const values = lines.filter((l) => l.value !== undefined).map((l) => String(l.value)).join('\n');
        texts.push(values);
        insert.run(texts.length, id, first.workflow ?? '', first.at, last.at, values, values, last.seq, last.seq, text.length);
      }
      texts.forEach((text, i) => search.run(i + 1, text));
      db.exec(MAKE_SESSION_INDEXES);
    })();
  } finally {
    db.close();
  }
}
