// A real crawl of the fixture site (test/fixtures/site/known-site.ts) on 127.0.0.1: every report file must say
// exactly what that site is known to contain. S is the site's origin, E the second (external) server's.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { before, after, test } from 'node:test';
import { CRAWL_DELAY_S, startKnownSite, type KnownSite } from '../fixtures/site/known-site.ts';
import type { GraphJson } from '../../workflows/lib/crawl/graph-json.ts';
import { csvRows, jobContext, runCrawlJob, table, testOptions } from './support.ts';

let known: KnownSite;
let dir: string;
let summary: Awaited<ReturnType<typeof runCrawlJob>>;
let origins: Record<string, string>;

before(async () => {
  known = await startKnownSite();
  origins = { S: known.site.origin, E: known.external.origin };
  dir = await mkdtemp(join(tmpdir(), 'cardtrail-crawl-'));
});
after(async () => {
  await known.close();
  await rm(dir, { recursive: true, force: true });
});

test('crawling the fixture site', async () => {
  summary = await runCrawlJob(jobContext(dir).ctx, testOptions(`${known.site.origin}/`));
});

test('pages.csv: every URL of the site with its status, depth, title, link counts, canonical and redirect', async () => {
  const columns = ['url', 'status', 'depth', 'title', 'inlinks', 'unique_inlinks', 'outlinks', 'external_outlinks', 'canonical', 'redirect_to', 'content_type', 'in_sitemap', 'meta_robots', 'retries', 'note'];
  const H = 'text/html; charset=utf-8';
  assert.deepEqual(table(await csvRows(dir, 'pages.csv'), columns, origins), [
    `S/ | 200 | 0 | Home | 9 | 9 | 21 | 1 |  |  | ${H} | true |  | 0 | `,
    `S/about.html | 200 | 1 | About us | 3 | 2 | 3 | 0 |  |  | ${H} | true |  | 0 | `,
    `S/blog/ | 200 | 1 | Blog | 2 | 2 | 3 | 0 |  |  | ${H} | false |  | 0 | `,
    `S/blog/post-1.html | 200 | 2 | First post | 2 | 2 | 2 | 0 |  |  | ${H} | false |  | 0 | `,
    `S/blog/posts/one.html | 200 | 2 | Post one | 2 | 2 | 2 | 0 | S/blog/post-1.html |  | ${H} | false |  | 0 | `,
    `S/broken-markup.html | 200 | 1 | Broken <b>markup | 1 | 1 | 3 | 0 |  |  | ${H} | false |  | 0 | `,
    `S/chain-1 | 302 | 1 |  | 1 | 1 | 0 | 0 |  | S/chain-2 | ${H} | false |  | 0 | `,
    `S/chain-2 | 301 | 1 |  | 0 | 0 | 0 | 0 |  | S/final.html | ${H} | false |  | 0 | `,
    `S/contact-only.html | nofollow |  |  | 1 | 1 | 0 | 0 |  |  |  | false |  |  | `,
    `S/contact.html | 200 | 1 | Contact | 1 | 1 | 2 | 0 |  |  | ${H} | false | noindex, nofollow | 0 | `,
    `S/deep/1.html | 200 | 3 | Deep 1 | 1 | 1 | 1 | 0 |  |  | ${H} | false |  | 0 | `,
    `S/deep/2.html | 200 | 4 | Deep 2 | 1 | 1 | 1 | 0 |  |  | ${H} | false |  | 0 | `,
    `S/deep/3.html | too-deep | 5 |  | 1 | 1 | 0 | 0 |  |  |  | false |  |  | `,
    `S/files/report.pdf | 200 | 1 |  | 1 | 1 | 0 | 0 |  |  | application/pdf | false |  | 0 | `,
    `S/final.html | 200 | 1 | Final | 1 | 1 | 1 | 0 |  |  | ${H} | false |  | 0 | `,
    `S/gateaux.html | 200 | 2 | Gâteaux | 2 | 2 | 1 | 0 |  |  | ${H} | false |  | 0 | `,
    `S/huge.html | 200 | 1 |  | 1 | 1 | 0 | 0 |  |  | ${H} | false |  | 0 | larger than 64 KB: not parsed`,
    `S/huge-stream.html | 200 | 1 |  | 1 | 1 | 0 | 0 |  |  | ${H} | false |  | 0 | larger than 64 KB: not parsed`,
    `S/latin.html | 200 | 1 | Café crème | 2 | 2 | 1 | 0 |  |  | text/html; charset=ISO-8859-1 | false |  | 0 | `,
    `S/loop-a | 301 | 1 |  | 1 | 1 | 0 | 0 |  | S/loop-b | ${H} | false |  | 0 | `,
    `S/loop-b | 301 | 1 |  | 0 | 0 | 0 | 0 |  | S/loop-a | ${H} | false |  | 0 | `,
    `S/to-partner | 302 | 1 |  | 1 | 1 | 0 | 0 |  | E/partner.html | ${H} | false |  | 0 | `,
    `S/missing.html | 404 | 1 |  | 2 | 2 | 0 | 0 |  |  | ${H} | false |  | 0 | `,
    `S/old.html | 301 | 1 |  | 1 | 1 | 0 | 0 |  | S/about.html | ${H} | false |  | 0 | `,
    `S/orphan.html | 200 |  | Orphan | 0 | 0 | 1 | 0 |  |  | ${H} | true |  | 0 | `,
    `S/private/secret.html | blocked | 1 |  | 1 | 1 | 0 | 0 |  |  |  | false |  |  | disallowed by robots.txt`,
    `S/products.html | 200 | 1 | Products | 2 | 1 | 2 | 0 |  |  | ${H} | false |  | 0 | `,
    `S/products.html?color=red | 200 | 1 | Products | 3 | 3 | 2 | 0 |  |  | ${H} | false |  | 0 | `,
    `S/slow.html | failed: timed out after 2 s | 1 |  | 1 | 1 | 0 | 0 |  |  |  | false |  | 0 | timed out after 2 s`,
    `S/sponsor.html | nofollow |  |  | 1 | 1 | 0 | 0 |  |  |  | false |  |  | `,
    `S/busy.html | 200 | 1 | Busy | 1 | 1 | 1 | 0 |  |  | ${H} | false |  | 1 | `,
  ].sort());
});

