import type Database from 'better-sqlite3';
import type { JobEvent } from '../log/events.ts';
import type { JobPhase } from '../jobs/context.ts';
import { KeptReads } from './kept.ts';
import { openCatalogDb, type SetAside } from './open.ts';
import { DROP_SESSION_INDEXES, MAKE_SESSION_INDEXES } from './schema.ts';
import { countOf, PAGE_SIZE, pageCount, whereOf, type SessionFilter } from './query.ts';
import type { IndexedRow, SessionRow } from './row.ts';
import { batchOps, emptyPending, isEmpty, STATEMENTS, type JobProgress, type Op, type Pending } from './writes.ts';

export { SESSION_STATUSES, PAGE_SIZE, type SessionFilter, type SessionStatus } from './query.ts';
export type { SessionRow } from './row.ts';
export type { JobProgress } from './writes.ts';

/** One job as the catalog lists it. Status and times come from the log; done/total/message from the runner. */
export type JobRow = {
  job: string;
  session: string;
  step: string;
  status: JobPhase;
  requestedAt: string;
  endedAt: string | null;
  error: string | null;
};

type Stored = Omit<SessionRow, 'finalized' | 'archived'> & { finalized: number; archived: number };

/** One page of the session list: its rows, how many match in all, and which page it is. */
export type ListPage = { readonly rows: readonly SessionRow[]; readonly total: number; readonly page: number };

/**
 * Pages of the list kept between writes. The catalog changes only by its own batches, so a page read after the
 * last one is exact; refreshing the home page, or going back to it, reads nothing.
 */
const KEPT_PAGES = 16;

/**
 * How long queued writes wait to be written together. Reads write them first, so nothing reads stale rows; the
 * wait lets a burst of appends (notes, a job's events) share one transaction, and one re-index of a row's
 * search text, instead of paying for both on every append.
 */
const WRITE_AFTER_MS = 100;
/** After a failed write (a full disk), how long until the catalog tries again by itself. */
const RETRY_MS = 1000;

const COLUMNS = `id, workflow, started_at AS startedAt, updated_at AS updatedAt, current_step AS currentStep,
  title, preview, finalized, archived, last_seq AS lastSeq, log_size AS logSize`;

/**
 * The SQLite index of sessions and jobs. It holds nothing the logs do not: delete it and it is rebuilt.
 *
 * Writes are never on a request's path: they are queued and written together, in one transaction, a moment
 * after the first of them (WRITE_AFTER_MS), or before any read. A write that fails (a full disk) is kept and tried
 * again, by itself a second later and before every read, so the catalog catches up when space comes back; a
 * crash can only leave it behind the logs, which start-up catches up. Reads see queued writes first.
 */
export class Catalog {
  readonly db: Database.Database;
  /** Where a damaged catalog file was moved at opening, and why; the server says so in one line. */
  readonly setAside: SetAside | undefined;
  private pending: Pending = emptyPending();
  private scheduled = false;
  /** While positive, queued writes wait for the holder to finish (start-up's catch-up is one transaction). */
  private held = 0;
  private retry: NodeJS.Timeout | undefined;
  /** The last write failure, until a write succeeds again. */
  failure: Error | undefined;
  private readonly statements = new Map<string, Database.Statement>();
  /** Batches written so far: a page of the list read since the last one is still exact. */
  private written = 0;
  /** The last pages of the list read, and the last counts of matches, each by its filter. */
  private readonly pages = new KeptReads<ListPage>(KEPT_PAGES);
  private readonly counts = new KeptReads<number>(KEPT_PAGES);
  private readonly writeBatch: (ops: Op[], bulk: boolean) => void;

  constructor(
    path: string,
    private readonly report: (line: string) => void = (line) => console.error(line),
  ) {
    const opened = openCatalogDb(path);
    this.db = opened.db;
    this.setAside = opened.setAside;
    const prepared = Object.fromEntries(Object.entries(STATEMENTS).map(([name, sql]) => [name, this.db.prepare(sql)]));
    // A bulk load (a fresh batch) drops the list's indexes and makes them again after its rows, in the same
    // transaction: a failed load leaves them as they were.
    this.writeBatch = this.db.transaction((ops: Op[], bulk: boolean) => {
      if (bulk) this.db.exec(DROP_SESSION_INDEXES);
      for (const [name, ...params] of ops) prepared[name].run(...params);
      if (bulk) this.db.exec(MAKE_SESSION_INDEXES);
    });
  }

