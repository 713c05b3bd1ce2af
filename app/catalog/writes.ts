import type { JobEvent } from '../log/events.ts';
import type { JobPhase } from '../jobs/context.ts';
import type { IndexedRow } from './row.ts';

/** A running job's latest progress, as the runner reports it (never stored in the log). */
export type JobProgress = { job: string; status: JobPhase; done: number; total: number | null; message: string };

/**
 * What is waiting to be written: session rows (the latest per session), job events in order, progress, removals.
 * `fresh`: the catalog stored no session when these began to queue (the rebuild at start), so there is no old
 * text to delete, and the batch is a bulk load (see Catalog).
 */
export type Pending = {
  rows: Map<string, IndexedRow>;
  jobs: { session: string; event: JobEvent }[];
  progress: Map<string, JobProgress>;
  removed: Set<string>;
  fresh: boolean;
};

export function emptyPending(): Pending {
  return { rows: new Map(), jobs: [], progress: new Map(), removed: new Set(), fresh: false };
}

/** A session row's columns, in the order `rowValues` gives them: its number first (null: the next free one). */
const ROW_INSERT = `INSERT INTO sessions (n, id, workflow, started_at, updated_at, current_step, title, preview, finalized, archived, last_seq, seen_seq, log_size)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

/** Every statement a write runs, by name, each prepared once. */
export const STATEMENTS = {
  upsert: `${ROW_INSERT}
    ON CONFLICT(id) DO UPDATE SET workflow = excluded.workflow, started_at = excluded.started_at,
      updated_at = excluded.updated_at, current_step = excluded.current_step, title = excluded.title,
      preview = excluded.preview, finalized = excluded.finalized,
      archived = excluded.archived, last_seq = excluded.last_seq, log_size = excluded.log_size,
      seen_seq = MAX(seen_seq, excluded.last_seq)`,
  // A fresh batch's rows: none is stored yet, so each is inserted under the number its text row is given.
  insert: ROW_INSERT,
  unsearch: 'DELETE FROM sessions_search WHERE rowid = (SELECT n FROM sessions WHERE id = ?)',
  // One row of VALUES, not INSERT … SELECT: a statement that may write many rows opens a savepoint, and FTS5
  // writes out its pending rows at every savepoint.
  search: 'INSERT INTO sessions_search (rowid, text) VALUES ((SELECT n FROM sessions WHERE id = ?), ?)',
  searchAt: 'INSERT INTO sessions_search (rowid, text) VALUES (?, ?)',
  jobStarted: `INSERT OR REPLACE INTO jobs (job, session, step, status, requested_at) VALUES (?, ?, ?, 'running', ?)`,
  jobEnded: 'UPDATE jobs SET status = ?, ended_at = ?, error = ? WHERE job = ?',
  // Progress never moves a job the log has ended back to running.
  progress: `UPDATE jobs SET status = @status, done = @done, total = @total, message = @message
    WHERE job = @job AND status IN ('queued', 'running')`,
  removeRow: 'DELETE FROM sessions WHERE id = ?',
  removeJobs: 'DELETE FROM jobs WHERE session = ?',
} as const;

/** One statement to run and its parameters. */
export type Op = [name: keyof typeof STATEMENTS, ...params: unknown[]];

/**
 * The statements that write a batch, in order, in three runs: the text index's deletions, the session rows
 * (and removals), the text index's new rows. FTS5 writes out what it holds in memory whenever a statement on
 * another table begins, so text rows interleaved with session rows cost an index segment each (10,000
 * sessions: about 0.6 s instead of 0.05 s). A row's text is deleted before its upsert, which keeps the row's
 * number; for a new session there is nothing to delete yet. A fresh batch (nothing stored) deletes no text and
 * numbers its rows itself, 1, 2, 3…, so their text rows need not look the numbers up. A row in `sameText`
 * keeps the text it has: re-indexing 20,000 characters of trigrams that did not change (a note past the search
 * text's limit) cost a millisecond.
 */
export function batchOps(batch: Pending, sameText: ReadonlySet<string> = new Set()): Op[] {
  const ops: Op[] = [];
  const rows = [...batch.rows.values()];
  for (const { session, event: e } of batch.jobs)
    if (e.type === 'job.started') ops.push(['jobStarted', e.job, session, e.step, e.at]);
    else ops.push(['jobEnded', e.type.slice('job.'.length), e.at, e.error ?? null, e.job]);
  for (const p of batch.progress.values()) ops.push(['progress', p]);
  for (const id of batch.removed) ops.push(['unsearch', id]);
  const reindexed = rows.filter((row) => !sameText.has(row.id));
  if (!batch.fresh) for (const row of reindexed) ops.push(['unsearch', row.id]);
  for (const id of batch.removed) ops.push(['removeRow', id], ['removeJobs', id]);
  if (batch.fresh) {
    rows.forEach((row, i) => ops.push(['insert', ...rowValues(i + 1, row)]));
    rows.forEach((row, i) => ops.push(['searchAt', i + 1, row.search]));
  } else {
    for (const row of rows) ops.push(['upsert', ...rowValues(null, row)]);
    for (const row of reindexed) ops.push(['search', row.id, row.search]);
  }
  return ops;
}

/** A row's column values for ROW_INSERT (the last seq it was made from is the highest seen, until an upsert keeps a higher one). */
function rowValues(n: number | null, r: IndexedRow): unknown[] {
  return [n, r.id, r.workflow, r.startedAt, r.updatedAt, r.currentStep, r.title, r.preview, r.finalized ? 1 : 0, r.archived ? 1 : 0, r.lastSeq, r.lastSeq, r.logSize];
}

export function isEmpty(batch: Pending): boolean {
  return !batch.rows.size && !batch.jobs.length && !batch.progress.size && !batch.removed.size;
}