test('links.csv: every link with its anchor text, nofollow and the status of its target', async () => {
  assert.deepEqual(table(await csvRows(dir, 'links.csv'), ['source', 'target', 'anchor', 'nofollow', 'target_status'], origins), [
    'S/ | S/about.html | About | false | 200',
    'S/ | S/about.html | The team | false | 200',
    'S/ | S/blog/ | Blog | false | 200',
    'S/ | S/contact.html | Contact | false | 200',
    'S/ | S/products.html | Products | false | 200',
    'S/ | S/missing.html | A missing page | false | 404',
    'S/ | S/old.html | Old address | false | 301',
    'S/ | S/chain-1 | Chained | false | 302',
    'S/ | S/private/secret.html | Secret | false | blocked',
    'S/ | S/sponsor.html | Sponsor | true | nofollow',
    'S/ | S/products.html | Products from the newsletter | false | 200',
    'S/ | S/products.html?color=red | Red products | false | 200',
    'S/ | S/files/report.pdf | Report (PDF) | false | 200',
    'S/ | S/slow.html | Slow page | false | failed: timed out after 2 s',
    'S/ | S/huge.html | Huge page | false | 200',
    'S/ | S/huge-stream.html | Huge page, streamed | false | 200',
    'S/ | S/broken-markup.html | Broken markup | false | 200',
    'S/ | S/latin.html | Latin-1 page | false | 200',
    'S/ | S/busy.html | Busy page | false | 200',
    'S/ | E/partner.html | Our partner | false | external',
    'S/ | S/loop-a | Loop | false | 301',
    'S/ | S/to-partner | Partner, redirected | false | 302',
    'S/about.html | S/ | Home | false | 200',
    'S/about.html | S/blog/post-1.html | First post | false | 200',
    'S/about.html | S/missing.html | Still missing | false | 404',
    'S/orphan.html | S/ | Home | false | 200',
    'S/blog/ | S/blog/posts/one.html | Post one | false | 200',
    'S/blog/ | S/blog/ | Back to the blog | false | 200',
    'S/blog/ | S/ | Home | false | 200',
    'S/contact.html | S/ | Home | true | 200',
    'S/contact.html | S/contact-only.html | Only from contact | true | nofollow',
    'S/products.html | S/ | Home | false | 200',
    'S/products.html | S/products.html?color=red | Red | false | 200',
    'S/products.html?color=red | S/ | Home | false | 200',
    'S/products.html?color=red | S/products.html?color=red | Red | false | 200',
    'S/broken-markup.html | S/final.html | Final page | false | 200',
    'S/broken-markup.html | S/about.html | About, unquoted | false | 200',
    'S/broken-markup.html | S/gateaux.html | Cakes | false | 200',
    'S/latin.html | S/gateaux.html | Gâteaux | false | 200',
    'S/busy.html | S/ | Home | false | 200',
    'S/blog/post-1.html | S/blog/posts/one.html | Post one | false | 200',
    'S/blog/post-1.html | S/deep/1.html | Deeper | false | 200',
    'S/blog/posts/one.html | S/ | Home | false | 200',
    'S/blog/posts/one.html | S/blog/post-1.html | The same post | false | 200',
    'S/final.html | S/ | Home | false | 200',
    'S/gateaux.html | S/latin.html | Café | false | 200',
    'S/deep/1.html | S/deep/2.html | Deeper still | false | 200',
    'S/deep/2.html | S/deep/3.html | Too deep | false | too-deep',
  ].sort());
});