  /** Queues a session's row and the job events just appended to its log. */
  record(row: IndexedRow, jobEvents: readonly JobEvent[] = []): void {
    this.pending.removed.delete(row.id);
    this.pending.rows.set(row.id, row);
    for (const event of jobEvents) {
      this.pending.jobs.push({ session: row.id, event });
      if (event.type !== 'job.started') this.pending.progress.delete(event.job);
    }
    this.schedule();
  }

  /** Queues a running job's progress (the queue's view: queued or running, how far). */
  jobProgress(p: JobProgress): void {
    this.pending.progress.set(p.job, p);
    this.schedule();
  }

  /** Queues dropping a session's rows (it was moved to the trash). */
  remove(id: string): void {
    this.pending.rows.delete(id);
    this.pending.removed.add(id);
    this.schedule();
  }

  /**
   * Writes everything queued in one transaction. False when that failed: the writes stay queued, the failure is
   * said once (until a write succeeds again) and a retry is set.
   */
  flush(): boolean {
    if (this.held) return true;
    const batch = this.pending;
    if (isEmpty(batch)) {
      batch.fresh = false; // a load that found nothing to write: what comes later is written as usual
      return true;
    }
    try {
      this.writeBatch(batchOps(batch, batch.fresh ? undefined : this.unchangedText(batch.rows.values())), batch.fresh);
    } catch (err) {
      if (!this.failure) this.report(`[cardtrail] the catalog could not be written (${(err as Error).message}); the logs hold everything, and it catches up when it can.`);
      this.failure = err as Error;
      this.retry ??= setTimeout(() => {
        this.retry = undefined;
        this.flush();
      }, RETRY_MS).unref();
      return false;
    }
    this.pending = emptyPending();
    this.written++;
    if (this.failure) this.report('[cardtrail] the catalog is written again and up to date.');
    this.failure = undefined;
    return true;
  }

  /**
   * Sessions matching the filter on its page (the last page there is, when asked for one past it), the most
   * recently changed first, and how many match in all.
   */
  page(filter: SessionFilter = {}): ListPage {
    this.flush();
    return this.pages.read(JSON.stringify([filter.workflow, filter.status, filter.q, filter.page]), this.written, () => this.query(filter));
  }

  /**
   * A page read from SQLite. The first page is read before any count: when it is not full, its rows are every
   * match (a search for a name, the common case, then runs its text match once, not twice). A later page needs
   * the count first, to know the last page; the count is kept apart from the pages, so turning the pages of one
   * search counts its matches once.
   */
  private query(filter: SessionFilter): ListPage {
    const requested = Math.max(1, filter.page ?? 1);
    if (requested === 1) {
      const rows = this.rowsFrom(filter, 0);
      return { rows, total: rows.length < PAGE_SIZE ? rows.length : this.count(filter), page: 1 };
    }
    const total = this.count(filter);
    const page = Math.min(requested, pageCount(total));
    return { rows: this.rowsFrom(filter, (page - 1) * PAGE_SIZE), total, page };
  }

  /** How many sessions match the filter (its page aside). */
  private count(filter: SessionFilter): number {
    return this.counts.read(JSON.stringify([filter.workflow, filter.status, filter.q]), this.written, () => {
      const { sql, params } = countOf(filter);
      return (this.statement(sql).get(params) as { n: number }).n;
    });
  }

  /** One page's rows of the filter, from `offset`, newest first. */
  private rowsFrom(filter: SessionFilter, offset: number): SessionRow[] {
    const { sql, params } = whereOf(filter);
    const rows = this.statement(`SELECT ${COLUMNS} FROM ${sql} ORDER BY updated_at DESC LIMIT ${PAGE_SIZE} OFFSET @offset`).all({
      ...params,
      offset,
    }) as Stored[];
    return rows.map((r) => ({ ...r, finalized: r.finalized === 1, archived: r.archived === 1 }));
  }

  /** The first page of sessions matching the filter. */
  list(filter: SessionFilter = {}): readonly SessionRow[] {
    return this.page(filter).rows;
  }

  /**
   * The highest seq this catalog has ever seen in a session's log. A log that now ends before it lost lines from
   * its end, which its hash chain alone cannot show. (Only as long as this catalog file lives: it is derived.)
   */
  seenSeq(id: string): number | undefined {
    const queued = this.pending.rows.get(id)?.lastSeq;
    const row = this.statement('SELECT seen_seq AS seen FROM sessions WHERE id = ?').get(id) as { seen: number } | undefined;
    return queued === undefined ? row?.seen : Math.max(queued, row?.seen ?? 0);
  }

