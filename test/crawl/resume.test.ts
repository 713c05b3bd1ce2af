// Interrupting a crawl and carrying it on: the SQLite frontier is the checkpoint, so a resumed crawl fetches only
// what it had not (plus the pages in flight when it stopped), and ends with the same results as an uninterrupted
// one. Cancel stops in-flight requests at once.
import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import type { GraphJson } from '../../workflows/lib/crawl/graph-json.ts';
import { measure } from '../../workflows/lib/crawl/metrics.ts';
import { writeReports } from '../../workflows/lib/crawl/reports.ts';
import { CrawlStore } from '../../workflows/lib/crawl/store.ts';
import { serveGenerated } from '../fixtures/site/generated-site.ts';
import { csvRows, filesDir, jobContext, runCrawlJob, table, testOptions } from './support.ts';

/** The generated sites answer at once; a generous timeout keeps a busy machine from failing their pages. */
const PATIENT = { ...testOptions('').fetch, timeoutMs: 30_000 };

const PAGES = 300;
const COLUMNS = ['url', 'status', 'depth', 'title', 'inlinks', 'unique_inlinks', 'outlinks', 'pagerank'];

test('a crawl cut off after 60 pages resumes from its database: nothing fetched twice but what was in flight', async (t) => {
  const site = await serveGenerated(PAGES);
  t.after(() => site.close());
  const options = testOptions(`${site.origin}/`, { maxPages: 1000, maxDepth: 100, robots: false, sitemap: false, fetch: PATIENT });

  const dir = await filesDir(t);
  const stop = new AbortController();
  const first = jobContext(dir, stop.signal);
  first.ctx.progress = (done) => {
    if (done >= 60) stop.abort(new Error('server stopping'));
  };
  await assert.rejects(runCrawlJob(first.ctx, options), /server stopping/);
  const before = site.requests.length;
  assert.ok(before >= 60 && before < PAGES, `${before} requests before the stop`);

  const second = jobContext(dir, new AbortController().signal, first.saved.at(-1));
  const summary = await runCrawlJob(second.ctx, options);
  assert.equal(summary.resumed, true);
  assert.equal(summary.pages, PAGES + 1, 'every page and the redirecting home page');

  const counts = new Map<string, number>();
  for (const r of site.requests) counts.set(r.path, (counts.get(r.path) ?? 0) + 1);
  assert.equal(counts.size, PAGES + 1, 'every URL was requested');
  const twice = [...counts].filter(([, n]) => n > 1);
  assert.ok(twice.length <= options.concurrency, `at most the ${options.concurrency} in flight fetched again, got ${twice.length}`);
  assert.ok(twice.every(([, n]) => n === 2));

  const whole = await filesDir(t);
  const again = await serveGenerated(PAGES);
  t.after(() => again.close());
  await runCrawlJob(jobContext(whole).ctx, { ...options, start: `${again.origin}/` });
  assert.deepEqual(
    table(await csvRows(dir, 'pages.csv'), COLUMNS, { S: site.origin }),
    table(await csvRows(whole, 'pages.csv'), COLUMNS, { S: again.origin }),
    'the resumed crawl ends with what an uninterrupted one finds',
  );
  // Cut down to 50 nodes, graph.json keeps the top pages by PageRank and their neighbours.
  const store = new CrawlStore(join(dir, 'crawl.sqlite'));
  t.after(() => store.close());
  const small = await filesDir(t);
  await writeReports(store, measure(store), small, 50);
  const graph = JSON.parse(await readFile(join(small, 'graph.json'), 'utf8')) as GraphJson;
  assert.deepEqual(graph.reduced, { shown: 50, total: PAGES + 1, totalLinks: graph.reduced!.totalLinks });
  assert.equal(graph.nodes.length, 50);
  const top = (await csvRows(dir, 'pages.csv')).sort((a, b) => Number(b.pagerank) - Number(a.pagerank))[0]!;
  assert.ok(graph.nodes.some((n) => n.url === top.url), 'the top page by PageRank is kept');
  const ids = new Set(graph.nodes.map((n) => n.id));
  assert.ok(graph.links.length > 0 && graph.links.every((l) => ids.has(l.source) && ids.has(l.target)), 'links only among kept nodes');
  assert.deepEqual(
    table(await csvRows(dir, 'links.csv'), ['source', 'target', 'anchor', 'target_status'], { S: site.origin }),
    table(await csvRows(whole, 'links.csv'), ['source', 'target', 'anchor', 'target_status'], { S: again.origin }),
  );
});

