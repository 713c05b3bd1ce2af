// Every field kind in Chromium against `cardtrail serve`: the kitchen-sink workflow filled by a person's actions
// (typing, a slider, radio buttons, a searched list of choices, a switch, date pickers, list rows added and moved
// with htmx, a password and a file), then reloaded, reverted and edited (the conditional step disappears), forked,
// exported and imported. The secret never appears in any page. Waits are on DOM state, never on fixed sleeps.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { browserSuite, type BrowserSuite } from '../support/browser.ts';

let ui: BrowserSuite;

const SECRET = 'tok_browser_5e8d0c2a71bf';
const SESSION_URL = /\/s\/[A-Za-z0-9_-]{21}$/;

/** The open card's locator for a step. */
const open = (step: string) => ui.page.locator(`#card-${step}.open`);

/** Submits the open card with its button and waits for it to be done. */
async function submit(step: string, button = 'Continue'): Promise<void> {
  await open(step).getByRole('button', { name: button, exact: true }).click();
  await ui.page.locator(`#card-${step}.done`).waitFor();
}

/** A done card's values as key=text, in order. */
function doneValues(step: string): Promise<string[]> {
  return ui.page.$$eval(`#card-${step}.done dd`, (dds) => dds.map((dd) => `${(dd as HTMLElement).dataset.key}=${dd.textContent}`));
}

/** Every done card's values, for comparing two pages. */
async function allDone(): Promise<Record<string, string[]>> {
  const steps = await ui.page.$$eval('#trail article.done', (cards) => cards.map((c) => (c as HTMLElement).dataset.step!));
  return Object.fromEntries(await Promise.all(steps.map(async (s) => [s, await doneValues(s)] as const)));
}

/** Fails if the page holds the secret anywhere (markup, attributes, inputs' current values). */
async function noSecret(where: string): Promise<void> {
  const html = await ui.page.content();
  const values = await ui.page.$$eval('input, textarea', (els) => els.map((e) => (e as HTMLInputElement).value).join('\n'));
  assert.ok(!html.includes(SECRET) && !values.includes(SECRET), `the secret is on the page (${where})`);
}

async function fillBasics(depth: string): Promise<void> {
  const card = open('basics');
  await card.locator('#f-name').fill('Ada Lovelace');
  await card.locator('#f-bio').fill('Engines and notes.');
  await card.locator('#f-budget').fill('12.5');
  await card.locator('#f-depth').fill(depth);
  await card.locator('#f-level').fill('8');
  assert.equal(await card.locator('output').textContent(), '8 of 10', 'the slider shows its value');
  await card.locator('#f-pace').selectOption('fast');
  await card.getByRole('radio', { name: 'Medium' }).check();
  // 15 columns: a search box narrows the list as one types; what is chosen stays.
  const search = card.getByRole('searchbox', { name: 'Search the options of Columns' });
  await search.fill('sco');
  await ui.page.waitForFunction(() => document.querySelectorAll('#f-columns-options label:not([hidden])').length === 3);
  await card.getByRole('checkbox', { name: 'score' }).check();
  await search.fill('');
  await card.getByRole('checkbox', { name: 'I agree to the terms' }).check();
  await card.getByRole('switch', { name: 'Dry run' }).check();
}

async function fillTimes(slot: string): Promise<void> {
  const card = open('times');
  await card.locator('#f-start').fill('2026-03-07');
  await card.locator('#f-at').fill('09:30');
  await card.locator('#f-meeting').fill('2026-03-07T14:00');
  await card.getByRole('radio', { name: slot }).check();
}

