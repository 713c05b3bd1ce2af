// The link-graph workflow end to end in-process: the real engine, job runner, logs and catalog on disk, every
// step posted through app.request(), a real crawl of the fixture site; then a second crawl compared with the first.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import type { LogEvent } from '../../app/log/events.ts';
import { until } from '../fixtures/jobs/wait.ts';
import { startKnownSite } from '../fixtures/site/known-site.ts';
import { tempDir, testApp } from '../support/app.ts';
import { csvRows } from './support.ts';

type App = Awaited<ReturnType<typeof testApp>>;

/** The real app on a fresh data folder, closed and removed after the test. */
async function boot(t: TestContext): Promise<{ app: App; dir: string }> {
  const { dir, cleanup } = await tempDir('cardtrail-link-graph-');
  const app = await testApp({ dataDir: dir });
  t.after(async () => {
    app.close();
    await cleanup();
  });
  return { app, dir };
}

async function post(app: App, path: string, form: Record<string, string>) {
  const res = await app.app.request(path, { method: 'POST', body: new URLSearchParams(form), headers: { 'hx-request': 'true' } });
  return { status: res.status, html: await res.text() };
}

async function start(app: App): Promise<string> {
  const res = await app.app.request('/start/link-graph', { method: 'POST' });
  const id = res.headers.get('location')?.match(/^\/s\/([A-Za-z0-9_-]{21})$/)?.[1];
  assert.ok(id, 'a session starts');
  return id;
}

async function logOf(dir: string, id: string): Promise<LogEvent[]> {
  const text = await readFile(join(dir, 'sessions', id, 'log.jsonl'), 'utf8');
  return text.trim().split('\n').map((l) => JSON.parse(l) as LogEvent);
}

const SCOPE = { maxPages: '100', maxDepth: '4', hosts: 'host', include: '', exclude: '', robots: 'on', sitemap: 'on', query: 'tracking', concurrency: '4', delayMs: '0', userAgent: 'CardtrailTest/1', timeoutS: '2', maxKb: '64' };

/** Runs a session up to its finished crawl; returns the id and the crawl's recorded values. */
async function crawlSession(app: App, dir: string, url: string): Promise<{ id: string; values: Record<string, unknown> }> {
  const id = await start(app);
  assert.equal((await post(app, `/s/${id}/steps/start`, { startUrl: url })).status, 200);
  assert.equal((await post(app, `/s/${id}/steps/scope`, SCOPE)).status, 200);
  assert.equal((await post(app, `/s/${id}/steps/crawl`, {})).status, 200);
  const log = await until('the crawl to finish', async () => {
    const events = await logOf(dir, id);
    return events.some((e) => e.type === 'job.finished' || e.type === 'job.failed') ? events : undefined;
  }, 30_000);
  assert.ok(!log.some((e) => e.type === 'job.failed'), `the crawl did not fail: ${JSON.stringify(log.find((e) => e.type === 'job.failed'))}`);
  const values = Object.fromEntries(log.filter((e) => e.type === 'param.set' && 'step' in e && e.step === 'crawl').map((e) => [(e as { key: string }).key, (e as { value: unknown }).value]));
  await until('the runner to let go of the crawl', () => app.engine.jobs.snapshot(id, 'crawl') === undefined);
  return { id, values };
}

test('bad start URLs and scope values are refused with a message, nothing recorded', async (t) => {
  const { app } = await boot(t);
  const id = await start(app);
  const bad = await post(app, `/s/${id}/steps/start`, { startUrl: 'ftp://example.com/' });
  assert.match(bad.html, /Only http and https addresses can be crawled/);
  for (const [startUrl, reason] of [['http://[::1]:0', /it has port 0/], ['http://a..b/', /it has an empty label in its host name/], ['http://-x-.com/', /starts or ends with &quot;-&quot;/]] as const) {
    const odd = await post(app, `/s/${id}/steps/start`, { startUrl });
    assert.equal(odd.status, 422, startUrl);
    assert.match(odd.html, reason, startUrl);
  }
  assert.equal((await post(app, `/s/${id}/steps/start`, { startUrl: 'example.com' })).status, 200);
  const scope = await post(app, `/s/${id}/steps/scope`, { ...SCOPE, exclude: '(oops', concurrency: '0', userAgent: 'Bot-é' });
  assert.match(scope.html, /Pattern 1 \(&quot;\(oops&quot;\) is not a valid regular expression/);
  assert.match(scope.html, /Requests at once must be at least 1/);
  assert.match(scope.html, /printable ASCII/);
  // A line break is a control character, refused before the field's own check as in every one-line text field.
  const broken = await post(app, `/s/${id}/steps/scope`, { ...SCOPE, userAgent: 'line\nbreak' });
  assert.match(broken.html, /User agent may not hold control characters \(it has U\+000A\)/);
});

test('crawl the fixture site through the workflow, then compare a second crawl with the first', async (t) => {
  const site = await startKnownSite();
  t.after(() => site.close());
  const { app, dir } = await boot(t);

  const first = await crawlSession(app, dir, `${site.site.origin}/`);
  assert.equal(first.values.pages, 27);
  assert.equal(first.values.brokenLinks, 3);
  const page = await (await app.app.request(`/s/${first.id}`)).text();
  assert.match(page, /Broken links/);
  assert.match(page, /Pages by depth \(every URL in the Pages table/, 'the depth table says it counts the rows of the Pages table');
  const files = join(dir, 'sessions', first.id, 'files');
  assert.equal((await csvRows(files, 'pages.csv')).length, 31);

  const second = await crawlSession(app, dir, `${site.site.origin}/`);
  assert.deepEqual((second.values.earlier as { session: string }[]).map((e) => e.session), [first.id], 'the earlier crawl of the site is offered');
  const compareCard = await (await app.app.request(`/s/${second.id}`)).text();
  assert.ok(compareCard.includes(`value="${first.id}"`), 'and suggested');
  assert.match(compareCard, /Earlier crawls of this site/);
  const refused = await post(app, `/s/${second.id}/steps/compare`, { earlierSession: '../../etc/passwd' });
  assert.match(refused.html, /No earlier finished crawl of this site has the id/);
  assert.equal((await post(app, `/s/${second.id}/steps/compare`, { earlierSession: first.id })).status, 200);
  await until('the comparison to finish', async () => (await logOf(dir, second.id)).some((e) => e.type === 'job.finished' && 'step' in e && e.step === 'compare'), 30_000);
  await until('the runner to let go of the comparison', () => app.engine.jobs.snapshot(second.id, 'compare') === undefined);
  const changes = await csvRows(join(dir, 'sessions', second.id, 'files'), 'changes-pages.csv');
  assert.deepEqual(changes, [], 'the same site crawled twice has not changed');
});
