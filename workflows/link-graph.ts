import { defineWorkflow } from '../app/engine/definition.ts';
import { chart, download, graph, markdown, stat, table, type Output, type SessionFiles } from '../app/widgets/index.ts';
import type { JobResult } from '../app/jobs/context.ts';
import { CHANGE_FILES, compareCrawls, readCrawlFiles, writeChanges } from './lib/crawl/compare.ts';
import { earlierCrawls, siblingFiles, type EarlierCrawl } from './lib/crawl/earlier.ts';
import { DATABASE, runCrawlJob } from './lib/crawl/job.ts';
import { REPORT_FILES } from './lib/crawl/reports.ts';
import { PATTERN_HELP, patternProblem } from './lib/crawl/scope.ts';
import { crawlOptionsOf, DEFAULT_USER_AGENT, QUERY_MODES, userAgentProblem } from './lib/crawl/settings.ts';
import { parseStartUrl } from './lib/crawl/urls.ts';

/**
 * The flagship: crawl a website and explore its internal link graph. The crawler lives in lib/crawl/; this file
 * only declares the steps. See docs/link-graph.md.
 */
export default defineWorkflow({
  id: 'link-graph',
  title: 'Link graph (crawl a website)',
  description: 'Crawls a site you care about: broken links and who links to them, depth, internal PageRank, redirects, orphans, and the graph.',
  steps: [
    {
      id: 'start',
      title: 'Start URL',
      description: 'The page the crawl starts from; its host is the site.',
      fields: [
        {
          key: 'startUrl', kind: 'text', label: 'Start URL', required: true, maxLength: 2000, placeholder: 'https://example.com/',
          validate: (text) => { const r = parseStartUrl(text); return 'error' in r ? r.error : undefined; },
        },
      ],
      summary: ({ startUrl }) => { const r = parseStartUrl(String(startUrl)); return 'url' in r ? r.url : String(startUrl); },
    },
    {
      id: 'scope',
      title: 'Scope',
      description: 'What the crawl may fetch, and how politely.',
      fields: [
        { key: 'maxPages', kind: 'number', label: 'Maximum pages', required: true, integer: true, min: 1, max: 1_000_000, default: 500 },
        { key: 'maxDepth', kind: 'number', label: 'Maximum depth (clicks from the start)', required: true, integer: true, min: 0, max: 1000, default: 10 },
        {
          key: 'hosts', kind: 'select', label: 'Hosts', required: true, default: 'host',
          options: [{ value: 'host', label: 'The start URL’s host only' }, { value: 'subdomains', label: 'Its sub-domains too' }],
        },
        { key: 'include', kind: 'textarea', label: 'Only URLs matching (one regular expression a line)', help: `Empty: every URL of the site. ${PATTERN_HELP}`, validate: (t) => patternProblem(t) },
        { key: 'exclude', kind: 'textarea', label: 'Never URLs matching (one regular expression a line)', help: PATTERN_HELP, validate: (t) => patternProblem(t) },
        { key: 'robots', kind: 'checkbox', label: 'Obey robots.txt (and its Crawl-delay)', default: true },
        { key: 'sitemap', kind: 'checkbox', label: 'Read sitemap.xml (finds orphan pages)', default: true },
        { key: 'query', kind: 'select', label: 'Query strings', required: true, default: 'tracking', options: QUERY_MODES },
        { key: 'concurrency', kind: 'number', label: 'Requests at once', required: true, integer: true, min: 1, max: 32, default: 4 },
        { key: 'delayMs', kind: 'number', label: 'Politeness delay per host (ms)', required: true, integer: true, min: 0, max: 60_000, default: 0 },
        { key: 'userAgent', kind: 'text', label: 'User agent', required: true, maxLength: 300, default: DEFAULT_USER_AGENT, validate: (t) => userAgentProblem(t) },
        { key: 'timeoutS', kind: 'number', label: 'Request timeout (seconds)', required: true, min: 0.1, max: 300, default: 10 },
        { key: 'maxKb', kind: 'number', label: 'Largest page read (KB)', required: true, integer: true, min: 1, max: 512_000, default: 5120 },
      ],
    },
    {
      id: 'crawl',
      title: 'Crawl',
      description: 'Fetches the site in the server. Cancel stops it; a crawl cut off by a restart resumes where it was.',
      fields: [],
      results: {
        pages: 'Pages fetched', links: 'Links', brokenLinks: 'Broken links', redirects: 'Redirects', nonHtml: 'Non-HTML files',
        external: 'External links (URLs)', blocked: 'Blocked by robots.txt', failed: 'No answer', notCrawled: 'Left in the queue',
        orphans: 'Orphans (in the sitemap, not linked)', deepest: 'Deepest page (clicks)', deepestUrl: 'Deepest page',
        components: 'Connected parts', elapsedMs: 'Time taken (ms)', resumed: 'Resumed after an interruption',
        earlier: 'Earlier crawls of this site',
      },
      show: (values, files) => crawlResults(values, files),
      run: async (ctx) => {
        const options = crawlOptionsOf(ctx.params);
        const summary = await runCrawlJob(ctx, options);
        const earlier = await earlierCrawls(ctx.outputDir, options.start);
        return { ...summary, earlier: earlier.map((e) => ({ ...e })) };
      },
    },
    {
      id: 'compare',
      title: 'Compare (optional)',
      description: 'See what changed since an earlier crawl of the same site: pages added and removed, status and depth changes, new broken links.',
      fields: [
        {
          key: 'earlierSession', kind: 'text', label: 'Earlier crawl (session id)', maxLength: 21,
          help: 'Suggested: the latest earlier crawl of this site. Leave empty to skip.',
          default: ({ earlier }) => (Array.isArray(earlier) && earlier.length ? (earlier[0] as EarlierCrawl).session : ''),
          validate: (id, { earlier }) => {
            if (!id) return undefined;
            const known = Array.isArray(earlier) ? (earlier as EarlierCrawl[]).map((e) => e.session) : [];
            return known.includes(id) ? undefined : `No earlier finished crawl of this site has the id "${id}"${known.length ? ` (known: ${known.join(', ')})` : ''}.`;
          },
        },
      ],
      show: (values, files) => changeResults(values, files),
      results: { compared: 'Compared with', added: 'Pages added', removed: 'Pages removed', statusChanged: 'Status changes', depthChanged: 'Depth changes', newBroken: 'New broken links' },
      run: async ({ params, outputDir }): Promise<JobResult> => {
        const id = String(params.earlierSession ?? '');
        if (!id) return { compared: 'nothing (skipped)' };
        const dir = siblingFiles(outputDir, id);
        if (!dir) throw new Error(`"${id}" is not a session id.`);
        const changes = compareCrawls(await readCrawlFiles(dir), await readCrawlFiles(outputDir));
        await writeChanges(outputDir, changes);
        return {
          compared: id, added: changes.added.length, removed: changes.removed.length, statusChanged: changes.statusChanged.length,
          depthChanged: changes.depthChanged.length, newBroken: changes.newBroken.length,
        };
      },
    },
  ],
});

