// axe-core in Chromium on every state a page of the shipped workflows can be in (hello, trip, ticker, and the
// gallery's every output widget), in light and dark: the empty home, each step, invalid input, done, finalized, a copy, the history, the past, import
// results, error pages, a job running, cancelled, failed and interrupted, and the sign-in pages of a server
// with a passphrase. Any violation fails its test, with every violation listed.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { browserSuite, forgiveDowntime, newPage, startWorkflow, type BrowserSuite } from '../support/browser.ts';
import { startServer } from '../support/server-process.ts';
import { tempDir } from '../support/app.ts';
import { axeViolations } from '../support/axe.ts';

let ui: BrowserSuite;

/** Checks the page as it is now and adds what axe finds to `found`. */
async function check(found: string[], where: string): Promise<void> {
  found.push(...(await axeViolations(ui.page, where)));
}

function assertNone(found: string[]): void {
  assert.deepEqual(found, [], `axe found ${found.length} violation(s):\n${found.join('\n')}`);
}

async function start(title: string): Promise<void> {
  await startWorkflow(ui.page, title);
}

/** Presses the open card's submit button and waits until the card of `next` is the current one. */
async function submitOpen(next: string): Promise<void> {
  await ui.page.locator('#trail [data-current] > form button[type=submit]').click();
  await ui.page.locator(`#trail #card-${next}[data-current]`).waitFor();
}

/** Both tabs of the side pane: Help as the page opens, then Activity. */
async function checkBothTabs(found: string[], where: string): Promise<void> {
  await check(found, `${where}, Help tab`);
  await ui.page.getByRole('tab', { name: /^Activity/ }).click();
  await check(found, `${where}, Activity tab`);
  await ui.page.getByRole('tab', { name: 'Help' }).click();
}

