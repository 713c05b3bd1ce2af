/** Raised whenever the tables change; an older catalog is dropped and rebuilt from the logs. */
export const SCHEMA_VERSION = 8;

/** Every table of the catalog, dropped and made anew when the schema version differs. */
export const TABLES = ['sessions', 'sessions_search', 'jobs', 'wordings'] as const;

/**
 * The session list's indexes, by name. A bulk load into an empty catalog (the rebuild at start) drops them and
 * makes them again after its rows: sorting 10,000 rows once is cheaper than keeping four b-trees in order row by
 * row. The two on `archived` serve the list's status filters (not archived, open, finalized, archived): their
 * count and their newest-first page read these alone, instead of every row of the table.
 */
export const SESSION_INDEXES = {
  sessions_updated: 'sessions(updated_at DESC)',
  sessions_workflow_updated: 'sessions(workflow, updated_at DESC)',
  sessions_archived_updated: 'sessions(archived, updated_at DESC)',
  sessions_status_updated: 'sessions(archived, finalized, updated_at DESC)',
} as const;

export const MAKE_SESSION_INDEXES = Object.entries(SESSION_INDEXES)
  .map(([name, on]) => `CREATE INDEX IF NOT EXISTS ${name} ON ${on};`)
  .join('\n');
export const DROP_SESSION_INDEXES = Object.keys(SESSION_INDEXES)
  .map((name) => `DROP INDEX IF EXISTS ${name};`)
  .join('\n');

export const SCHEMA = `
CREATE TABLE IF NOT EXISTS sessions (
  n INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  workflow TEXT NOT NULL,
  started_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  current_step TEXT,
  title TEXT,
  preview TEXT NOT NULL,
  finalized INTEGER NOT NULL,
  archived INTEGER NOT NULL,
  last_seq INTEGER NOT NULL,
  seen_seq INTEGER NOT NULL,
  log_size INTEGER NOT NULL
);
${MAKE_SESSION_INDEXES}
-- No column sizes: they serve only ranking (bm25), which the list never asks for, and cost a row each.
CREATE VIRTUAL TABLE IF NOT EXISTS sessions_search USING fts5(text, tokenize = 'trigram', columnsize = 0);
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
-- The stamp of each workflow's wording (app/catalog/wording.ts) its rows were last drawn under.
CREATE TABLE IF NOT EXISTS wordings (
  workflow TEXT PRIMARY KEY,
  stamp TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS jobs_status ON jobs(status);
CREATE INDEX IF NOT EXISTS jobs_session ON jobs(session);
`;