const PAGE_TABLE = [
  { key: 'url', label: 'URL' }, { key: 'status', label: 'Status' }, { key: 'depth', label: 'Depth' }, { key: 'title', label: 'Title' },
  { key: 'inlinks', label: 'Inlinks' }, { key: 'unique_inlinks', label: 'Unique inlinks' }, { key: 'outlinks', label: 'Outlinks' },
  { key: 'pagerank', label: 'PageRank' }, { key: 'canonical', label: 'Canonical' }, { key: 'redirect_to', label: 'Redirects to' },
];

/** What depths.csv counts, said where it is shown: every row of the Pages table, fetched or not. */
const DEPTHS_TITLE = 'Pages by depth (every URL in the Pages table: fetched, redirected, excluded or not reached)';

/** The crawl's done card: headline numbers, the graph, the tables and charts, the downloads (from its files). */
function crawlResults(v: Record<string, unknown>, files: SessionFiles): Output[] {
  const seconds = Math.round(Number(v.elapsedMs ?? 0) / 100) / 10;
  const out: Output[] = [
    stat([
      { label: 'pages', value: Number(v.pages ?? 0) }, { label: 'links', value: Number(v.links ?? 0) },
      { label: 'broken links', value: Number(v.brokenLinks ?? 0) }, { label: 'redirects', value: Number(v.redirects ?? 0) },
      { label: 'non-HTML', value: Number(v.nonHtml ?? 0) }, { label: 'external links', value: Number(v.external ?? 0) },
      { label: 'clicks to the deepest page fetched', value: Number(v.deepest ?? 0) }, { label: 'seconds', value: seconds },
    ]),
    stat([
      { label: 'orphans', value: Number(v.orphans ?? 0) }, { label: 'blocked by robots.txt', value: Number(v.blocked ?? 0) },
      { label: 'without an answer', value: Number(v.failed ?? 0) }, { label: 'left in the queue', value: Number(v.notCrawled ?? 0) },
      { label: 'connected parts', value: Number(v.components ?? 0) },
    ]),
  ];
  if (typeof v.deepestUrl === 'string' && v.deepestUrl) out.push(markdown(`Deepest page: <${v.deepestUrl}>`));
  if (v.resumed === true) out.push(markdown('Resumed after an interruption: pages fetched before it were kept, not fetched again.'));
  if (files.has('graph.json')) out.push(graph({ file: 'graph.json' }));
  const tables: [string, string, object?][] = [
    ['pages.csv', 'Pages', { columns: PAGE_TABLE }],
    ['broken-links.csv', 'Broken links and the pages linking to them'],
    ['redirects.csv', 'Redirect chains'],
    ['orphans.csv', 'Orphans: in the sitemap, linked from no page'],
    ['depths.csv', DEPTHS_TITLE],
  ];
  for (const [file, title, options] of tables) if (files.has(file)) out.push(table({ file }, { title, ...options }));
  if (files.has('depths.csv')) out.push(chart({ type: 'bar', file: 'depths.csv', x: 'depth', y: 'pages', title: DEPTHS_TITLE }));
  if (files.has('status-codes.csv')) out.push(chart({ type: 'bar', file: 'status-codes.csv', x: 'status', y: 'pages', title: 'Status codes' }));
  const earlier = Array.isArray(v.earlier) ? (v.earlier as EarlierCrawl[]) : [];
  if (earlier.length)
    out.push(table(earlier.map((e) => ({ session: e.session, finished: e.finishedAt, pages: e.pages, start: e.start })), { title: 'Earlier crawls of this site (to compare with in the next step)' }));
  const downloads = [...REPORT_FILES, DATABASE].filter((f) => files.has(f));
  if (downloads.length) out.push(download(downloads));
  return out;
}

/** The comparison's done card: what changed, or that it was skipped. */
function changeResults(v: Record<string, unknown>, files: SessionFiles): Output[] {
  if (typeof v.added !== 'number') return [markdown('No earlier crawl was compared.')];
  const out: Output[] = [
    stat([
      { label: 'pages added', value: Number(v.added) }, { label: 'removed', value: Number(v.removed) },
      { label: 'status changes', value: Number(v.statusChanged) }, { label: 'depth changes', value: Number(v.depthChanged) },
      { label: 'new broken links', value: Number(v.newBroken) },
    ]),
  ];
  if (files.has(CHANGE_FILES[0])) out.push(table({ file: CHANGE_FILES[0] }, { title: `Changed pages since ${String(v.compared)}` }));
  if (files.has(CHANGE_FILES[1])) out.push(table({ file: CHANGE_FILES[1] }, { title: 'New broken links' }));
  return out;
}
