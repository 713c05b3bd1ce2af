// What the crawl says while it waits and when a server drops the connection, against a real site on 127.0.0.1:
// a robots.txt Crawl-delay is named in the progress line, whose elapsed time keeps moving during the wait, and a
// connection closed without an answer is recorded in plain words, not as undici's error code; the pages waiting
// for their delay are counted as queued in the line that says so.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { csvRows, filesDir, jobContext, runCrawlJob, testOptions } from './support.ts';
import { serve } from '../fixtures/site/server.ts';

const DELAY_S = 2;

test('a Crawl-delay wait is said in the progress line, which keeps ticking; a dropped connection is said plainly', async (t) => {
  const server = createServer((req, res) => {
    if (req.url === '/reset') return void req.socket.destroy();
    if (req.url === '/robots.txt') return void res.writeHead(200, { 'content-type': 'text/plain' }).end(`User-agent: *\nCrawl-delay: ${DELAY_S}\n`);
    if (req.url === '/') return void res.writeHead(200, { 'content-type': 'text/html' }).end('<title>Home</title><a href="/a">A</a> <a href="/reset">Reset</a>');
    if (req.url === '/a') return void res.writeHead(200, { 'content-type': 'text/html' }).end('<title>A</title><a href="/">Home</a>');
    res.writeHead(404).end();
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  t.after(() => new Promise<void>((ok) => (server.closeAllConnections(), server.close(() => ok()))));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const dir = await filesDir(t);
  const { ctx, progress } = jobContext(dir);
  await runCrawlJob(ctx, testOptions(`${origin}/`, { sitemap: false }));

  const lines = progress.map((p) => p.message ?? '');
  const waiting = lines.filter((l) => l.includes(`waiting ${DELAY_S} s between requests, as robots.txt asks: next request in`));
  assert.ok(waiting.length, lines.join('\n'));
  assert.ok(waiting.every((l) => !l.includes(' · now ')), 'no URL is said to be fetched while nothing is');
  const elapsed = new Set(waiting.map((l) => /· (\d+:\d\d) elapsed/.exec(l)?.[1]));
  assert.ok(elapsed.size >= 2, `the elapsed time moves during the wait: ${[...elapsed].join(', ')}`);

  const rows = Object.fromEntries((await csvRows(dir, 'pages.csv')).map((r) => [r.url.replace(origin, ''), r.status]));
  assert.deepEqual(rows, { '/': '200', '/a': '200', '/reset': 'failed: the connection was closed by the server' });
});

test('pages waiting for their Crawl-delay are counted as queued in the progress line and its total', async (t) => {
  const pages = ['/a', '/b', '/c'];
  const site = await serve((path) => {
    if (path === '/robots.txt') return { type: 'text/plain', body: 'User-agent: *\nCrawl-delay: 1\n' };
    if (path === '/') return { body: `<title>Home</title>${pages.map((p) => `<a href="${p}">${p}</a>`).join(' ')}` };
    return pages.includes(path) ? { body: '<title>Leaf</title><a href="/">Home</a>' } : undefined;
  });
  t.after(() => site.close());

  const dir = await filesDir(t);
  const { ctx, progress } = jobContext(dir);
  await runCrawlJob(ctx, testOptions(`${site.origin}/`, { sitemap: false }));

  const all = 1 + pages.length;
  const waits = progress.filter((p) => p.message?.includes('as robots.txt asks'));
  assert.ok(waits.length, progress.map((p) => p.message).join('\n'));
  for (const p of waits) {
    const [, fetched, queued, failed] = /Fetched (\d+) · queued (\d+) · failed (\d+)/.exec(p.message!)!.map(Number);
    assert.equal(fetched + queued + failed, all, `every page not yet fetched is queued: ${p.message}`);
    assert.equal(p.total, all, `the total counts the waiting pages: ${p.message}`);
  }
});
