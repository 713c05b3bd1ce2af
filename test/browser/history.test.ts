// Real browser end-to-end for a session's past: the History timeline, viewing the session as of an entry,
// forking, editing an earlier step and notes, in Chromium against a `cardtrail serve` child process. Waits are
// on DOM state (locators, waitForFunction), never on fixed sleeps.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { browserSuite, type BrowserSuite } from '../support/browser.ts';

/** The server, browser and page of the suite below; its hooks set them up for each test. */
let ui: BrowserSuite;

const SESSION_URL = /\/s\/[A-Za-z0-9_-]{21}$/;

/** Goes home and starts hello; resolves on the new session's page with its id. */
async function startHello(): Promise<string> {
  await ui.page.goto('/');
  await ui.page.getByRole('button', { name: 'Start Hello', exact: true }).click();
  await ui.page.waitForURL(SESSION_URL);
  await ui.page.locator('#card-name.open').waitFor();
  return ui.page.url().split('/').pop()!;
}

/** Types a name on the open name card and presses Enter; resolves when the greeting card is open. */
async function submitName(name: string): Promise<void> {
  await ui.page.locator('#card-name.open #f-name').fill(name);
  await ui.page.locator('#f-name').press('Enter');
  await ui.page.locator('#card-name.done').waitFor();
  await ui.page.locator('#card-greeting.open').waitFor();
}

/** Submits the open greeting as it is (or with the given text); resolves when every step is done. */
async function submitGreeting(text?: string): Promise<void> {
  if (text !== undefined) await ui.page.locator('#card-greeting.open #f-greeting').fill(text);
  await ui.page.locator('#card-greeting.open #f-greeting').press('Enter');
  await ui.page.locator('#card-greeting.done').waitFor();
  await ui.page.locator('#card-finish').waitFor();
}

/** A done card's value. */
function doneValue(step: string, key: string, p: Page = ui.page): Promise<string | null> {
  return p.locator(`#card-${step}.done dd[data-key="${key}"]`).textContent();
}

/** Opens the session's History from the link in its header; resolves when the timeline is shown. */
async function openHistory(): Promise<void> {
  await ui.page.getByRole('navigation', { name: 'Session' }).getByRole('link', { name: 'History' }).click();
  await ui.page.waitForURL(/\/history$/);
  await ui.page.locator('#timeline').waitFor();
}

/** The timeline's rows as "seq type: text", for readable comparisons and failure messages. */
function timelineRows(): Promise<string[]> {
  return ui.page.$$eval('#timeline tbody tr', (rows) =>
    rows.map((tr) => `${(tr as HTMLElement).dataset.seq} ${(tr as HTMLElement).dataset.type}: ${tr.children[2]?.textContent?.replace(/\s+/g, ' ').trim()}`),
  );
}