test('broken links with the pages that link to them and their anchors; redirect chains; orphans; depths; statuses', async () => {
  assert.deepEqual(table(await csvRows(dir, 'broken-links.csv'), ['target', 'target_status', 'source', 'anchor', 'nofollow'], origins), [
    'S/missing.html | 404 | S/ | A missing page | false',
    'S/missing.html | 404 | S/about.html | Still missing | false',
    'S/slow.html | failed: timed out after 2 s | S/ | Slow page | false',
  ]);
  assert.deepEqual(table(await csvRows(dir, 'redirects.csv'), ['url', 'hops', 'chain', 'final_url', 'final_status', 'loop'], origins), [
    'S/chain-1 | 2 | S/chain-1 -> S/chain-2 -> S/final.html | S/final.html | 200 | false',
    'S/loop-a | 2 | S/loop-a -> S/loop-b -> S/loop-a | S/loop-a | loop | true',
    'S/old.html | 1 | S/old.html -> S/about.html | S/about.html | 200 | false',
    'S/to-partner | 1 | S/to-partner -> E/partner.html | E/partner.html | external | false',
  ]);
  assert.deepEqual(table(await csvRows(dir, 'orphans.csv'), ['url', 'status', 'title'], origins), ['S/orphan.html | 200 | Orphan']);
  assert.deepEqual(table(await csvRows(dir, 'depths.csv'), ['depth', 'pages'], origins), ['0 | 1', '1 | 21', '2 | 3', '3 | 1', '4 | 1', '5 | 1', 'unreachable | 3']);
  assert.deepEqual(table(await csvRows(dir, 'status-codes.csv'), ['status', 'pages'], origins), ['200 | 19', '301 | 4', '302 | 2', '404 | 1', 'failed: timed out after 2 s | 1'].sort());
});

test('depths.csv counts exactly the rows pages.csv lists at each depth: redirect targets, loops, 404s and all', async () => {
  const pages = await csvRows(dir, 'pages.csv');
  const listed = new Map<string, number>();
  for (const p of pages) listed.set(p.depth || 'unreachable', (listed.get(p.depth || 'unreachable') ?? 0) + 1);
  const counted = new Map((await csvRows(dir, 'depths.csv')).map((r) => [r.depth, Number(r.pages)]));
  assert.deepEqual(counted, listed);
  const row = (path: string) => pages.find((p) => p.url === `${known.site.origin}${path}`);
  assert.deepEqual([row('/loop-b')?.status, row('/about.html')?.status, row('/missing.html')?.status], ['301', '200', '404'], 'the site has a loop, a redirect target and a 404');
});

test('the headline numbers', () => {
  const { elapsedMs, start, deepestUrl, ...numbers } = summary;
  assert.equal(start, `${known.site.origin}/`);
  assert.equal(deepestUrl, `${known.site.origin}/deep/2.html`);
  assert.ok(elapsedMs > 0);
  assert.deepEqual(numbers, {
    pages: 27, links: 48, brokenLinks: 3, redirects: 6, nonHtml: 1, external: 1, blocked: 1, failed: 1, notCrawled: 0,
    orphans: 1, deepest: 4, components: 3, resumed: false,
  });
});

