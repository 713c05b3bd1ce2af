// The link-graph workflow in a real browser against a `cardtrail serve` child: a generated site served by this
// test process on 127.0.0.1 (each page answers after 30 ms, so the crawl lasts long enough to watch), live
// progress, Cancel, and a crawl resumed after the server is killed mid-crawl without refetching what it had;
// then the done card's graph drawn on its canvas, searched, recoloured and clicked through, with no axe violation.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { serveGenerated } from '../fixtures/site/generated-site.ts';
import type { Served } from '../fixtures/site/server.ts';
import { axeViolations } from '../support/axe.ts';
import { browserSuite, type BrowserSuite } from '../support/browser.ts';

const PAGES = 150;
const CONCURRENCY = 2;
const JOB_TIMEOUT = 30_000;
const LIVE = '#card-crawl.job .job-progress';

let ui: BrowserSuite;
let site: Served;
/** A small site without delays for the graph test. */
let small: Served;
const SMALL = 40;

/** Starts a link-graph session and fills Start URL and Scope; the Crawl card is then open. */
async function reachCrawl(p: Page, origin = site.origin): Promise<void> {
  await p.goto('/');
  await p.getByRole('button', { name: 'Start Link graph (crawl a website)', exact: true }).click();
  await p.waitForURL(/\/s\/[A-Za-z0-9_-]{21}$/);
  await p.locator('#card-start.open #f-startUrl').fill(`${origin}/`);
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

/** The number a done card's headline shows before a label ("151 pages"). */
async function headline(p: Page, label: string): Promise<string | undefined> {
  const text = (await p.locator('#card-crawl.done .stats').allInnerTexts()).join(' · ').replace(/\s+/g, ' ');
  return new RegExp(`([\\d,.]+) ${label}\\b`).exec(text)?.[1];
}

describe('link-graph in the browser', () => {
  ui = browserSuite({ tempPrefix: 'cardtrail-crawl-browser-', viewport: { width: 1000, height: 800 } });
  before(async () => {
    [site, small] = await Promise.all([serveGenerated(PAGES, 30), serveGenerated(SMALL)]);
  });
  after(() => Promise.all([site.close(), small.close()]));

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
    assert.equal(await headline(p, 'pages'), String(PAGES + 1));
    assert.equal(await headline(p, 'broken links'), '0');
    assert.equal(await headline(p, 'left in the queue'), '0');
    await p.locator('#card-crawl.done').getByText('Resumed after an interruption').waitFor();

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

  test('the done card draws the link graph: search, colour, a node’s inlinks and outlinks', async () => {
    const p = ui.page;
    await reachCrawl(p, small.origin);
    await p.locator('#card-crawl.open').getByRole('button', { name: 'Run' }).click();
    await p.locator('#card-crawl.done').waitFor({ timeout: JOB_TIMEOUT });
    const view = p.locator('#card-crawl [data-graph-url][data-drawn][data-fitted]');
    await view.waitFor({ timeout: 10_000 });
    const [box, card] = [await view.boundingBox(), await p.locator('#card-crawl').boundingBox()];
    assert.ok(box && card && box.x >= card.x && box.x + box.width <= card.x + card.width, 'the graph stays inside its card');
    const painted = await p.evaluate(() => {
      const canvas = document.querySelector<HTMLCanvasElement>('#card-crawl .graph-canvas canvas')!;
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let inked = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) inked++;
      return { inked, width: canvas.width, height: canvas.height };
    });
    assert.ok(painted.inked > 500, `the canvas is drawn on (${painted.inked} pixels of ${painted.width}×${painted.height})`);
    assert.match((await view.locator('.graph-note').textContent()) ?? '', new RegExp(`^${SMALL + 1} pages, \\d+ links\\.$`));

    await view.locator('[data-graph-search]').fill('/p/3.html');
    await view.locator('[data-graph-search]').press('Enter');
    const details = view.locator('.graph-details');
    await details.getByRole('link', { name: `${small.origin}/p/3.html` }).waitFor();
    // Page 3 links to 4, 7, 8 and home (generated-site.ts); 1 and 2 link to it among others.
    const links = await details.locator('h3').allTextContents();
    assert.ok(links.some((h) => /^Links to \(\d+\)$/.test(h)) && links.some((h) => /^Linked from \(\d+\)$/.test(h)), links.join(' | '));
    const outs = await details.locator('div:has(h3:text-matches("^Links to")) li').allTextContents();
    for (const n of [4, 7, 8, 0]) assert.ok(outs.includes(`${small.origin}/p/${n}.html`), `outlink to page ${n}: ${outs.join(', ')}`);
    await details.getByRole('button', { name: `${small.origin}/p/7.html` }).first().click();
    await details.getByRole('link', { name: `${small.origin}/p/7.html` }).waitFor();

    const found = await axeViolations(p, 'a node of the graph shown');

    await view.locator('[data-graph-colour]').selectOption('status');
    assert.match((await view.locator('.graph-legend').textContent()) ?? '', /2xx.*3xx.*4xx.*5xx or no answer/);
    await view.locator('.graph-top summary').click();
    await view.locator('.graph-top li button').first().click();
    await details.getByRole('link').first().waitFor();
    found.push(...(await axeViolations(p, 'the top pages open')));
    assert.deepEqual(found, [], `axe found ${found.length} violation(s):\n${found.join('\n')}`);
  });
});