describe('browser: axe-core finds no violation on any page state, light and dark', { timeout: 180_000 }, () => {
  ui = browserSuite({ tempPrefix: 'cardtrail-a11y-', viewport: { width: 1100, height: 800 } });

  test('hello: empty home, each step, invalid input, done, finalized, a copy, history, the past, error pages', async () => {
    const found: string[] = [];
    await ui.page.goto('/');
    await check(found, 'first-run home');
    await ui.page.locator('.workflow-menu summary').click();
    await check(found, 'home with the workflows menu open');

    await start('Hello');
    await checkBothTabs(found, 'hello step 1');
    await ui.page.locator('#f-name').fill('');
    await ui.page.locator('#card-name > form button[type=submit]').click();
    await ui.page.locator('#f-name[aria-invalid=true]').waitFor();
    await check(found, 'hello step 1, invalid');
    await ui.page.locator('#f-name').fill('Ada Lovelace');
    await submitOpen('greeting');
    await check(found, 'hello step 2');
    await ui.page.locator('#f-greeting').fill('Hi there');
    await submitOpen('finish');
    await check(found, 'hello done');
    await ui.page.locator('#card-name').getByRole('button', { name: /^Edit/ }).click();
    await ui.page.locator('#card-name[data-current]').waitFor();
    await ui.page.locator('#f-name').fill('Grace Hopper');
    await submitOpen('greeting');
    await ui.page.locator('.suggestion').waitFor();
    await check(found, 'hello step 2 with a changed suggestion beside a kept value');
    await submitOpen('finish');
    await ui.page.getByRole('button', { name: 'Finalize' }).click();
    await ui.page.locator('#card-finish.finalized').waitFor();
    await checkBothTabs(found, 'hello finalized');
    const session = ui.page.url();

    await ui.page.getByRole('link', { name: 'History' }).click();
    await ui.page.locator('#timeline').waitFor();
    await check(found, 'hello history');
    await ui.page.locator('#timeline tr[data-seq="3"]').getByRole('link', { name: 'See the session as it was here' }).click();
    await ui.page.locator('.banner.past').waitFor();
    await check(found, 'hello past');

    await ui.page.goto(session);
    await ui.page.locator('#card-finish').getByRole('button', { name: /^Copy to a new session/ }).click();
    await ui.page.waitForURL((url) => url.href !== session && /\/s\/[A-Za-z0-9_-]{21}$/.test(url.pathname));
    await ui.page.locator('.notice.origin').waitFor();
    await check(found, 'a copy');

    await ui.page.goto('/no/such/page');
    await check(found, 'error page: not found');
    await ui.page.goto(`${session}/at/999`);
    await check(found, 'error page: no such entry');
    await ui.page.goto('/');
    await check(found, 'home with sessions');
    assertNone(found);
  });

  test('trip: each step, an invalid budget, done; import results', async () => {
    const found: string[] = [];
    await start('Plan a trip');
    await check(found, 'trip places');
    await ui.page.getByLabel('Lisbon').check();
    await submitOpen('traveller');
    await check(found, 'trip traveller');
    await ui.page.getByLabel('Name', { exact: true }).fill('Ann');
    await submitOpen('budget');
    await ui.page.locator('#f-budget').fill('1');
    await ui.page.locator('#card-budget > form button[type=submit]').click();
    await ui.page.locator('#f-budget[aria-invalid=true]').waitFor();
    await check(found, 'trip budget, invalid');
    await ui.page.locator('#f-budget').fill('900');
    await submitOpen('finish');
    await check(found, 'trip done');

    // Import: a refused file, then a good one.
    const log = await (await ui.page.request.get(`${ui.page.url()}/log.jsonl`)).text();
    const bad = join(tmpdir(), `cardtrail-a11y-bad-${process.pid}.jsonl`);
    const good = join(tmpdir(), `cardtrail-a11y-good-${process.pid}.jsonl`);
    await writeFile(bad, 'not a log\n');
    await writeFile(good, log);
    await ui.page.goto('/');
    await ui.page.locator('details:has(input[name=log]) summary').click();
    await ui.page.locator('input[name=log]').setInputFiles(bad);
    await ui.page.getByRole('button', { name: 'Import' }).click();
    await ui.page.locator('.notice[role=alert]').waitFor();
    await check(found, 'import refused');
    await ui.page.locator('details:has(input[name=log]) summary').click();
    await ui.page.locator('input[name=log]').setInputFiles(good);
    await ui.page.getByRole('button', { name: 'Import' }).click();
    await ui.page.locator('.notice.origin').waitFor();
    await check(found, 'imported session');
    assertNone(found);
  });

  test('ticker: running, cancelled, failed, interrupted, finished', async () => {
    const found: string[] = [];
    const run = async (ticks: number, interval: number, failAt = '') => {
      await ui.page.locator('#f-ticks').fill(String(ticks));
      await ui.page.locator('#f-interval').fill(String(interval));
      await ui.page.locator('#f-failAt').fill(failAt);
      await ui.page.locator('#card-simulate > form button[type=submit]').click();
    };
    await start('Ticker (job demo)');
    await check(found, 'ticker before the run');
    await run(400, 100);
    await ui.page.locator('#card-simulate.job .job-progress').waitFor();
    await checkBothTabs(found, 'ticker running');
    await ui.page.locator('#card-simulate.job').getByRole('button', { name: /^Cancel/ }).click();
    await ui.page.locator('.job-ending[data-job-status=cancelled]').waitFor();
    await check(found, 'ticker cancelled');
    await run(5, 20, '2');
    await ui.page.locator('.job-ending[data-job-status=failed]').waitFor();
    await check(found, 'ticker failed');
    await run(400, 100);
    await ui.page.locator('#card-simulate.job .job-progress').waitFor();
    const before = ui.errors.length;
    await ui.restartServer();
    await ui.page.locator('.job-ending[data-job-status=interrupted]').waitFor({ timeout: 15_000 });
    forgiveDowntime(ui.errors, before);
    await ui.page.locator('#connection').waitFor({ state: 'hidden' });
    await check(found, 'ticker interrupted');
    await run(3, 10);
    await ui.page.locator('#card-review[data-current]').waitFor({ timeout: 15_000 });
    await check(found, 'ticker finished, review open');
    assertNone(found);
  });

  test('gallery: every output widget drawn (table, charts, diagram and its source, code, images), its history, the past', async () => {
    const found: string[] = [];
    const p = ui.page;
    await start('Outputs gallery');
    await p.locator('#f-count').fill('1000');
    await submitOpen('generate');
    await p.locator('#card-generate.open').getByRole('button', { name: 'Run' }).click();
    await p.locator('#card-generate.done .table-widget[data-ready]').waitFor({ timeout: 30_000 });
    await p.locator('#card-generate canvas[data-drawn]').waitFor();
    await check(found, 'gallery generated');
    await p.locator('#card-review.open').getByRole('button', { name: 'Finish' }).click();
    await p.locator('#card-review .mermaid-target[data-rendered] svg').waitFor({ timeout: 15_000 });
    await p.waitForFunction(() => document.querySelectorAll('#card-review canvas[data-drawn]').length === 2);
    await p.waitForFunction(() => document.querySelectorAll('.table-widget[data-ready]').length === 2);
    await p.locator('#card-review .mermaid-widget summary').click();
    await check(found, 'gallery done, the diagram source open');
    await p.getByRole('link', { name: 'History' }).click();
    await p.locator('#timeline').waitFor();
    await check(found, 'gallery history');
    // As it was before the review: the generated outputs, drawn again from the past.
    await p.locator('#timeline tr', { hasText: 'Completed Generate' }).getByRole('link', { name: 'See the session as it was here' }).click();
    await p.locator('.banner.past').waitFor();
    await p.locator('#card-generate .table-widget[data-ready]').waitFor();
    await p.locator('#card-generate canvas[data-drawn]').waitFor();
    await check(found, 'gallery past');
    assertNone(found);
  });

  test('passphrase mode: the sign-in page, a wrong passphrase, a signed-in home, signed out', async () => {
    const found: string[] = [];
    const passphrase = 'correct horse battery';
    const data = await tempDir('cardtrail-a11y-guarded-');
    const guarded = await startServer({ dataDir: data.dir, env: { CARDTRAIL_PASSPHRASE: passphrase } });
    const { context, page, errors } = await newPage(ui.context.browser()!, { baseURL: guarded.url, viewport: { width: 1100, height: 800 } });
    const signIn = async (text: string) => {
      await page.getByLabel('Passphrase').fill(text);
      await page.getByRole('button', { name: 'Sign in' }).click();
    };
    try {
      await page.goto('/');
      found.push(...(await axeViolations(page, 'sign-in page')));
      await signIn('not the passphrase');
      await page.locator('.notice[role=alert]').waitFor();
      found.push(...(await axeViolations(page, 'a wrong passphrase')));
      await signIn(passphrase);
      await page.getByRole('button', { name: 'Sign out' }).waitFor();
      found.push(...(await axeViolations(page, 'signed-in home')));
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.locator('.notice[role=status]').waitFor();
      found.push(...(await axeViolations(page, 'signed out')));
      assert.deepEqual(errors.filter((e) => !e.includes('Failed to load resource')), []);
    } finally {
      await context.close();
      await guarded.stop();
      await data.cleanup();
    }
    assertNone(found);
  });
});
