import Database from 'better-sqlite3';
import type { JobEvent } from '../log/events.ts';
import type { JobPhase } from '../jobs/context.ts';

/** One session as the home page lists it; every column is derived from the session's log. */
export type SessionRow = {
  id: string;
  workflow: string;
  startedAt: string;
  updatedAt: string;
  /** Title of the step waiting for input, or null when every step is done. */
  currentStep: string | null;
  finalized: boolean;
  archived: boolean;
  lastSeq: number;
  /** Bytes of the log when the row was made: a different size on disk means the row is stale. */
  logSize: number;
};

/** Raised whenever the tables change; an older catalog is dropped and rebuilt from the logs. */
const SCHEMA_VERSION = 3;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS sessions (
  id TEXT PRIMARY KEY,
  workflow TEXT NOT NULL,
  started_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  current_step TEXT,
  finalized INTEGER NOT NULL,
  archived INTEGER NOT NULL,
  last_seq INTEGER NOT NULL,
  seen_seq INTEGER NOT NULL,
  log_size INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_updated ON sessions(updated_at DESC);
CREATE TABLE IF NOT EXISTS jobs (
  job TEXT PRIMARY KEY,
  session TEXT NOT NULL,
  step TEXT NOT NULL,
  status TEXT NOT NULL,
  requested_at TEXT NOT NULL,
  ended_at TEXT,
  error TEXT,
  done REAL,
  total REAL,
  message TEXT
);
CREATE INDEX IF NOT EXISTS jobs_status ON jobs(status);
`;

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

/** A job's latest progress, as the runner reports it (never stored in the log). */
export type JobProgress = Pick<JobRow, 'job' | 'status'> & { done: number; total: number | null; message: string };

type Stored = Omit<SessionRow, 'finalized' | 'archived'> & { finalized: number; archived: number };

export const SESSION_STATUSES = ['active', 'open', 'finalized', 'archived', 'all'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

/** Which sessions the list shows: by workflow and status; `active` (the default) is everything not archived. */
export type SessionFilter = { workflow?: string; status?: SessionStatus; limit?: number };

/** The SQLite index of sessions. It holds nothing the logs do not: delete it and it is rebuilt. */
export class Catalog {
  readonly db: Database.Database;
  /**
   * A second connection for job progress only, with synchronous=NORMAL (per connection in SQLite): progress is
   * written every half second while a job runs, is lost harmlessly in a crash, and an fsync on each write would
   * stall the event loop that streams progress to the page.
   */
  private readonly progressDb: Database.Database;
  private readonly progressUpdate: Database.Statement;

  constructor(path: string) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    // A reopened WAL database defaults to NORMAL; FULL makes every commit durable.
    this.db.pragma('synchronous = FULL');
    if (this.db.pragma('user_version', { simple: true }) !== SCHEMA_VERSION) {
      this.db.exec('DROP TABLE IF EXISTS sessions; DROP TABLE IF EXISTS jobs;');
      this.db.pragma(`user_version = ${SCHEMA_VERSION}`);
    }
    this.db.exec(SCHEMA);
    this.progressDb = new Database(path);
    this.progressDb.pragma('synchronous = NORMAL');
    this.progressUpdate = this.progressDb.prepare(
      'UPDATE jobs SET status = @status, done = @done, total = @total, message = @message WHERE job = @job',
    );
  }

  /** Inserts or replaces a session's row. */
  upsert(row: SessionRow): void {
    this.db
      .prepare(
        `INSERT INTO sessions (id, workflow, started_at, updated_at, current_step, finalized, archived, last_seq, seen_seq, log_size)
         VALUES (@id, @workflow, @startedAt, @updatedAt, @currentStep, @finalized, @archived, @lastSeq, @lastSeq, @logSize)
         ON CONFLICT(id) DO UPDATE SET workflow = excluded.workflow, started_at = excluded.started_at,
           updated_at = excluded.updated_at, current_step = excluded.current_step, finalized = excluded.finalized,
           archived = excluded.archived, last_seq = excluded.last_seq, log_size = excluded.log_size,
           seen_seq = MAX(seen_seq, excluded.last_seq)`,
      )
      .run({ ...row, finalized: row.finalized ? 1 : 0, archived: row.archived ? 1 : 0 });
  }

  /** Sessions matching the filter, the most recently changed first. */
  list(filter: SessionFilter = {}): SessionRow[] {
    const where = ['(@workflow IS NULL OR workflow = @workflow)'];
    const status = filter.status ?? 'active';
    if (status === 'active') where.push('archived = 0');
    if (status === 'open') where.push('archived = 0 AND finalized = 0');
    if (status === 'finalized') where.push('archived = 0 AND finalized = 1');
    if (status === 'archived') where.push('archived = 1');
    const rows = this.db
      .prepare(
        `SELECT id, workflow, started_at AS startedAt, updated_at AS updatedAt, current_step AS currentStep,
                finalized, archived, last_seq AS lastSeq, log_size AS logSize
         FROM sessions WHERE ${where.join(' AND ')} ORDER BY updated_at DESC LIMIT @limit`,
      )
      .all({ workflow: filter.workflow ?? null, limit: filter.limit ?? 100 }) as Stored[];
    return rows.map((r) => ({ ...r, finalized: r.finalized === 1, archived: r.archived === 1 }));
  }

  /**
   * The highest seq this catalog has ever seen in a session's log. A log that now ends before it lost lines from
   * its end, which its hash chain alone cannot show. (Only as long as this catalog file lives: it is derived.)
   */
  seenSeq(id: string): number | undefined {
    const row = this.db.prepare('SELECT seen_seq AS seen FROM sessions WHERE id = ?').get(id) as { seen: number } | undefined;
    return row?.seen;
  }

  /** Log sizes by session id, to find the rows a restart must refresh. */
  logSizes(): Map<string, number> {
    const rows = this.db.prepare('SELECT id, log_size AS size FROM sessions').all() as { id: string; size: number }[];
    return new Map(rows.map((r) => [r.id, r.size]));
  }

  /** Drops a session's rows (it was moved to the trash). */
  remove(id: string): void {
    this.db.prepare('DELETE FROM sessions WHERE id = ?').run(id);
    this.db.prepare('DELETE FROM jobs WHERE session = ?').run(id);
  }

  /** Drops rows whose session no longer has a log. */
  keepOnly(ids: ReadonlySet<string>): void {
    for (const id of this.logSizes().keys()) if (!ids.has(id)) this.remove(id);
  }

  /** Records a job lifecycle event from a session's log; progress the runner reported is kept. */
  jobEvent(session: string, e: JobEvent): void {
    if (e.type === 'job.started')
      this.db
        .prepare(
          `INSERT OR REPLACE INTO jobs (job, session, step, status, requested_at) VALUES (?, ?, ?, 'running', ?)`,
        )
        .run(e.job, session, e.step, e.at);
    else
      this.db
        .prepare('UPDATE jobs SET status = ?, ended_at = ?, error = ? WHERE job = ?')
        .run(e.type.slice('job.'.length), e.at, e.error ?? null, e.job);
  }

  /** Stores a running job's progress (the queue's view: queued or running, how far). */
  jobProgress(p: JobProgress): void {
    this.progressUpdate.run(p);
  }

  /** Jobs the log says are still queued or running. After a restart these were cut off. */
  unfinishedJobs(): JobRow[] {
    return this.db
      .prepare(
        `SELECT job, session, step, status, requested_at AS requestedAt, ended_at AS endedAt, error
         FROM jobs WHERE status IN ('queued', 'running') ORDER BY requested_at`,
      )
      .all() as JobRow[];
  }

  /** Counts of jobs by status: the file-free form of an incoming/processing/completed/failed queue. */
  jobCounts(): Record<string, number> {
    const rows = this.db.prepare('SELECT status, COUNT(*) AS n FROM jobs GROUP BY status').all() as { status: string; n: number }[];
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  }

  close(): void {
    this.progressDb.close();
    this.db.close();
  }
}
