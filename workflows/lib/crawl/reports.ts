import type { GraphMetrics, PageMetrics } from './metrics.ts';
import { pickNodes, type GraphJson, type GraphNode } from './graph-json.ts';
import { writeChunks, writeCsv, writeTextFile } from './files.ts';
import type { CrawlStore, PageRow } from './store.ts';
import { isHtml } from './assess.ts';
import { folderOf } from './urls.ts';

/** The headline numbers of a crawl, returned by the job and written to summary.json. */
export type Summary = {
  start: string;
  pages: number;
  links: number;
  brokenLinks: number;
  redirects: number;
  nonHtml: number;
  external: number;
  blocked: number;
  failed: number;
  notCrawled: number;
  orphans: number;
  deepest: number;
  deepestUrl: string;
  components: number;
  elapsedMs: number;
};

/** The files a finished crawl leaves in the session's folder. */
export const REPORT_FILES = [
  'pages.csv', 'links.csv', 'broken-links.csv', 'redirects.csv', 'orphans.csv', 'depths.csv', 'status-codes.csv',
  'graph.json', 'graph.graphml', 'summary.json',
] as const;

export const PAGE_COLUMNS = [
  'url', 'status', 'depth', 'title', 'inlinks', 'unique_inlinks', 'outlinks', 'external_outlinks', 'pagerank',
  'canonical', 'redirect_to', 'content_type', 'in_sitemap', 'meta_robots', 'bytes', 'ms', 'retries', 'note',
] as const;
export const LINK_COLUMNS = ['source', 'target', 'anchor', 'nofollow', 'target_status'] as const;
export const BROKEN_COLUMNS = ['target', 'target_status', 'source', 'anchor', 'nofollow'] as const;
export const REDIRECT_COLUMNS = ['url', 'hops', 'chain', 'final_url', 'final_status', 'loop'] as const;
export const ORPHAN_COLUMNS = ['url', 'status', 'title'] as const;

/**
 * What a page's status column says: the HTTP status when it answered, else what became of it (failed with the
 * reason, blocked, external, nofollow, excluded, too-deep, queued when the page limit ended the crawl first).
 */
export function statusOf(row: Pick<PageRow, 'state' | 'status' | 'note'>): string {
  if (row.status !== null) return String(row.status);
  if (row.state === 'failed') return `failed: ${row.note ?? 'no answer'}`;
  return row.state;
}

/** A status that makes a link broken: 4xx, 5xx or no answer at all. */
export function isBroken(row: Pick<PageRow, 'state' | 'status'>): boolean {
  return row.state === 'failed' || (row.status !== null && row.status >= 400);
}

const MAX_CHAIN = 20;
const UNREACHABLE = 'unreachable';

/** A page's row in depths.csv: its click depth, or `unreachable` when no followed link leads to it. */
function depthKey(depth: number | null): string {
  return depth === null ? UNREACHABLE : String(depth);
}

