// Real browser end-to-end for jobs: the ticker workflow's job runs inside a `cardtrail serve` child process and
// Debian's Chromium watches it stream. Waits are on DOM state (locators, waitForFunction), never on fixed sleeps;
// the one timed wait checks that nothing more happens (no event-stream reconnects after a job ended).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { browserSuite, collectErrors, forgiveDowntime, type BrowserSuite } from '../support/browser.ts';

/** The server, browser and page of the suite below; its hooks set them up for each test. */
let ui: BrowserSuite;

/** How long a whole job may take to end in these tests (they run a few seconds at most). */
const JOB_TIMEOUT = 15_000;
const LIVE = '#card-simulate.job .job-progress';

type Ticker = { ticks: number; interval: number; failAt?: number };

/** Starts a ticker session and runs its job with these fields; resolves once the live job card is shown. */
async function startTicker(p: Page, t: Ticker): Promise<string> {
  await p.goto('/');
  await p.getByRole('button', { name: 'Start Ticker (job demo)', exact: true }).click();
  await p.waitForURL(/\/s\/[A-Za-z0-9_-]{21}$/);
  const card = p.locator('#card-simulate.open');
  await card.waitFor();
  await card.locator('#f-ticks').fill(String(t.ticks));
  await card.locator('#f-interval').fill(String(t.interval));
  await card.locator('#f-failAt').fill(t.failAt === undefined ? '' : String(t.failAt));
  await card.getByRole('button', { name: 'Run' }).click();
  await p.locator('#card-simulate.job').waitFor();
  return p.url();
}

/** The tick count the live card shows now (its `data-done`), or -1 when no progress block is there. */
function shownDone(p: Page): Promise<number> {
  return p.evaluate((sel) => {
    const el = document.querySelector<HTMLElement>(sel);
    return el ? Number(el.dataset.done) : -1;
  }, LIVE);
}

/** Waits until the live card shows more than `n` ticks done; resolves with what it shows then. */
async function waitForDoneAbove(p: Page, n: number, timeout = 5_000): Promise<number> {
  try {
    await p.waitForFunction(
      ([sel, min]) => Number(document.querySelector<HTMLElement>(sel as string)?.dataset.done ?? -1) > (min as number),
      [LIVE, n] as const,
      { timeout },
    );
  } catch {
    assert.fail(`Expected more than ${n} ticks shown within ${timeout} ms; the card shows ${await shownDone(p)}.\n${ui.server.output()}`);
  }
  return shownDone(p);
}

/** A done card's value. */
function doneValue(p: Page, step: string, key: string): Promise<string | null> {
  return p.locator(`#card-${step}.done dd[data-key="${key}"]`).textContent();
}

/** Presses Cancel on a running job and waits for the cancelled card, so no job outlives its test. */
async function cancelJob(p: Page): Promise<void> {
  await p.locator('#card-simulate.job').getByRole('button', { name: 'Cancel' }).click();
  await p.locator('#card-simulate.open .job-ending[data-job-status="cancelled"]').waitFor();
}