describe('browser: history, the past, forks, edits and notes in Chromium against `cardtrail serve`', { timeout: 90_000 }, () => {
  ui = browserSuite({ tempPrefix: 'cardtrail-browser-history-', viewport: { width: 1000, height: 800 } });

  test('timeline: every entry with its source, the chain intact, the session as of an entry, back to the present', async () => {
    const id = await startHello();
    const live = ui.page.url();
    await submitName('Ada');
    await submitGreeting();

    await openHistory();
    const rows = await timelineRows();
    assert.equal(rows.length, 5, rows.join('\n'));
    assert.match(rows[0]!, /^1 session\.started: Session started \(workflow version \w+\)$/);
    assert.equal(rows[1], '2 param.set: Your name · Name: Ada (typed by you)');
    assert.match(rows[2]!, /^3 step\.completed: .*Your name/);
    assert.equal(rows[3], '4 param.set: Greeting · Greeting: Hello Ada! (suggested default)');
    assert.match(rows[4]!, /^5 step\.completed: .*Greeting/);
    const integrity = ui.page.locator('.integrity.ok');
    assert.match((await integrity.textContent())!, /Log intact: 5 entries/);
    assert.equal(await ui.page.locator('.integrity.bad').count(), 0);
    assert.equal(await ui.page.locator('#timeline').getByRole('link', { name: 'See the session as it was here' }).count(), 5);

    // The row where the name was set opens the session as of the end of that write (the value and the step's
    // completion are written together): the name done, the greeting waiting, read-only.
    await ui.page.locator('#timeline tr[data-seq="2"]').getByRole('link', { name: 'See the session as it was here' }).click();
    await ui.page.waitForURL(new RegExp(`/s/${id}/at/3$`));
    const banner = ui.page.locator('.banner.past');
    await banner.waitFor();
    assert.match((await banner.textContent())!, /Viewing the past: the session as it was after entry 3 .*Nothing here can be changed\./);
    assert.equal(await doneValue('name', 'name'), 'Ada');
    const greeting = ui.page.locator('#card-greeting.pending');
    await greeting.waitFor();
    assert.match((await greeting.textContent())!, /Greeting \(waiting for input at this point\)/);
    // Nothing to change in the trail: no forms, fields or buttons (Revert, Fork, notes), and no finish card.
    assert.equal(await ui.page.locator('#trail form, #trail input, #trail textarea, #trail button, #trail details').count(), 0);
    assert.equal(await ui.page.getByRole('button', { name: 'Edit' }).count(), 0);
    assert.equal(await ui.page.locator('#card-finish').count(), 0);
    assert.equal(await ui.page.locator('#trail [data-current]').count(), 0, 'no card is current in the past');
    assert.equal(await ui.page.locator('#trail .open').count(), 0);

    // The same works for the very first entry: nothing done yet.
    await ui.page.goto(`/s/${id}/history`);
    await ui.page.locator('#timeline tr[data-seq="1"]').getByRole('link', { name: 'See the session as it was here' }).click();
    await ui.page.locator('.banner.past').waitFor();
    assert.equal(await ui.page.locator('#trail .done').count(), 0);
    assert.match((await ui.page.locator('#card-name').textContent())!, /waiting for input at this point/);

    // Back to the present: the live page, values and Revert buttons back.
    await ui.page.locator('.banner.past').getByRole('button', { name: 'Back to the session now' }).click();
    await ui.page.waitForURL(live);
    await ui.page.locator('#card-finish').getByText('All steps are done.').waitFor();
    assert.equal(await ui.page.locator('.banner.past').count(), 0);
    assert.equal(await doneValue('name', 'name'), 'Ada');
    assert.equal(await doneValue('greeting', 'greeting'), 'Hello Ada!');
    assert.equal(await ui.page.getByRole('button', { name: 'Edit' }).count(), 2);

    // The History page's own "Back to the present" link goes there too.
    await openHistory();
    await ui.page.locator('main').getByRole('link', { name: 'Back to the session' }).click();
    await ui.page.waitForURL(live);
    await ui.page.locator('#card-finish').waitFor();
  });

  test('copy: "Copy to a new session" on the name card starts a new session with the name done and the greeting suggested', async () => {
    const original = await startHello();
    const originalUrl = ui.page.url();
    await submitName('Ada');
    await submitGreeting('Good morning, Ada');

    await ui.page.locator('#card-name.done').getByRole('button', { name: 'Copy to a new session' }).click();
    await ui.page.waitForURL((url) => SESSION_URL.test(url.pathname) && url.href !== originalUrl);
    const forked = ui.page.url().split('/').pop()!;
    assert.notEqual(forked, original);

    // A notice names where it came from, linking to the original and to that moment.
    const header = ui.page.locator('.notice.origin');
    assert.match((await header.textContent())!, new RegExp(`a copy of session ${original}, with its values up to entry \\d+`));
    assert.equal(await header.getByRole('link', { name: `session ${original}` }).getAttribute('href'), `/s/${original}`);
    const origin = header.getByRole('link', { name: /^entry \d+$/ });
    assert.match((await origin.getAttribute('href'))!, new RegExp(`^/s/${original}/at/\\d+$`));

    // The name is done; the greeting is open with the suggestion from the name, not the original's own greeting.
    assert.equal(await doneValue('name', 'name'), 'Ada');
    await ui.page.locator('#card-greeting.open').waitFor();
    assert.equal(await ui.page.locator('#f-greeting').inputValue(), 'Hello Ada!');
    assert.equal(await ui.page.locator('#card-finish').count(), 0);

    // The fork's History says where its values came from, and its chain is intact.
    await openHistory();
    const rows = await timelineRows();
    assert.ok(rows.includes('2 param.set: Your name · Name: Ada (copied)'), rows.join('\n'));
    assert.ok(!rows.some((r) => r.includes('Good morning')), `the later greeting is not carried:\n${rows.join('\n')}`);
    await ui.page.locator('.integrity.ok').waitFor();

    // The fork goes its own way...
    await ui.page.goto(`/s/${forked}`);
    await submitGreeting('Hi Ada');
    assert.equal(await doneValue('greeting', 'greeting'), 'Hi Ada');

    // ...and the original session still has its values.
    await ui.page.goto(originalUrl);
    await ui.page.locator('#card-finish').waitFor();
    assert.equal(await doneValue('name', 'name'), 'Ada');
    assert.equal(await doneValue('greeting', 'greeting'), 'Good morning, Ada');
    assert.equal(await ui.page.locator('.notice.origin').count(), 0);
  });

  test('edit and recompute: a reverted, changed name re-suggests the greeting; History keeps both names', async () => {
    await startHello();
    await submitName('Ada');
    await submitGreeting();
    assert.equal(await doneValue('greeting', 'greeting'), 'Hello Ada!');

    await ui.page.locator('#card-name.done').getByRole('button', { name: 'Edit' }).click();
    await ui.page.locator('#card-name.open').waitFor();
    assert.equal(await ui.page.locator('#f-name').inputValue(), 'Ada', 'the reopened form keeps the name');
    await ui.page.locator('#card-greeting.pending').waitFor();

    await submitName('Grace');
    assert.equal(await ui.page.locator('#f-greeting').inputValue(), 'Hello Grace!', 'the suggestion follows the new name');
    await submitGreeting();
    assert.equal(await doneValue('name', 'name'), 'Grace');
    assert.equal(await doneValue('greeting', 'greeting'), 'Hello Grace!');

    await openHistory();
    const rows = await timelineRows();
    const types = rows.map((r) => r.split(':')[0]!.replace(/^\d+ /, ''));
    assert.deepEqual(
      types,
      ['session.started', 'param.set', 'step.completed', 'param.set', 'step.completed', 'step.reverted', 'param.set', 'step.completed', 'param.set', 'step.completed'],
      rows.join('\n'),
    );
    // Both names and both greetings, each with where it came from; the revert names its step.
    assert.deepEqual(
      rows.filter((r) => / param\.set: /.test(r)),
      [
        '2 param.set: Your name · Name: Ada (typed by you)',
        '4 param.set: Greeting · Greeting: Hello Ada! (suggested default)',
        '7 param.set: Your name · Name: Grace (typed by you)',
        '9 param.set: Greeting · Greeting: Hello Grace! (suggested default)',
      ],
    );
    assert.match(rows[5]!, /^6 step\.reverted: .*Your name/);
    assert.match((await ui.page.locator('.integrity.ok').textContent())!, /Log intact: 10 entries/);

    // The past still has the old name: as of the first greeting, Ada and Hello Ada!.
    await ui.page.locator('#timeline tr[data-seq="5"]').getByRole('link', { name: 'See the session as it was here' }).click();
    await ui.page.locator('.banner.past').waitFor();
    assert.equal(await doneValue('name', 'name'), 'Ada');
    assert.equal(await doneValue('greeting', 'greeting'), 'Hello Ada!');
    assert.equal(await ui.page.locator('#card-finish').getByText('Every step was done at this point').count(), 1);
  });

  test('notes: a note added to the name card shows on the card, in History and (read-only) in the past', async () => {
    const id = await startHello();
    await submitName('Ada');

    const notes = ui.page.locator('#card-name.done .notes');
    assert.equal(await notes.locator('li').count(), 0);
    const form = notes.locator('details');
    assert.equal(await form.evaluate((d: HTMLDetailsElement) => d.open), false, 'the note form starts folded');
    await notes.getByText('Add a note').click();
    const text = notes.getByLabel('Note');
    await text.waitFor();
    await text.fill('Ada is the short form of Augusta Ada.');
    await notes.getByRole('button', { name: 'Save note' }).click();

    const saved = ui.page.locator('#card-name.done .notes li');
    await saved.waitFor();
    assert.match((await saved.textContent())!, /Ada is the short form of Augusta Ada\.$/);
    assert.equal(await saved.count(), 1);
    // The note changed nothing else: the name is still done, the greeting still open with its suggestion.
    assert.equal(await doneValue('name', 'name'), 'Ada');
    assert.equal(await ui.page.locator('#card-greeting.open #f-greeting').inputValue(), 'Hello Ada!');

    // An empty note is refused with a reason and adds nothing.
    await ui.page.locator('#card-name.done .notes').getByText('Add a note').click();
    await ui.page.locator('#card-name.done .notes').getByLabel('Note').fill('   ');
    await ui.page.locator('#card-name.done .notes').getByRole('button', { name: 'Save note' }).click();
    await ui.page.locator('#trail > .notice[role="alert"]').getByText('A note cannot be empty.').waitFor();
    assert.equal(await ui.page.locator('#card-name.done .notes li').count(), 1);

    // Still there after a reload: it is in the log.
    await ui.page.reload();
    await ui.page.locator('#card-name.done .notes li').getByText('Ada is the short form of Augusta Ada.').waitFor();

    await openHistory();
    const rows = await timelineRows();
    assert.equal(rows.at(-1), '4 note: Note on Your name: Ada is the short form of Augusta Ada.', rows.join('\n'));
    await ui.page.locator('.integrity.ok').getByText('Log intact: 4 entries', { exact: false }).waitFor();

    // In the past, the note is shown but cannot be added to.
    await ui.page.goto(`/s/${id}/at/4`);
    await ui.page.locator('.banner.past').waitFor();
    await ui.page.locator('#card-name.done .notes li').getByText('Ada is the short form of Augusta Ada.').waitFor();
    assert.equal(await ui.page.locator('#trail details, #trail textarea').count(), 0);
  });

  test('a line edited by hand: the session page warns once it is shown, and its link leads to the history saying where', async () => {
    const id = await startHello();
    await submitName('Ada');
    const log = join(ui.server.dataDir, 'sessions', id, 'log.jsonl');
    const lines = (await readFile(log, 'utf8')).split('\n');
    lines[1] = lines[1].replace('"Ada"', '"Eve"'); // the name's line, its hash left as it was
    await writeFile(log, lines.join('\n'));
    await ui.page.goto(`/s/${id}`);
    const warning = ui.page.locator('#integrity.banner.warning[role="alert"]');
    await warning.getByText('This log does not verify: line 2 was altered after it was written', { exact: false }).waitFor();
    await warning.getByRole('link', { name: 'history' }).click();
    await ui.page.waitForURL(new RegExp(`/s/${id}/history$`));
    await ui.page.locator('.integrity.bad').getByText('line 2 was altered', { exact: false }).waitFor();
  });
});