/** Writes every report file from the store and the graph's metrics; returns the summary. */
export async function writeReports(store: CrawlStore, metrics: GraphMetrics, dir: string, graphLimit: number): Promise<Summary> {
  const db = store.db;
  const m = (id: number): PageMetrics => metrics.pages.get(id) ?? { depth: null, pagerank: 0, inlinks: 0, uniqueInlinks: 0, outlinks: 0, externalOutlinks: 0 };
  const internal = () => db.prepare<[], PageRow>(`SELECT * FROM pages WHERE state <> 'external' ORDER BY id`).iterate();

  // depths.csv counts the rows pages.csv lists, as they are written, so the two always add up.
  const byDepth = new Map<string, number>();
  await writeCsv(dir, 'pages.csv', PAGE_COLUMNS, map(internal(), (p) => {
    const pm = m(p.id);
    const key = depthKey(pm.depth);
    byDepth.set(key, (byDepth.get(key) ?? 0) + 1);
    return [p.url, statusOf(p), pm.depth ?? '', p.title ?? '', pm.inlinks, pm.uniqueInlinks, pm.outlinks, pm.externalOutlinks,
      pm.pagerank.toFixed(6), p.canonical ?? '', p.redirect_to ?? '', p.content_type ?? '', p.in_sitemap === 1, p.meta_robots ?? '',
      p.bytes ?? '', p.ms ?? '', p.retries ?? '', p.note ?? ''];
  }));

  type LinkJoin = { source: string; target: string; anchor: string; nofollow: number; state: PageRow['state']; status: number | null; note: string | null };
  const linksSql = `SELECT s.url AS source, t.url AS target, l.anchor, l.nofollow, t.state, t.status, t.note
    FROM links l JOIN pages s ON s.id = l.source JOIN pages t ON t.id = l.target`;
  await writeCsv(dir, 'links.csv', LINK_COLUMNS, map(db.prepare<[], LinkJoin>(`${linksSql} ORDER BY l.rowid`).iterate(), (l) =>
    [l.source, l.target, l.anchor, l.nofollow === 1, statusOf(l)]));
  await writeCsv(dir, 'broken-links.csv', BROKEN_COLUMNS, map(
    db.prepare<[], LinkJoin>(`${linksSql} WHERE t.state = 'failed' OR t.status >= 400 ORDER BY t.url, l.rowid`).iterate(),
    (l) => [l.target, statusOf(l), l.source, l.anchor, l.nofollow === 1]));

  const chains = redirectChains(store);
  await writeCsv(dir, 'redirects.csv', REDIRECT_COLUMNS, chains.map((c) => [c.url, c.hops, c.chain.join(' -> '), c.finalUrl, c.finalStatus, c.loop]));

  const orphans = db.prepare<[], PageRow>(`
    SELECT p.* FROM pages p WHERE p.in_sitemap = 1 AND p.found_via <> 'start' AND p.state <> 'external'
      AND NOT EXISTS (SELECT 1 FROM links l WHERE l.target = p.id AND l.source <> p.id) ORDER BY p.url`).all();
  await writeCsv(dir, 'orphans.csv', ORPHAN_COLUMNS, orphans.map((p) => [p.url, statusOf(p), p.title ?? '']));

  type Answered = Pick<PageRow, 'id' | 'url' | 'state' | 'status' | 'note' | 'content_type'>;
  const answered = db.prepare<[], Answered>(`SELECT id, url, state, status, note, content_type FROM pages WHERE state IN ('done', 'failed') ORDER BY id`);
  const byStatus = new Map<string, number>();
  let [pages, failed, nonHtml, deepest, deepestUrl] = [0, 0, 0, 0, ''];
  for (const p of answered.iterate()) {
    const depth = m(p.id).depth;
    byStatus.set(statusOf(p), (byStatus.get(statusOf(p)) ?? 0) + 1);
    if (!pages || (depth !== null && depth > deepest)) [deepest, deepestUrl] = [depth ?? 0, p.url];
    pages++;
    if (p.state === 'failed') failed++;
    if (p.status !== null && p.status < 300 && !isHtml(p.content_type ?? '')) nonHtml++;
  }
  const depthKeys = [...byDepth.keys()].sort((a, b) => (a === UNREACHABLE ? 1 : b === UNREACHABLE ? -1 : Number(a) - Number(b)));
  await writeCsv(dir, 'depths.csv', ['depth', 'pages'], depthKeys.map((k) => [k, byDepth.get(k)]));
  await writeCsv(dir, 'status-codes.csv', ['status', 'pages'], [...byStatus.keys()].sort().map((k) => [k, byStatus.get(k)]));

  await writeTextFile(dir, 'graph.json', JSON.stringify(graphJson(store, metrics, graphLimit)));
  await writeChunks(dir, 'graph.graphml', graphml(store, metrics));

  const count = (sql: string) => (db.prepare<[], { n: number }>(sql).get()?.n ?? 0);
  const summary: Summary = {
    start: store.meta('start') ?? '',
    pages,
    links: count('SELECT count(*) AS n FROM links'),
    brokenLinks: count(`SELECT count(*) AS n FROM links l JOIN pages t ON t.id = l.target WHERE t.state = 'failed' OR t.status >= 400`),
    redirects: count('SELECT count(*) AS n FROM pages WHERE status BETWEEN 300 AND 399'),
    nonHtml,
    external: count(`SELECT count(*) AS n FROM pages WHERE state = 'external'`),
    blocked: count(`SELECT count(*) AS n FROM pages WHERE state = 'blocked'`),
    failed,
    notCrawled: count(`SELECT count(*) AS n FROM pages WHERE state = 'queued'`),
    orphans: orphans.length,
    deepest,
    deepestUrl,
    components: metrics.components,
    elapsedMs: Number(store.meta('elapsed_ms') ?? 0),
  };
  await writeTextFile(dir, 'summary.json', `${JSON.stringify(summary, null, 2)}\n`);
  return summary;
}

type Chain = { url: string; hops: number; chain: string[]; finalUrl: string; finalStatus: string; loop: boolean };

/**
 * Every redirect chain that something leads into (a link, the start, the sitemap), followed hop by hop through
 * the recorded answers: its hops, where it ends and with what status, and whether it loops.
 */
