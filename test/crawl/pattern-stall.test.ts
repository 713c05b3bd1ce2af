// A crawl's include/exclude patterns run on the server's one thread: a pattern that backtracks without end (here
// `(a+)+$` against a link of many a's and a `!`) must not stop `cardtrail serve` from answering while the crawl
// runs. The site keeps the crawl going by answering one page slowly; the home page must answer before the crawl
// ends, and the pattern must still have ruled the link out.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { LogEvent } from '../../app/log/events.ts';
import { until } from '../fixtures/jobs/wait.ts';
import { serve } from '../fixtures/site/server.ts';
import { tempDir } from '../support/app.ts';
import { killAllServers, startServer } from '../support/server-process.ts';
import { csvRows } from './support.ts';

after(killAllServers);

/** A link a backtracking `(a+)+$` would take longer than the universe's age to refuse; in linear time, microseconds. */
const BAIT = `/${'a'.repeat(60)}!`;

test('a catastrophic exclude pattern does not stall the server while the crawl runs', { timeout: 60_000 }, async (t) => {
  let baited!: () => void;
  const baitServed = new Promise<void>((ok) => (baited = ok));
  const site = await serve((path) => {
    if (path === '/') return { body: '<!doctype html><title>Home</title><a href="/bait">Bait</a> <a href="/held">Held</a>' };
    if (path === '/bait') return (baited(), { body: `<!doctype html><title>Bait</title><a href="${BAIT}">a</a> <a href="/aaa">b</a>` });
    if (path === '/held') return { body: '<!doctype html><title>Held</title>', delayMs: 3_000 };
    return undefined;
  });
  const { dir, cleanup } = await tempDir('cardtrail-pattern-stall-');
  const server = await startServer({ dataDir: dir });
  t.after(async () => {
    await server.stop();
    await site.close();
    await cleanup();
  });
  const post = async (path: string, form: Record<string, string>) => {
    const res = await fetch(`${server.url}${path}`, { method: 'POST', body: new URLSearchParams(form), headers: { origin: server.url, 'hx-request': 'true' }, redirect: 'manual' });
    return { res, html: await res.text() };
  };
  const started = await post('/start/link-graph', {});
  const id = started.res.headers.get('location')?.match(/^\/s\/([A-Za-z0-9_-]{21})$/)?.[1];
  assert.ok(id, `a session starts: ${started.res.status}`);
  assert.equal((await post(`/s/${id}/steps/start`, { startUrl: `${site.origin}/` })).res.status, 200);
  const form = {
    maxPages: '20', maxDepth: '3', hosts: 'host', include: '', exclude: '(a+)+$', robots: 'on', sitemap: 'on', query: 'tracking',
    concurrency: '2', delayMs: '0', userAgent: 'CardtrailTest/1', timeoutS: '60', maxKb: '64',
  };
  const refused = await post(`/s/${id}/steps/scope`, { ...form, exclude: '/tmp/\n(a)\\1' });
  assert.match(refused.html, /Pattern 2 \(&quot;\(a\)\\1&quot;\) cannot be matched in time proportional to the URL&#39;s length/, 'a pattern only backtracking can run is refused, named');
  const scope = await post(`/s/${id}/steps/scope`, form);
  assert.equal(scope.res.status, 200);
  assert.doesNotMatch(scope.html, /Pattern 1/, 'the pattern is one the server can run safely');
  assert.equal((await post(`/s/${id}/steps/crawl`, {})).res.status, 200);

  await baitServed;
  // The crawler now reads /bait and asks the pattern about its link, while /held keeps the crawl from ending.
  const home = await fetch(`${server.url}/`);
  assert.equal(home.status, 200, 'the home page answers while the crawl runs');
  assert.match(await home.text(), /Link graph/);
  const events = async () => (await readFile(join(dir, 'sessions', id, 'log.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as LogEvent);
  assert.ok(!(await events()).some((e) => e.type === 'job.finished' || e.type === 'job.failed'), 'the crawl was still running');
  await until('the crawl to finish', async () => (await events()).some((e) => e.type === 'job.finished'), 30_000);
  const status = new Map((await csvRows(join(dir, 'sessions', id, 'files'), 'pages.csv')).map((r) => [r.url.slice(site.origin.length), r.status]));
  assert.equal(status.get(BAIT), '404', 'the link the pattern does not match is fetched');
  assert.equal(status.get('/aaa'), 'excluded', 'the one it matches is ruled out');
});