describe('browser: ticker jobs in Chromium against `cardtrail serve`', { timeout: 90_000 }, () => {
  ui = browserSuite({ tempPrefix: 'cardtrail-browser-jobs-', viewport: { width: 1000, height: 800 } });

  test('a running job shows an advancing bar, "N of 40", the latest message and recent lines', async () => {
    await startTicker(ui.page, { ticks: 40, interval: 150 });
    const card = ui.page.locator('#card-simulate.job');
    assert.equal(await card.getAttribute('data-current'), '', 'the job card is the current card');
    assert.equal(await card.getByRole('button', { name: 'Cancel' }).count(), 1);

    const first = await waitForDoneAbove(ui.page, 0);
    const second = await waitForDoneAbove(ui.page, first);
    assert.ok(second > first, `the count grows (${first} then ${second})`);

    // One snapshot of the block, read at once so bar, count and message agree.
    const shown = await ui.page.evaluate((sel) => {
      const block = document.querySelector<HTMLElement>(sel)!;
      const bar = block.querySelector('progress')!;
      return {
        done: Number(block.dataset.done),
        status: block.dataset.status,
        value: bar.value,
        max: bar.max,
        count: block.querySelector('.job-count')?.textContent,
        message: block.querySelector('.job-message')?.textContent,
        recent: [...block.querySelectorAll('.job-recent li')].map((li) => li.textContent),
      };
    }, LIVE);
    assert.equal(shown.status, 'running');
    assert.equal(shown.max, 40);
    assert.equal(shown.value, shown.done, 'the bar shows the count');
    assert.ok(shown.value >= second, `the bar value did not go back (${shown.value} after ${second})`);
    assert.equal(shown.count, `${shown.done} of 40 (${Math.round((shown.done / 40) * 100)}%)`);
    assert.equal(shown.message, `Tick ${shown.done}`, 'the latest message is the last tick');
    assert.ok(shown.recent.length >= 2 && shown.recent.length <= 8, `a few recent lines: ${JSON.stringify(shown.recent)}`);
    assert.equal(shown.recent[0], `Tick ${shown.done}`, 'the newest recent line, listed first, is the latest message');

    // The bar's value itself (not only data-done) advances.
    const barBefore = await ui.page.locator(`${LIVE} progress`).evaluate((b: HTMLProgressElement) => b.value);
    await ui.page.waitForFunction(
      ([sel, v]) => (document.querySelector<HTMLProgressElement>(sel as string)?.value ?? -1) > (v as number),
      [`${LIVE} progress`, barBefore] as const,
    );

    // Live updates never move keyboard focus (the job card's only control is Cancel, where a keypress would land).
    await ui.page.getByRole('link', { name: 'History' }).focus();
    const before = await shownDone(ui.page);
    await waitForDoneAbove(ui.page, before + 1);
    assert.equal(await ui.page.evaluate(() => document.activeElement?.textContent), 'History', 'focus stayed on History');

    await cancelJob(ui.page);
  });

  test('Back to a running job after going elsewhere shows its progress now and keeps following', async () => {
    await startTicker(ui.page, { ticks: 60, interval: 100 });
    await waitForDoneAbove(ui.page, 2);
    await ui.page.getByRole('link', { name: 'History' }).click();
    await ui.page.locator('#timeline').waitFor();
    const away = await ui.page.evaluate(() => performance.now());
    // Long enough away that the job moved on: the count the page showed on leaving is stale.
    await ui.page.waitForFunction((t) => performance.now() - t > 1_000, away);
    await ui.page.goBack();
    await ui.page.locator('#card-simulate.job').waitFor();
    const shown = await shownDone(ui.page);
    await waitForDoneAbove(ui.page, shown + 1);
    await cancelJob(ui.page);
  });

  test('a reload mid-job renders the current progress at once and keeps following; a second tab follows too', async () => {
    const url = await startTicker(ui.page, { ticks: 40, interval: 150 });
    const before = await waitForDoneAbove(ui.page, 2);

    // The page as the server sends it: the progress block already carries the job's count, not zero.
    const [response] = await Promise.all([ui.page.waitForResponse((r) => r.url() === url && r.request().method() === 'GET'), ui.page.reload()]);
    const html = await response.text();
    const rendered = Number(/class="job-progress"[^>]*data-done="(\d+)"/.exec(html)?.[1] ?? /data-done="(\d+)"/.exec(html)?.[1] ?? -1);
    assert.ok(rendered >= before, `the reloaded page renders ${rendered} ticks done, at least the ${before} seen before the reload`);
    assert.match(html, new RegExp(`${rendered} of 40 \\(`), 'the count is rendered with the page');

    const afterReload = await waitForDoneAbove(ui.page, rendered);
    assert.ok(afterReload > rendered, 'after the reload the count keeps advancing');

    // A second tab on the same session (same context, so same cookies) shows the live count too.
    const second = await ui.context.newPage();
    collectErrors(second, ui.errors, ' (second tab)');
    await second.goto(url);
    await second.locator('#card-simulate.job').waitFor();
    const secondFirst = await shownDone(second);
    assert.ok(secondFirst >= afterReload, `the second tab starts where the job is (${secondFirst}), not at zero`);
    const secondLater = await waitForDoneAbove(second, secondFirst);
    assert.ok(secondLater > secondFirst, 'the second tab follows the job live');
    // And the first tab still follows as well.
    await waitForDoneAbove(ui.page, secondLater - 1);

    await cancelJob(ui.page);
    // The other tab hears of the end and shows the cancelled card without a reload.
    await second.locator('#card-simulate.open .job-ending[data-job-status="cancelled"]').waitFor();
  });

  test('a finished job shows its results, opens Review with the suggested verdict, and its stream is not reopened', async () => {
    const streams: string[] = [];
    ui.page.on('request', (r) => {
      if (/\/jobs\/[^/]+\/events$/.test(new URL(r.url()).pathname)) streams.push(`${new Date().toISOString()} ${r.url()}`);
    });
    await startTicker(ui.page, { ticks: 6, interval: 100 });
    await ui.page.locator('#card-simulate.done').waitFor({ timeout: JOB_TIMEOUT });

    assert.equal(await doneValue(ui.page, 'simulate', 'ticks'), '6');
    assert.equal(await doneValue(ui.page, 'simulate', 'interval'), '100');
    assert.equal(await doneValue(ui.page, 'simulate', 'counted'), '6', 'Ticks counted');
    assert.equal(await ui.page.locator('#card-simulate.done dt').filter({ hasText: 'Ticks counted' }).count(), 1);
    assert.equal(await doneValue(ui.page, 'simulate', 'resumedAt'), '0');
    const elapsed = Number(await doneValue(ui.page, 'simulate', 'elapsedMs'));
    assert.ok(elapsed >= 500, `the job took about 6 × 100 ms (${elapsed})`);

    const review = ui.page.locator('#card-review.open');
    await review.waitFor();
    assert.equal(await review.locator('#f-verdict').inputValue(), `Counted 6 ticks in ${elapsed} ms.`);
    assert.equal(await ui.page.locator('#card-simulate .job-progress').count(), 0, 'no live block is left');

    // The stream was opened, and after the end nobody opens it again.
    assert.ok(streams.length >= 1, 'the card listened to the job stream');
    const seen = streams.length;
    await ui.page.waitForTimeout(2_000);
    assert.deepEqual(streams.slice(seen), [], `no event-stream request after the job ended; all requests:\n${streams.join('\n')}`);
    assert.ok(streams.length <= 2, `a short job needs one stream (two at most), got:\n${streams.join('\n')}`);

    // The review step takes the suggestion.
    await review.getByRole('button', { name: 'Finish' }).click();
    await ui.page.locator('#card-review.done').waitFor();
    await ui.page.locator('#card-finish').getByText('All steps are done.').waitFor();
  });

  test('Cancel mid-job shows the cancelled card with Retry, and Retry runs the job to completion', async () => {
    await startTicker(ui.page, { ticks: 20, interval: 120 });
    const shown = await waitForDoneAbove(ui.page, 1);
    await ui.page.locator('#card-simulate.job').getByRole('button', { name: 'Cancel' }).click();

    const card = ui.page.locator('#card-simulate.open');
    await card.waitFor();
    assert.equal(await card.locator('.job-ending').textContent(), 'The job was cancelled.');
    assert.equal(await card.locator('.job-ending').getAttribute('role'), 'alert');
    assert.equal(await card.getByRole('button', { name: 'Run' }).count(), 0);
    // The form keeps the values the job ran with.
    assert.equal(await card.locator('#f-ticks').inputValue(), '20');
    assert.equal(await card.locator('#f-interval').inputValue(), '120');
    assert.equal(await ui.page.locator('#card-review.pending').count(), 1);

    await card.getByRole('button', { name: 'Retry' }).click();
    await ui.page.locator('#card-simulate.job').waitFor();
    await ui.page.locator('#card-simulate.done').waitFor({ timeout: JOB_TIMEOUT });
    assert.equal(await doneValue(ui.page, 'simulate', 'counted'), '20');
    const resumedAt = Number(await doneValue(ui.page, 'simulate', 'resumedAt'));
    assert.equal(resumedAt, 0, `a retry after a cancel starts afresh (cancelled after ${shown} shown)`);
    await ui.page.locator('#card-review.open').waitFor();
  });

  test('a failing job says why, offers Retry and shows no stack trace', async () => {
    await startTicker(ui.page, { ticks: 6, interval: 60, failAt: 3 });
    const card = ui.page.locator('#card-simulate.open');
    await card.waitFor({ timeout: JOB_TIMEOUT });
    const ending = card.locator('.job-ending[data-job-status="failed"]');
    assert.equal(await ending.textContent(), 'The job failed: Tick 3 failed on purpose.');
    assert.equal(await card.getByRole('button', { name: 'Retry' }).count(), 1);
    assert.equal(await card.locator('#f-failAt').inputValue(), '3');

    const text = await ui.page.locator('body').innerText();
    assert.doesNotMatch(text, /\bat \S+ \(|\.ts:\d+|\.js:\d+|node:internal|Error: /, `no stack trace on the page:\n${text}`);

    // The same after a reload (the failure comes from the log, not from memory).
    await ui.page.reload();
    await ui.page.locator('#card-simulate.open .job-ending[data-job-status="failed"]').waitFor();
    assert.equal(await ui.page.locator('.job-ending').textContent(), 'The job failed: Tick 3 failed on purpose.');
    assert.doesNotMatch(await ui.page.locator('body').innerText(), /\bat \S+ \(|\.ts:\d+|node:internal|Error: /);
  });

  test('a job cut off by a killed server is shown interrupted, and Retry resumes from its checkpoint', async () => {
    const url = await startTicker(ui.page, { ticks: 24, interval: 150 });
    const shown = await waitForDoneAbove(ui.page, 3);

    const errorsBefore = ui.errors.length;
    await ui.restartServer();
    // The open page notices by itself: its stream reconnects to the restarted server, hears the job is over
    // and reloads the trail, which now says interrupted.
    await ui.page.locator('#card-simulate.open .job-ending[data-job-status="interrupted"]').waitFor({ timeout: JOB_TIMEOUT });
    // While the server was down htmx logged the stream's network errors; those are the kill, not a page bug.
    forgiveDowntime(ui.errors, errorsBefore);

    assert.equal(ui.page.url(), url);
    await ui.page.reload();
    const card = ui.page.locator('#card-simulate.open');
    await card.waitFor();
    assert.equal(await card.locator('.job-ending').textContent(), 'The job was interrupted: the server stopped while it ran.');
    assert.equal(await card.locator('.job-ending').getAttribute('data-job-status'), 'interrupted');
    assert.equal(await card.locator('#f-ticks').inputValue(), '24');

    await card.getByRole('button', { name: 'Retry' }).click();
    await ui.page.locator('#card-simulate.job').waitFor();
    await ui.page.locator('#card-simulate.done').waitFor({ timeout: JOB_TIMEOUT });
    assert.equal(await doneValue(ui.page, 'simulate', 'counted'), '24');
    const resumedAt = Number(await doneValue(ui.page, 'simulate', 'resumedAt'));
    assert.ok(resumedAt > 0, `the job resumed from its checkpoint (Resumed at tick ${resumedAt})`);
    assert.ok(resumedAt >= shown - 1 && resumedAt < 24, `resumed near where it was cut off (${shown} shown, resumed at ${resumedAt})`);
    await ui.page.locator('#card-review.open').waitFor();
  });
});