export function redirectChains(store: CrawlStore): Chain[] {
  const db = store.db;
  const byUrl = db.prepare<[string], PageRow>('SELECT * FROM pages WHERE url = ?');
  const starts = db.prepare<[], PageRow>(`
    SELECT p.* FROM pages p WHERE p.redirect_to IS NOT NULL
      AND (p.found_via <> 'redirect' OR EXISTS (SELECT 1 FROM links l WHERE l.target = p.id)) ORDER BY p.url`).all();
  return starts.map((first) => {
    const chain = [first.url];
    let page: PageRow | undefined = first;
    let loop = false;
    while (page?.redirect_to && chain.length <= MAX_CHAIN) {
      if (chain.includes(page.redirect_to)) {
        loop = true;
        chain.push(page.redirect_to);
        break;
      }
      chain.push(page.redirect_to);
      page = byUrl.get(page.redirect_to);
    }
    const last = chain[chain.length - 1]!;
    return { url: first.url, hops: chain.length - 1, chain, finalUrl: last, finalStatus: loop ? 'loop' : page ? statusOf(page) : 'unknown', loop };
  });
}

type NodeRow = Pick<PageRow, 'id' | 'url' | 'state' | 'status' | 'note'>;
const NODES_SQL = `SELECT id, url, state, status, note FROM pages WHERE state <> 'external' ORDER BY id`;
/** The graph's edges: every pair linked (followed or not) and every redirect, among the site's pages. */
const EDGES_SQL = `
  SELECT DISTINCT l.source, l.target FROM links l JOIN pages t ON t.id = l.target WHERE t.state <> 'external'
  UNION SELECT s.id, t.id FROM pages s JOIN pages t ON t.url = s.redirect_to WHERE t.state <> 'external'`;

function nodeOf(p: NodeRow, metrics: GraphMetrics): GraphNode {
  const pm = metrics.pages.get(p.id);
  return {
    id: String(p.id), url: p.url, depth: pm?.depth ?? null, status: statusOf(p), folder: folderOf(p.url),
    pagerank: Number((pm?.pagerank ?? 0).toFixed(6)), inlinks: pm?.inlinks ?? 0, outlinks: pm?.outlinks ?? 0,
  };
}

/**
 * graph.json: every URL of the site as a node, links and redirects as edges; above `limit` nodes only those
 * pickNodes keeps (top PageRank and neighbours), read from the store row by row so a big site is never held whole.
 */
function graphJson(store: CrawlStore, metrics: GraphMetrics, limit: number): GraphJson {
  const db = store.db;
  const total = metrics.pages.size;
  let keep: Set<number> | undefined;
  if (total > limit) {
    const ranked = [...metrics.pages].sort((a, b) => b[1].pagerank - a[1].pagerank || a[0] - b[0]).map(([id]) => id);
    keep = pickNodes(ranked, metrics.neighbours, limit);
  }
  const nodes: GraphNode[] = [];
  for (const p of db.prepare<[], NodeRow>(NODES_SQL).iterate()) if (!keep || keep.has(p.id)) nodes.push(nodeOf(p, metrics));
  const links: GraphJson['links'] = [];
  let totalLinks = 0;
  for (const e of db.prepare<[], { source: number; target: number }>(EDGES_SQL).iterate()) {
    totalLinks++;
    if (!keep || (keep.has(e.source) && keep.has(e.target))) links.push({ source: String(e.source), target: String(e.target) });
  }
  return keep ? { nodes, links, reduced: { shown: keep.size, total, totalLinks } } : { nodes, links };
}

/** The whole graph as GraphML, for Gephi, yEd or Cytoscape, streamed from the store. */
function* graphml(store: CrawlStore, metrics: GraphMetrics): Generator<string> {
  yield '<?xml version="1.0" encoding="UTF-8"?>\n<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n';
  const keys = [['url', 'string'], ['depth', 'int'], ['status', 'string'], ['folder', 'string'], ['pagerank', 'double'], ['inlinks', 'int'], ['outlinks', 'int']] as const;
  for (const [name, type] of keys) yield `  <key id="${name}" for="node" attr.name="${name}" attr.type="${type}"/>\n`;
  yield '  <graph id="site" edgedefault="directed">\n';
  for (const p of store.db.prepare<[], NodeRow>(NODES_SQL).iterate()) {
    const n = nodeOf(p, metrics);
    const data = keys.map(([k]) => (n[k] === null ? '' : `<data key="${k}">${xml(String(n[k]))}</data>`)).join('');
    yield `    <node id="n${n.id}">${data}</node>\n`;
  }
  for (const e of store.db.prepare<[], { source: number; target: number }>(EDGES_SQL).iterate()) yield `    <edge source="n${e.source}" target="n${e.target}"/>\n`;
  yield '  </graph>\n</graphml>\n';
}

function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function* map<T, U>(rows: Iterable<T>, f: (row: T) => U): Generator<U> {
  for (const row of rows) yield f(row);
}
