// The session page as a workspace in Chromium: the side pane's Help follows the open step, its Activity shows
// what another tab did without a reload, and the page tells when the server is gone and recovers by itself
// (the banner, a submit while it is down, a running job's card) once it is back.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/server-process.ts';
import { describe, test } from 'node:test';
import { browserSuite, collectErrors, forgiveDowntime, startWorkflow, type BrowserSuite } from '../support/browser.ts';

let ui: BrowserSuite;

function startHello(): Promise<string> {
  return startWorkflow(ui.page, 'Hello');
}

describe('browser: the workspace (side pane, activity, connection) against `cardtrail serve`', { timeout: 90_000 }, () => {
  ui = browserSuite({ tempPrefix: 'cardtrail-workspace-', viewport: { width: 1100, height: 800 } });

  test('Help shows the open step\'s help, rendered from markdown, and follows the trail', async () => {
    await startHello();
    const help = ui.page.locator('#pane-help');
    assert.equal(await help.locator('[data-help-step]:visible h3').textContent(), 'Your name');
    assert.equal(await help.locator('.help-text strong').first().textContent(), 'name', 'markdown **bold** is rendered');
    await ui.page.locator('#f-name').fill('Ada');
    await ui.page.locator('#f-name').press('Enter');
    await ui.page.locator('#card-greeting.open').waitFor();
    await ui.page.waitForFunction(() => document.querySelector('[data-help-step]:not([hidden]) h3')?.textContent === 'Greeting');
    assert.equal(await help.locator('[data-help-step="greeting"] em').textContent(), 'suggested');
    assert.equal(await ui.page.title(), 'Hello — Ada · Cardtrail', 'the tab title names the session');
  });

  test('Activity shows a value given in another tab, newest first, linking to its place in the history', async () => {
    const url = await startHello();
    await ui.page.getByRole('tab', { name: /^Activity/ }).click();
    const feed = ui.page.locator('#activity-feed');
    await feed.locator('li[data-type="session.started"]').waitFor();
    // The stream is open before the other tab writes.
    await ui.page.waitForFunction(() => (document.getElementById('activity-feed') as { _htmx?: { sse?: unknown } } | null)?._htmx?.sse);

    const other = await ui.context.newPage();
    collectErrors(other, ui.errors, ' (second tab)');
    await other.goto(url);
    await other.locator('#f-name').fill('Grace from the other tab');
    await other.locator('#f-name').press('Enter');
    await other.locator('#card-greeting.open').waitFor();
    await other.close();

    const newest = feed.locator('li').first();
    await ui.page.waitForFunction(() => document.querySelector('#activity-feed li')?.getAttribute('data-type') === 'step.completed');
    assert.match((await feed.locator('li[data-type="param.set"]').textContent())!, /Your name · Name: Grace from the other tab \(typed by you\)/);
    assert.deepEqual(
      await feed.locator('li').evaluateAll((items) => items.map((li) => Number(li.getAttribute('data-seq')))),
      [3, 2, 1],
      'newest first, each entry once',
    );
    assert.equal(await ui.page.locator('#card-name.open').count(), 1, 'this tab was not reloaded: its trail is as it was');
    assert.match((await ui.page.getByRole('tab', { name: /^Activity/ }).textContent())!, /^Activity$/, 'no unread count while it is shown');
    const link = await newest.locator('a').getAttribute('href');
    assert.match(link!, /\/history\?before=4#e-3$/);
    await newest.locator('a').click();
    await ui.page.locator('#timeline tr[data-seq="3"]').waitFor();
    assert.equal(await ui.page.locator('#timeline tr').last().getAttribute('data-seq'), '3');
  });

  test('a button is busy and disabled while its request runs: a double click sends one request', async () => {
    await startHello();
    await ui.page.locator('#f-name').fill('Ada');
    let posts = 0;
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await ui.page.route('**/steps/name', async (route) => {
      posts++;
      await held;
      await route.continue();
    });
    const button = ui.page.locator('#card-name > form button[type=submit]');
    await button.click();
    await ui.page.waitForFunction(() => document.querySelector('#card-name > form button[type=submit]')?.hasAttribute('disabled'));
    assert.equal(await button.getAttribute('aria-busy'), 'true');
    await button.click({ force: true }).catch(() => {});
    release();
    await ui.page.locator('#card-greeting.open').waitFor();
    assert.equal(posts, 1, 'one request for two clicks');
    await ui.page.unroute('**/steps/name');
  });

  test('a stopped server shows the banner; a submit then keeps its value; the restarted server clears it', async () => {
    await startHello();
    await ui.page.locator('#f-name').fill('Ada');
    const banner = ui.page.locator('#connection');
    assert.ok(await banner.isHidden(), 'no banner while the server answers');
    const before = ui.errors.length;
    await ui.server.kill('SIGKILL');
    await banner.waitFor({ state: 'visible', timeout: 10_000 });
    assert.match((await banner.textContent())!, /Cardtrail is not answering — retrying/);

    // A submit while it is down: the banner stays, the value and focus are kept, the button is usable again.
    await ui.page.locator('#f-name').press('Enter');
    const submit = ui.page.locator('#card-name > form button[type=submit]');
    await ui.page.waitForFunction(() => !document.querySelector<HTMLButtonElement>('#card-name > form button[type=submit]')?.disabled);
    assert.equal(await submit.getAttribute('aria-busy'), null);
    assert.equal(await ui.page.locator('#f-name').inputValue(), 'Ada');
    assert.ok(await banner.isVisible());

    await ui.restartServer();
    await banner.waitFor({ state: 'hidden', timeout: 10_000 });
    forgiveDowntime(ui.errors, before);
    await ui.page.locator('#f-name').press('Enter');
    await ui.page.locator('#card-greeting.open').waitFor();
  });

  test('a job running when the server is killed: its card shows interrupted after the restart, without a reload', async () => {
    await ui.page.goto('/');
    await ui.page.getByRole('button', { name: 'Start Ticker (job demo)', exact: true }).click();
    await ui.page.locator('#card-simulate.open').waitFor();
    await ui.page.evaluate(() => ((window as { sameDocument?: boolean }).sameDocument = true));
    await ui.page.locator('#f-ticks').fill('400');
    await ui.page.locator('#f-interval').fill('100');
    await ui.page.locator('#f-interval').press('Enter');
    await ui.page.waitForFunction(() => Number(document.querySelector<HTMLElement>('.job-progress')?.dataset.done) >= 2);
    // Its ticks reach the Activity feed as the job's lines, throttled, the newest first and only the newest eight.
    const lines = ui.page.locator('#activity-feed li[data-milestone]');
    await ui.page.waitForFunction(() => /Tick ([6-9]\d|\d{3})$/.test(document.querySelector('#activity-feed li[data-milestone]')?.textContent ?? ''), undefined, { timeout: 20_000 });
    assert.match((await lines.first().textContent())!, /^The job of Simulate · Tick \d+$/);
    assert.ok((await lines.count()) <= 8, `${await lines.count()} lines kept`);
    assert.equal(await ui.page.locator('#activity-feed li').nth(await lines.count()).getAttribute('data-type'), 'job.started');
    assert.equal(await ui.page.locator('#activity-feed[aria-live], #activity-feed [aria-live]').count(), 0, 'not a live region');

    const before = ui.errors.length;
    await ui.server.kill('SIGKILL');
    await ui.page.locator('#connection').waitFor({ state: 'visible', timeout: 10_000 });
    await ui.restartServer();
    await ui.page.locator('#card-simulate.open .job-ending[data-job-status="interrupted"]').waitFor({ timeout: 15_000 });
    await ui.page.locator('#connection').waitFor({ state: 'hidden', timeout: 10_000 });
    forgiveDowntime(ui.errors, before);
    assert.equal(await ui.page.evaluate(() => (window as { sameDocument?: boolean }).sameDocument), true, 'recovered without a reload');
    assert.equal(await ui.page.locator('#card-simulate button[type=submit]').first().textContent(), 'Retry');
    // The live region is filled a moment after the swap (emptied first, so a screen reader hears it anew).
    await ui.page.waitForFunction(() => /interrupted/.test(document.getElementById('announcer')?.textContent ?? ''), null, { timeout: 5_000 });
    assert.match((await ui.page.locator('#announcer').textContent())!, /interrupted/, 'the end was announced');
  });

  test('a session deleted in another tab: its page says so and stops asking for its streams', async () => {
    const url = await startHello();
    await ui.page.waitForFunction(() => (document.getElementById('activity-feed') as { _htmx?: { sse?: unknown } } | null)?._htmx?.sse);
    const asked: number[] = [];
    ui.page.on('request', (r) => void (r.url().includes('/activity/events') && asked.push(Date.now())));
    const before = ui.errors.length;
    const other = await ui.context.newPage();
    await other.goto(`${url}/delete`);
    await other.getByRole('button', { name: /^Delete/ }).click();
    await other.waitForURL(/\/\?notice=deleted/);
    await other.close();

    const gone = ui.page.getByRole('alert').filter({ hasText: 'This session no longer exists' });
    await gone.waitFor({ timeout: 15_000 });
    assert.equal(await gone.getByRole('link', { name: 'the list of sessions' }).getAttribute('href'), '/');
    const soFar = asked.length;
    await ui.page.waitForTimeout(4_000);
    assert.equal(asked.length, soFar, `no stream is asked for again once the session is gone (asked ${asked.length} times)`);
    assert.equal(await ui.page.locator('#connection').isHidden(), true, 'the server is not said to be down: it answered');
    ui.errors.splice(before, ui.errors.length - before, ...ui.errors.slice(before).filter((e) => !/404|Not Found|sse:error/.test(e)));
  });

  test('screenshots of the workspace and of a phone for the README', { skip: process.env.CARDTRAIL_SCREENSHOT !== '1' && 'set CARDTRAIL_SCREENSHOT=1' }, async () => {
    const shot = (name: string) => ({ path: join(REPO_ROOT, 'docs', name), animations: 'disabled' as const, caret: 'initial' as const });
    await startHello();
    await ui.page.locator('#f-name').fill('Ada Lovelace');
    await ui.page.locator('#f-name').press('Enter');
    await ui.page.locator('#f-greeting').fill('Dear Ada, welcome back');
    await ui.page.locator('#f-greeting').press('Enter');
    await ui.page.locator('#card-name').getByRole('button', { name: /^Edit/ }).click();
    await ui.page.locator('#f-name').fill('Grace Hopper');
    await ui.page.locator('#f-name').press('Enter');
    await ui.page.locator('.suggestion').waitFor();
    await ui.page.getByRole('tab', { name: /^Activity/ }).click();
    await ui.page.screenshot({ ...shot('screenshot-workspace.png'), clip: { x: 0, y: 0, width: 1100, height: 760 } });
    await ui.page.setViewportSize({ width: 390, height: 844 });
    await ui.page.goto('/');
    await ui.page.evaluate(() => document.querySelector('#sessions')?.closest('section')?.scrollIntoView());
    await ui.page.screenshot(shot('screenshot-phone.png'));
  });
});
