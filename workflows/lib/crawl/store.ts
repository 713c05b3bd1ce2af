import Database from 'better-sqlite3';

/**
 * Where a URL stands. queued: the frontier; done: answered (any status); failed: no answer (timeout,
 * network); blocked: disallowed by robots.txt; external: another site, recorded only; excluded: ruled out by a
 * pattern; nofollow: only reached by links that are not followed; too-deep: beyond the maximum depth.
 */
export type PageState = 'queued' | 'done' | 'failed' | 'blocked' | 'external' | 'excluded' | 'nofollow' | 'too-deep';

/** How a URL was first found. */
export type FoundVia = 'start' | 'link' | 'redirect' | 'canonical' | 'sitemap';

export type PageRow = {
  id: number;
  url: string;
  state: PageState;
  depth: number;
  found_via: FoundVia;
  in_sitemap: number;
  status: number | null;
  content_type: string | null;
  title: string | null;
  canonical: string | null;
  redirect_to: string | null;
  meta_robots: string | null;
  bytes: number | null;
  ms: number | null;
  retries: number | null;
  /** Why a page failed, or a remark on one that answered (too large to parse). */
  note: string | null;
  fetch_order: number | null;
};

export type LinkRow = { source: number; target: number; anchor: string; nofollow: number };

/** What answering a claimed page records. */
export type PageResult = Pick<PageRow, 'state' | 'status' | 'content_type' | 'title' | 'canonical' | 'redirect_to' | 'meta_robots' | 'bytes' | 'ms' | 'retries' | 'note'>;

