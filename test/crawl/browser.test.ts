// The link-graph workflow in a real browser against a `cardtrail serve` child: a generated site served by this
// test process on 127.0.0.1 (each page answers after 30 ms, so the crawl lasts long enough to watch), live
// progress, Cancel, and a crawl resumed after the server is killed mid-crawl without refetching what it had.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { serveGenerated } from '../fixtures/site/generated-site.ts';
import type { Served } from '../fixtures/site/server.ts';
import { browserSuite, type BrowserSuite } from '../support/browser.ts';

const PAGES = 150;
const CONCURRENCY = 2;
const JOB_TIMEOUT = 30_000;
const LIVE = '#card-crawl.job .job-progress';

let ui: BrowserSuite;
let site: Served;

/** Starts a link-graph session and fills Start URL and Scope; the Crawl card is then open. */
async function reachCrawl(p: Page): Promise<void> {
  await p.goto('/');
  await p.getByRole('button', { name: 'Start Link graph (crawl a website)', exact: true }).click();
  await p.waitForURL(/\/s\/[A-Za-z0-9_-]{21}$/);
  await p.locator('#card-start.open #f-startUrl').fill(`${site.origin}/`);
  await p.locator('#card-start.open').getByRole('button').last().click();
  const scope = p.locator('#card-scope.open');
  await scope.waitFor();
  await scope.locator('#f-concurrency').fill(String(CONCURRENCY));
  await scope.getByRole('button').last().click();
  await p.locator('#card-crawl.open').waitFor();
}

/** Waits until the live crawl card shows more than `n` pages done. */
async function doneAbove(p: Page, n: number): Promise<number> {
  await p.waitForFunction(([sel, min]) => Number(document.querySelector<HTMLElement>(sel as string)?.dataset.done ?? -1) > (min as number), [LIVE, n] as const, { timeout: JOB_TIMEOUT });
  return p.evaluate((sel) => Number(document.querySelector<HTMLElement>(sel)?.dataset.done), LIVE);
}

const doneValue = (p: Page, key: string) => p.locator(`#card-crawl.done dd[data-key="${key}"]`).textContent();

describe('link-graph in the browser', () => {
  ui = browserSuite({ tempPrefix: 'cardtrail-crawl-browser-', viewport: { width: 1000, height: 800 } });
  before(async () => {
    site = await serveGenerated(PAGES, 30);
  });
  after(() => site.close());

  test('progress streams live; Cancel stops the crawl; a killed server resumes it without refetching', async () => {
    const p = ui.page;
    await reachCrawl(p);
    await p.locator('#card-crawl.open').getByRole('button', { name: 'Run' }).click();
    await doneAbove(p, 5);
    const message = (await p.locator(`${LIVE} .job-message`).textContent()) ?? '';
    assert.match(message, /^Fetched \d+ · queued \d+ · failed 0 · [\d.]+ pages\/s · 0:\d\d elapsed/, message);

    await p.locator('#card-crawl.job').getByRole('button', { name: 'Cancel' }).click();
    const card = p.locator('#card-crawl.open');
    await card.waitFor();
    assert.equal(await card.locator('.job-ending').textContent(), 'The job was cancelled.');
    const afterCancel = site.requests.length;
    assert.ok(afterCancel < PAGES, `the crawl stopped early (${afterCancel} requests)`);

    // Retry after a Cancel starts afresh; kill the server while it runs.
    await card.getByRole('button', { name: 'Retry' }).click();
    await doneAbove(p, 20);
    const secondRun = site.requests.slice(afterCancel);
    assert.ok(secondRun.some((r) => r.path === '/'), 'the retry started from the start URL');
    const errorsBefore = ui.errors.length;
    await ui.restartServer();
    await p.locator('#card-crawl.open .job-ending[data-job-status="interrupted"]').waitFor({ timeout: JOB_TIMEOUT });
    ui.errors.push(...ui.errors.splice(errorsBefore).filter((e) => !/htmx:sse:error: (network error|Failed to fetch)/.test(e)));
    const beforeResume = site.requests.length;

    await p.locator('#card-crawl.open').getByRole('button', { name: 'Retry' }).click();
    await p.locator('#card-crawl.done').waitFor({ timeout: JOB_TIMEOUT });
    assert.equal(await doneValue(p, 'pages'), String(PAGES + 1));
    assert.equal(await doneValue(p, 'resumed'), 'Yes');

    // Since the retry that was cut off: every page once, but the few in flight at the kill (robots.txt and the
    // sitemap are read again by each run).
    const counts = new Map<string, number>();
    const pages = site.requests.slice(afterCancel).filter((r) => r.path !== '/robots.txt' && r.path !== '/sitemap.xml');
    for (const r of pages) counts.set(r.path, (counts.get(r.path) ?? 0) + 1);
    assert.equal(counts.size, PAGES + 1, 'every URL was fetched');
    const twice = [...counts].filter(([, n]) => n > 1).map(([path]) => path);
    assert.ok(twice.length <= CONCURRENCY, `only pages in flight at the kill were fetched again: ${twice.join(', ')}`);
    assert.ok(site.requests.length - beforeResume < PAGES, 'the resumed run did not start over');
  });
});