test('PageRank: the home page ranks first, ranks sum to one, a page no followed link reaches ranks least', async () => {
  const rows = await csvRows(dir, 'pages.csv');
  const rank = new Map(rows.map((r) => [r.url!.replace(known.site.origin, 'S'), Number(r.pagerank)]));
  const ranks = [...rank.values()];
  assert.ok(Math.abs(ranks.reduce((a, b) => a + b, 0) - 1) < 1e-3, 'ranks sum to 1');
  assert.equal(Math.max(...ranks), rank.get('S/'));
  assert.equal(Math.min(...ranks), rank.get('S/sponsor.html'));
});

test('what was requested: each page once (a 503 twice), never robots-disallowed, nofollow, too-deep or external URLs', () => {
  const paths = known.site.requests.map((r) => r.path);
  const counts = Object.fromEntries([...new Set(paths)].map((p) => [p, paths.filter((q) => q === p).length]));
  assert.deepEqual(counts, {
    '/robots.txt': 1, '/sitemap.xml': 1, '/': 1, '/about.html': 1, '/orphan.html': 1, '/blog/': 1, '/contact.html': 1,
    '/products.html': 1, '/missing.html': 1, '/old.html': 1, '/chain-1': 1, '/chain-2': 1, '/final.html': 1,
    '/products.html?color=red': 1, '/files/report.pdf': 1, '/slow.html': 1, '/huge.html': 1, '/huge-stream.html': 1, '/broken-markup.html': 1,
    '/latin.html': 1, '/busy.html': 2, '/blog/post-1.html': 1, '/blog/posts/one.html': 1, '/gateaux.html': 1,
    '/deep/1.html': 1, '/deep/2.html': 1, '/loop-a': 1, '/loop-b': 1, '/to-partner': 1,
  });
  assert.equal(known.external.requests.length, 0, 'the external server is never asked');
  assert.ok(known.site.requests.every((r) => r.ua === 'CardtrailTest/1'), 'every request carries the user agent');
});

test('robots.txt Crawl-delay spaces the requests to the host', () => {
  const pages = known.site.requests.filter((r) => r.path !== '/robots.txt' && r.path !== '/sitemap.xml');
  // Slots are given out at the client; arrival times jitter (a first request still opening its connection may
  // arrive late), so the whole span is checked, allowing one gap. Ignoring the delay at concurrency 4, these
  // requests would arrive within a few milliseconds of each other.
  const span = pages.at(-1)!.at - pages[0]!.at;
  const least = (pages.length - 2) * CRAWL_DELAY_S * 1000;
  assert.ok(span >= least, `${pages.length} requests over ${span.toFixed(0)} ms, at least ${least} ms expected`);
});

test('graph.json: the nodes and links the graph widget draws', async () => {
  const graph = JSON.parse(await readFile(join(dir, 'graph.json'), 'utf8')) as GraphJson;
  assert.equal(graph.nodes.length, 31, 'every URL of the site, none external');
  assert.equal(graph.reduced, undefined);
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const home = graph.nodes.find((n) => n.url === `${known.site.origin}/`)!;
  assert.deepEqual({ depth: home.depth, status: home.status, folder: home.folder, inlinks: home.inlinks, outlinks: home.outlinks }, { depth: 0, status: '200', folder: '/', inlinks: 9, outlinks: 21 });
  assert.equal(graph.nodes.find((n) => n.url.endsWith('/blog/post-1.html'))!.folder, '/blog/');
  const edges = graph.links.map((l) => `${byId.get(l.source)!.url} > ${byId.get(l.target)!.url}`.replaceAll(known.site.origin, 'S'));
  assert.ok(edges.includes('S/old.html > S/about.html'), 'redirects are edges');
  assert.ok(edges.includes('S/ > S/sponsor.html'), 'nofollow links are drawn too');
  assert.equal(new Set(edges).size, edges.length, 'each pair once');
  const graphml = await readFile(join(dir, 'graph.graphml'), 'utf8');
  assert.equal(graphml.match(/<node /g)?.length, 31);
  assert.equal(graphml.match(/<edge /g)?.length, graph.links.length);
});