/** A URL to add to the crawl (or to raise: a shorter depth, a state that is now followed). */
export type Discovery = { url: string; state: PageState; depth: number; via: FoundVia; sitemap?: boolean };

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS pages (
  id INTEGER PRIMARY KEY,
  url TEXT NOT NULL UNIQUE,
  state TEXT NOT NULL,
  depth INTEGER NOT NULL,
  found_via TEXT NOT NULL,
  in_sitemap INTEGER NOT NULL DEFAULT 0,
  status INTEGER, content_type TEXT, title TEXT, canonical TEXT, redirect_to TEXT, meta_robots TEXT,
  bytes INTEGER, ms INTEGER, retries INTEGER, note TEXT, fetch_order INTEGER
);
CREATE INDEX IF NOT EXISTS pages_frontier ON pages (state, depth, id);
CREATE TABLE IF NOT EXISTS links (
  source INTEGER NOT NULL, target INTEGER NOT NULL, anchor TEXT NOT NULL, nofollow INTEGER NOT NULL
);
`;

/** The links' indexes serve only the reports: made once the crawl is over, so no page pays for them while it runs. */
const REPORT_INDEXES = `
CREATE INDEX IF NOT EXISTS links_target ON links (target);
CREATE INDEX IF NOT EXISTS links_source ON links (source);
`;

/** What the store remembers of a URL it saw, to skip writes that would change nothing. */
type Known = { id: number; state: PageState; depth: number };

/** At most this many URLs are remembered (a bounded cache: memory stays flat however big the site). */
const KNOWN_MAX = 50_000;
const LIFTABLE: ReadonlySet<PageState> = new Set(['nofollow', 'too-deep']);
const DEEPENABLE: ReadonlySet<PageState> = new Set(['queued', 'nofollow', 'too-deep']);

/** Whether a discovery would change a URL known to be in this state (the upsert's CASE, in JavaScript). Pure. */
export function changes(known: Known, found: Discovery): boolean {
  return Boolean(found.sitemap) || (LIFTABLE.has(known.state) && found.state === 'queued') || (DEEPENABLE.has(known.state) && found.depth < known.depth);
}


/**
 * The crawl's frontier and everything it found, in one SQLite file (WAL, synchronous=NORMAL: a killed process
 * loses nothing committed; a power cut may lose the last pages, which are then fetched again). Each answered page
 * is one transaction with its links and discoveries, so a crawl cut off anywhere resumes consistently. Pages in
 * flight are held here in memory, not written: the file still lists them queued, so a resumed crawl fetches
 * them again, and nothing else twice. (One commit per page instead of two; checkpoints of the WAL every 10,000
 * pages rather than SQLite's 1,000, since each checkpoint syncs the disk. Figures in bench/crawl.ts.)
 */
export class CrawlStore {
  readonly db: Database.Database;
  private readonly stmt;
  /** The order of the last answered page (kept here: a max() over the table on every page would grow with it). */
  private answered: number;
  /** Ids claimed and not yet answered, with their URLs. */
  private readonly inflight = new Map<number, string>();
  /**
   * URLs seen lately. Only ever behind the file (states move forward), so a stale entry costs a write that
   * changes nothing, never a skipped one that mattered.
   */
  private readonly known = new Map<string, Known>();
  /** How many discoveries and answers were written: a count read at one number holds until it moves. */
  writes = 0;

  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('wal_autocheckpoint = 10000');
    this.db.exec(SCHEMA);
    const db = this.db;
    this.stmt = {
      getMeta: db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?'),
      setMeta: db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
      discover: db.prepare<[string, string, number, string, number], Known>(`
        INSERT INTO pages (url, state, depth, found_via, in_sitemap) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (url) DO UPDATE SET
          state = CASE WHEN state IN ('nofollow', 'too-deep') AND excluded.state = 'queued' THEN 'queued' ELSE state END,
          depth = CASE WHEN state IN ('queued', 'nofollow', 'too-deep') AND excluded.depth < depth THEN excluded.depth ELSE depth END,
          in_sitemap = max(in_sitemap, excluded.in_sitemap)
        RETURNING id, state, depth`),
      frontier: db.prepare<[number], { id: number; url: string; depth: number }>(
        `SELECT id, url, depth FROM pages WHERE state = 'queued' ORDER BY depth, id LIMIT ?`),
      answer: db.prepare(`
        UPDATE pages SET state = @state, status = @status, content_type = @content_type, title = @title,
          canonical = @canonical, redirect_to = @redirect_to, meta_robots = @meta_robots, bytes = @bytes, ms = @ms,
          retries = @retries, note = @note, fetch_order = @fetch_order
        WHERE id = @id`),
      link: db.prepare('INSERT INTO links (source, target, anchor, nofollow) VALUES (?, ?, ?, ?)'),
      start: db.prepare<[], PageRow>(`SELECT * FROM pages WHERE found_via = 'start'`),
      count: db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM pages WHERE state = ?'),
      maxOrder: db.prepare<[], { n: number | null }>('SELECT max(fetch_order) AS n FROM pages'),
    };
    this.answered = this.stmt.maxOrder.get()?.n ?? 0;
  }

  meta(key: string): string | undefined {
    return this.stmt.getMeta.get(key)?.value;
  }

  setMeta(key: string, value: string): void {
    this.stmt.setMeta.run(key, value);
  }

  /** Adds URLs (or raises known ones) in one transaction. */
  discover(found: readonly Discovery[]): void {
    this.db.transaction(() => {
      for (const d of found) this.upsert(d);
    })();
    this.writes++;
  }

  /** Adds or raises one URL unless it is known to need nothing; returns its id. */
  private upsert(d: Discovery): number {
    const known = this.known.get(d.url);
    if (known && !changes(known, d)) return known.id;
    const row = this.stmt.discover.get(d.url, d.state, d.depth, d.via, d.sitemap ? 1 : 0)!;
    this.remember(d.url, row);
    return row.id;
  }

  private remember(url: string, known: Known): void {
    this.known.delete(url);
    this.known.set(url, known);
    if (this.known.size > KNOWN_MAX) this.known.delete(this.known.keys().next().value!);
  }

  /** Takes the next URL of the frontier (shallowest first, then in order found) that is not in flight. */
  claim(): { id: number; url: string; depth: number } | undefined {
    const next = this.stmt.frontier.all(this.inflight.size + 1).find((p) => !this.inflight.has(p.id));
    if (next) this.inflight.set(next.id, next.url);
    return next;
  }

  /** Records a claimed page's answer, its links and what they discovered, all at once. */
  answer(id: number, result: PageResult, links: readonly (Discovery & { anchor: string; nofollow: boolean })[]): void {
    this.db.transaction(() => {
      this.stmt.answer.run({ ...result, id, fetch_order: this.answered + 1 });
      for (const l of links) {
        const target = this.upsert(l);
        if (l.via === 'link') this.stmt.link.run(id, target, l.anchor, l.nofollow ? 1 : 0);
      }
    })();
    this.answered++;
    this.writes++;
    const url = this.inflight.get(id);
    const known = url === undefined ? undefined : this.known.get(url);
    if (known) known.state = result.state;
    this.inflight.delete(id);
  }

  /** Gives back a claimed page without an answer (the crawl is stopping): it stays in the frontier. */
  release(id: number): void {
    this.inflight.delete(id);
  }

  /** How many pages are claimed and not answered. */
  get claimed(): number {
    return this.inflight.size;
  }

  /** Makes the indexes the reports read by (once the crawl is over). */
  indexForReports(): void {
    this.db.exec(REPORT_INDEXES);
  }

  /** The start page's row. */
  startPage(): PageRow | undefined {
    return this.stmt.start.get();
  }

  count(state: PageState): number {
    return this.stmt.count.get(state)!.n;
  }

  close(): void {
    this.db.close();
  }
}