  /** True when the catalog stores no session (a new file, or one made anew). */
  isEmpty(): boolean {
    this.flush();
    return !(this.statement('SELECT EXISTS (SELECT 1 FROM sessions) AS stored').get() as { stored: number }).stored;
  }

  /** Log sizes by session id, to find the rows a restart must refresh. */
  logSizes(): Map<string, number> {
    this.flush();
    const rows = this.statement('SELECT id, log_size AS size FROM sessions').all() as { id: string; size: number }[];
    return new Map(rows.map((r) => [r.id, r.size]));
  }

  /** The wording stamp each workflow's rows were last drawn under (see wording.ts). */
  wordings(): Map<string, string> {
    const rows = this.statement('SELECT workflow, stamp FROM wordings').all() as { workflow: string; stamp: string }[];
    return new Map(rows.map((r) => [r.workflow, r.stamp]));
  }

  /**
   * Records the stamps rows are now drawn under and drops those of workflows that are gone, once what is queued
   * (the rows drawn under them) is written; throws when it cannot be, so no stamp outlives its rows.
   */
  setWordings(stamps: ReadonlyMap<string, string>, gone: readonly string[] = []): void {
    if (!this.flush()) throw this.failure;
    const put = this.statement('INSERT INTO wordings (workflow, stamp) VALUES (?, ?) ON CONFLICT (workflow) DO UPDATE SET stamp = excluded.stamp');
    const drop = this.statement('DELETE FROM wordings WHERE workflow = ?');
    this.db.transaction(() => {
      for (const [workflow, stamp] of stamps) put.run(workflow, stamp);
      for (const workflow of gone) drop.run(workflow);
    })();
    this.written++;
  }

  /** The ids of a workflow's sessions. */
  idsOf(workflow: string): string[] {
    this.flush();
    return (this.statement('SELECT id FROM sessions WHERE workflow = ?').all(workflow) as { id: string }[]).map((r) => r.id);
  }

  /** Drops rows whose session no longer has a log. */
  keepOnly(ids: ReadonlySet<string>): void {
    for (const id of this.logSizes().keys()) if (!ids.has(id)) this.remove(id);
    this.flush();
  }

  /** Jobs the log says are still queued or running. After a restart these were cut off. */
  unfinishedJobs(): JobRow[] {
    this.flush();
    return this.statement(
      `SELECT job, session, step, status, requested_at AS requestedAt, ended_at AS endedAt, error
       FROM jobs WHERE status IN ('queued', 'running') ORDER BY requested_at`,
    ).all() as JobRow[];
  }

  /** Counts of jobs by status: the file-free form of an incoming/processing/completed/failed queue. */
  jobCounts(): Record<string, number> {
    this.flush();
    const rows = this.statement('SELECT status, COUNT(*) AS n FROM jobs GROUP BY status').all() as { status: string; n: number }[];
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  }

  /**
   * Runs task with writes queued until it is done, then writes them all in one transaction. Reads made meanwhile
   * see the file, not what the task has queued: read what the task needs before it starts.
   */
  async holding<T>(task: () => Promise<T>): Promise<T> {
    this.held++;
    try {
      return await task();
    } finally {
      this.held--;
      this.flush();
    }
  }

  /**
   * `holding`, for filling the catalog from the logs at start: when it stores no session yet (a new file, or one
   * made anew after a schema change or damage), what the task queues is written as one bulk load.
   */
  loading<T>(task: () => Promise<T>): Promise<T> {
    if (this.isEmpty()) this.pending.fresh = true;
    return this.holding(task);
  }

  /** Writes what is queued (if it can) and closes the file. */
  close(): void {
    this.flush();
    clearTimeout(this.retry);
    this.db.close();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setTimeout(() => {
      this.scheduled = false;
      if (this.db.open) this.flush();
    }, WRITE_AFTER_MS).unref();
  }

  /** The ids among `rows` whose search text is already the one stored. */
  private unchangedText(rows: Iterable<IndexedRow>): Set<string> {
    const stored = this.statement('SELECT text FROM sessions_search WHERE rowid = (SELECT n FROM sessions WHERE id = ?)');
    const same = new Set<string>();
    for (const row of rows) if ((stored.get(row.id) as { text: string } | undefined)?.text === row.search) same.add(row.id);
    return same;
  }

  /** Each distinct query is prepared once. */
  private statement(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) this.statements.set(sql, (s = this.db.prepare(sql)));
    return s;
  }
}