test('a run without the checkpoint (first run, or Retry after Cancel) starts afresh instead of resuming', async (t) => {
  const site = await serveGenerated(20);
  t.after(() => site.close());
  const options = testOptions(`${site.origin}/`, { robots: false, sitemap: false, maxDepth: 100, fetch: PATIENT });
  const dir = await filesDir(t);
  const one = await runCrawlJob(jobContext(dir).ctx, options);
  const two = await runCrawlJob(jobContext(dir).ctx, options);
  assert.equal(two.resumed, false);
  assert.equal(two.pages, one.pages);
  assert.equal(site.hits('/p/0.html'), 2, 'fetched again from the start');
});

test('a damaged crawl database is replaced, and the crawl starts afresh instead of failing on every retry', async (t) => {
  const site = await serveGenerated(10);
  t.after(() => site.close());
  const dir = await filesDir(t);
  await writeFile(join(dir, 'crawl.sqlite'), 'this is not a database, it only has the name of one');
  const { ctx } = jobContext(dir, new AbortController().signal, { crawl: 'forged', database: 'crawl.sqlite' });
  const lines: string[] = [];
  ctx.log = (m) => lines.push(m);
  const summary = await runCrawlJob(ctx, testOptions(`${site.origin}/`, { robots: false, sitemap: false, fetch: PATIENT }));
  assert.equal(summary.resumed, false);
  assert.equal(summary.pages, 11);
  assert.match(lines[0] ?? '', /^crawl.sqlite could not be read \(file is not a database\); the crawl starts afresh$/);
});

test('a site that cannot be reached fails the job with the reason, and leaves nothing to resume', async (t) => {
  const site = await serveGenerated(1);
  const origin = site.origin;
  await site.close();
  const dir = await filesDir(t);
  const { ctx } = jobContext(dir);
  await assert.rejects(runCrawlJob(ctx, testOptions(`${origin}/`, { robots: false, sitemap: false })), new RegExp(`^Error: The start page ${origin}/ could not be fetched: the connection was refused\\.$`));
  await assert.rejects(runCrawlJob(ctx, testOptions(`${origin}/`, { sitemap: false })), /may not be fetched: robots.txt could not be read \(the connection was refused\)/);
  assert.deepEqual((await readdir(dir)).filter((f) => f.startsWith('crawl.sqlite')), [], 'the database is gone');
});

test('cancel stops a crawl while its requests are still waiting for answers', async (t) => {
  const site = await serveGenerated(50, 20_000);
  t.after(() => site.close());
  const dir = await filesDir(t);
  const cancel = new AbortController();
  const started = performance.now();
  const run = runCrawlJob(jobContext(dir, cancel.signal).ctx, testOptions(`${site.origin}/`, { robots: false, sitemap: false, fetch: { ...PATIENT, timeoutMs: 60_000 } }));
  while (site.hits('/p/0.html') === 0) await new Promise((r) => setTimeout(r, 10));
  cancel.abort(new Error('cancelled'));
  await assert.rejects(run, /cancelled/);
  const took = performance.now() - started;
  // The page answers after 20 s: ending before that means the request itself was aborted.
  assert.ok(took < 20_000, `ended after ${took.toFixed(0)} ms`);
  t.diagnostic(`cancel took effect ${took.toFixed(0)} ms after the start`);
});