describe('browser: every field kind, a conditional step, reload, revert, edit, fork, export and import', { timeout: 120_000 }, () => {
  ui = browserSuite({ tempPrefix: 'cardtrail-browser-kitchen-', viewport: { width: 1000, height: 900 } });

  test('kitchen sink round trip', async () => {
    await ui.page.goto('/');
    await ui.page.getByRole('button', { name: 'Start Kitchen sink (every field kind)', exact: true }).click();
    await ui.page.waitForURL(SESSION_URL);
    const id = ui.page.url().split('/').pop()!;

    await fillBasics('3');
    await submit('basics');
    assert.deepEqual(await doneValues('basics'), [
      'name=Ada Lovelace', 'bio=Engines and notes.', 'budget=12.5', 'depth=3', 'level=8 of 10', 'pace=fast', 'size=Medium',
      'columns=id, title, score', 'agree=Yes', 'dryRun=Dry run only',
    ]);

    // Options derived from the depth: deeper runs get the longer slots.
    assert.equal(await open('times').getByRole('radio', { name: 'half a day' }).count(), 1);
    await fillTimes('2 hours');
    await submit('times');
    assert.deepEqual(await doneValues('times'), ['start=7 Mar 2026', 'at=09:30', 'meeting=7 Mar 2026, 14:00', 'slot=2 hours']);

    // A JSON mistake is shown in place with its line and column; the text stays as typed.
    const links = open('links');
    assert.equal(await links.locator('#f-contact').inputValue(), 'ada.lovelace@example.com', 'suggested from the name');
    await links.locator('#f-site').fill('HTTPS://Example.com/Docs');
    await links.locator('#f-code').fill('ADA-123');
    await links.locator('#f-config').fill('{\n  "retries": 5,\n  "tags" ["a"]\n}');
    await links.getByRole('button', { name: 'Continue' }).click();
    await ui.page.locator('#f-config-error').waitFor();
    assert.equal(await ui.page.locator('#f-config-error').textContent(), 'Settings (JSON) is not JSON: expected ":" after a key at line 3, column 10.');
    assert.equal(await open('links').locator('#f-config').inputValue(), '{\n  "retries": 5,\n  "tags" ["a"]\n}');
    await open('links').locator('#f-config').fill('{"retries": 5, "tags": ["a"]}');
    await submit('links');
    assert.deepEqual(await doneValues('links'), ['site=https://example.com/Docs', 'contact=ada.lovelace@example.com', 'code=ADA-123', 'config={"retries":5,"tags":["a"]}']);

    // Depth 3: the details step is asked. Its list starts with one row; rows are added and moved with htmx.
    const details = open('details');
    await details.locator('#f-owner-ownerName').fill('Ann');
    await details.locator('#f-stops-0-place').fill('Lisbon');
    await details.getByRole('button', { name: 'Add a stop to Stops' }).click();
    await ui.page.locator('#f-stops-1-place').waitFor();
    await ui.page.waitForFunction(() => document.activeElement?.id === 'f-stops-1-place', undefined, { timeout: 3_000 });
    assert.equal(await ui.page.locator('#f-stops-0-place').inputValue(), 'Lisbon', 'the typed row is kept');
    assert.equal(await ui.page.locator('#f-owner-ownerName').inputValue(), 'Ann');
    await ui.page.locator('#f-stops-1-place').fill('Porto');
    await ui.page.locator('#f-stops-1-nights').fill('3');
    await ui.page.getByRole('button', { name: 'Move stop 2 up' }).click();
    await ui.page.waitForFunction(() => (document.querySelector('#f-stops-0-place') as HTMLInputElement | null)?.value === 'Porto');
    await ui.page.waitForFunction(() => document.activeElement?.id === 'f-stops-0-place', undefined, { timeout: 3_000 });
    await ui.page.getByRole('button', { name: 'Add a stop to Stops' }).click();
    await ui.page.locator('#f-stops-2-place').waitFor();
    await ui.page.getByRole('button', { name: 'Remove stop 3' }).click();
    await ui.page.waitForFunction(() => !document.querySelector('#f-stops-2-place'));
    await submit('details');
    assert.deepEqual(await doneValues('details'), ['owner=Owner name: Ann; Team: —', 'stops=1) Place: Porto, Nights: 3; 2) Place: Lisbon, Nights: 1']);

    // A password and a file; then the job gets the real token and reads the file.
    await open('access').locator('#f-token').fill(SECRET);
    await open('access').locator('#f-keywords').setInputFiles({ name: 'keywords.txt', mimeType: 'text/plain', buffer: Buffer.from('one\ntwo\n') });
    await submit('access');
    assert.deepEqual(await doneValues('access'), ['token=set, ends in …bf', 'keywords=keywords.txt (8 bytes)']);
    await noSecret('after the access step');
    await open('check').getByRole('button', { name: 'Run' }).click();
    await ui.page.locator('#card-check.done').waitFor({ timeout: 10_000 });
    assert.deepEqual(await doneValues('check'), ['tokenLength=24', 'lines=2']);

    // Reload: the same cards from the log.
    const before = await allDone();
    await ui.page.reload();
    await ui.page.locator('#card-finish').waitFor();
    assert.deepEqual(await allDone(), before);
    await noSecret('after a reload');

    // Edit the first step and make the depth 2: the details step is skipped with its reason; the later steps
    // come back pre-filled (the secret and the file kept without giving them again).
    await ui.page.locator('#card-basics').getByRole('button', { name: 'Edit' }).click();
    await open('basics').waitFor();
    assert.equal(await open('basics').locator('#f-name').inputValue(), 'Ada Lovelace');
    await open('basics').locator('#f-depth').fill('2');
    await submit('basics');
    await open('times').getByRole('radio', { name: '1 hour' }).check();
    await submit('times');
    await submit('links');
    assert.equal(await ui.page.locator('#card-details').textContent(), 'Details — skipped: depth is 2, details are asked from depth 3');
    assert.match((await open('access').textContent())!, /Given: keywords\.txt \(8 bytes\)\. Keep it/);
    assert.match((await open('access').locator('#f-token').getAttribute('placeholder'))!, /Set, ends in …bf/);
    await submit('access');
    await open('check').getByRole('button', { name: 'Run' }).click();
    await ui.page.locator('#card-check.done').waitFor({ timeout: 10_000 });
    assert.deepEqual(await doneValues('check'), ['tokenLength=24', 'lines=2'], 'the kept secret and file reached the job');
    await noSecret('after editing');
    const edited = await allDone();

    // Fork: a new session with the same values.
    await ui.page.locator('#card-finish').getByRole('button', { name: 'Copy to a new session' }).click();
    await ui.page.waitForURL((url) => SESSION_URL.test(url.pathname) && !url.pathname.endsWith(id));
    await ui.page.locator('#card-finish').waitFor();
    assert.deepEqual(await allDone(), edited);
    await noSecret('in the fork');

    // Export the log and import it: the secret and the file must be given again, everything before them is kept.
    const log = await (await ui.page.request.get(`/s/${id}/log.jsonl`)).body();
    assert.ok(!log.includes(SECRET), 'the exported log holds no secret');
    await ui.page.goto('/');
    await ui.page.getByText('Import a session log').click();
    await ui.page.getByLabel('Log file (.jsonl, as downloaded from a session)', { exact: true }).setInputFiles({ name: 'kitchen.jsonl', mimeType: 'application/x-ndjson', buffer: log });
    await ui.page.getByRole('button', { name: 'Import', exact: true }).click();
    await ui.page.waitForURL(SESSION_URL);
    await open('access').waitFor();
    assert.deepEqual(await doneValues('basics'), edited.basics);
    assert.equal(await open('access').getByText('Given:').count(), 0, 'the file is asked for again');
    await open('access').locator('#f-token').fill(SECRET);
    await open('access').locator('#f-keywords').setInputFiles({ name: 'keywords.txt', mimeType: 'text/plain', buffer: Buffer.from('one\ntwo\nthree\n') });
    await submit('access');
    await noSecret('in the import');
  });
});
