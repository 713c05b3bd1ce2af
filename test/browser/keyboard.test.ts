// Hello, trip and ticker driven with the keyboard alone (Tab, Enter and Space to move and act; typing for
// values), asserting after each action where focus lands, that it lands within reach, and that every control
// passed on the way shows a focus ring of at least 3:1 in light and dark.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { browserSuite, type BrowserSuite } from '../support/browser.ts';
import { assertRing, expectFocus, focusedHtml, tabTo } from '../support/focus.ts';

let ui: BrowserSuite;

/** Starts a workflow from the home page's list with Tab and Enter. */
async function startByKeyboard(title: string): Promise<void> {
  await ui.page.goto('/');
  await tabTo(ui.page, 'button', 40, `Start ${title}`);
  await ui.page.keyboard.press('Enter');
  await ui.page.waitForURL(/\/s\/[A-Za-z0-9_-]{21}$/);
}

/** Selects what a text field holds and types over it. */
async function typeOver(text: string): Promise<void> {
  await ui.page.keyboard.press('Control+A');
  await ui.page.keyboard.press('Backspace');
  if (text) await ui.page.keyboard.type(text);
}

/** Types each value over the field that has focus, with a Tab between them. */
async function fillByKeyboard(values: string[]): Promise<void> {
  for (const [i, value] of values.entries()) {
    if (i) await ui.page.keyboard.press('Tab');
    await typeOver(value);
  }
}

describe('browser: keyboard only, focus after every action', { timeout: 120_000 }, () => {
  ui = browserSuite({ tempPrefix: 'cardtrail-keyboard-', viewport: { width: 1100, height: 800 } });

  test('the skip link is the first stop and moves focus to the content', async () => {
    await ui.page.goto('/');
    await ui.page.keyboard.press('Tab');
    await expectFocus(ui.page, 'a.skip-link', 'the first Tab');
    assert.ok(await ui.page.locator('a.skip-link').isVisible(), 'the skip link shows when focused');
    await assertRing(ui.page, 'skip link');
    await ui.page.keyboard.press('Enter');
    await expectFocus(ui.page, 'main#main', 'after the skip link');
  });

  test('hello: each field, Finalize, Unfinalize, Edit, an invalid value, the changed suggestion', async () => {
    await startByKeyboard('Hello');
    await expectFocus(ui.page, '#card-name #f-name', 'on load');
    await ui.page.keyboard.type('Ada');
    await ui.page.keyboard.press('Enter');
    await expectFocus(ui.page, '#card-greeting #f-greeting', 'after the name');
    await assertRing(ui.page, 'greeting field');
    await typeOver('Hi there');
    await ui.page.keyboard.press('Enter');
    await expectFocus(ui.page, '#card-finish button.primary', 'after the last step');
    await ui.page.keyboard.press('Enter');
    await expectFocus(ui.page, '#card-finish.finalized button[type=submit]', 'after Finalize');
    assert.equal(await ui.page.evaluate(() => document.activeElement?.textContent?.trim()), 'Unfinalize');
    await assertRing(ui.page, 'Unfinalize');
    await ui.page.keyboard.press('Space');
    await expectFocus(ui.page, '#card-finish:not(.finalized) button.primary', 'after Unfinalize');

    // Edit the first step: the button names its step, and its description says what reopens with it.
    const tabs = await tabTo(ui.page, '#card-name button[aria-describedby="reopens-name"]');
    assert.ok(tabs <= 25, `Edit Your name is ${tabs} Tabs away`);
    assert.equal(await ui.page.evaluate(() => document.activeElement?.textContent?.trim()), 'Edit Your name');
    assert.match((await ui.page.locator('#reopens-name').textContent())!, /reopens Greeting/);
    await assertRing(ui.page, 'Edit (outlined)');
    await ui.page.keyboard.press('Enter');
    await expectFocus(ui.page, '#card-name #f-name', 'after Edit');

    // An empty name is refused: focus stays on the field, marked invalid.
    await typeOver('');
    await ui.page.keyboard.press('Enter');
    await expectFocus(ui.page, '#card-name #f-name[aria-invalid="true"]', 'after an invalid value');

    // A new name: the typed greeting is kept, and the new suggestion is one Tab and one Space away.
    await ui.page.keyboard.type('Grace');
    await ui.page.keyboard.press('Enter');
    await expectFocus(ui.page, '#card-greeting #f-greeting', 'after the new name');
    assert.equal(await ui.page.locator('#f-greeting').inputValue(), 'Hi there');
    await ui.page.keyboard.press('Tab');
    await expectFocus(ui.page, '.suggestion button', 'the offer beside the kept value');
    await ui.page.keyboard.press('Space');
    await expectFocus(ui.page, '#f-greeting', 'after using the suggestion');
    assert.equal(await ui.page.locator('#f-greeting').inputValue(), 'Hello Grace!');
  });

  test('a note saved from the keyboard: focus lands on the note, and it is announced', async () => {
    await startByKeyboard('Hello');
    await ui.page.keyboard.type('Ada');
    await ui.page.keyboard.press('Enter');
    await expectFocus(ui.page, '#card-greeting #f-greeting', 'after the name');
    await tabTo(ui.page, '#card-name .notes summary');
    await ui.page.keyboard.press('Enter');
    await ui.page.keyboard.press('Tab');
    await expectFocus(ui.page, '#card-name .notes textarea', 'the note field');
    await ui.page.keyboard.type('Asked her twice');
    await ui.page.keyboard.press('Tab');
    await ui.page.keyboard.press('Enter');
    await expectFocus(ui.page, '#card-name .notes li:last-child', 'after Save note');
    assert.match((await ui.page.evaluate(() => document.activeElement?.textContent)) ?? '', /Asked her twice/);
    await ui.page.waitForFunction(() => /Note saved/.test(document.getElementById('announcer')?.textContent ?? ''));
  });

  test('trip: checkboxes with Space, nested fields, a refused budget, Edit Places', async () => {
    await startByKeyboard('Plan a trip');
    await expectFocus(ui.page, '#card-places input[type=checkbox]', 'on load');
    await ui.page.keyboard.press('Space');
    await tabTo(ui.page, '#f-days', 8);
    await ui.page.keyboard.press('Enter');
    await expectFocus(ui.page, '#card-traveller #f-traveller-name', 'after Places');
    await ui.page.keyboard.type('Ann');
    await ui.page.keyboard.press('Enter');
    await expectFocus(ui.page, '#card-budget #f-budget', 'after Traveller');
    await typeOver('1');
    await ui.page.keyboard.press('Enter');
    await expectFocus(ui.page, '#card-budget #f-budget[aria-invalid="true"]', 'after a budget under the minimum');
    await typeOver('900');
    await ui.page.keyboard.press('Enter');
    await expectFocus(ui.page, '#card-finish button.primary', 'after Budget');
    await tabTo(ui.page, '#card-places button[aria-describedby="reopens-places"]');
    assert.equal(await ui.page.evaluate(() => document.activeElement?.textContent?.trim()), 'Edit Places');
    assert.match((await ui.page.locator('#reopens-places').textContent())!, /reopens Traveller, Budget too/);
    await ui.page.keyboard.press('Enter');
    await expectFocus(ui.page, '#card-places input[type=checkbox]', 'after Edit Places');
  });

  test('ticker: started from the header menu; Cancel while it runs, the message after a failure, the next field', async () => {
    await ui.page.goto('/');
    await tabTo(ui.page, '.workflow-menu summary');
    await ui.page.keyboard.press('Enter');
    // Escape, from the summary or from inside the menu, closes it and gives focus back to its summary.
    await ui.page.keyboard.press('Tab');
    await ui.page.keyboard.press('Escape');
    assert.equal(await ui.page.locator('.workflow-menu').getAttribute('open'), null, 'Escape closes the menu');
    await expectFocus(ui.page, '.workflow-menu summary', 'after Escape');
    await ui.page.keyboard.press('Enter');
    await tabTo(ui.page, '.workflow-menu button', 5, 'Ticker (job demo)');
    await ui.page.keyboard.press('Enter');
    await ui.page.waitForURL(/\/s\/[A-Za-z0-9_-]{21}$/);
    await expectFocus(ui.page, '#f-ticks', 'on load');
    await fillByKeyboard(['400', '100']);
    await ui.page.keyboard.press('Enter');
    // Focus lands on the job's status, not on Cancel: a second Enter must not end the job just started.
    await expectFocus(ui.page, '#card-simulate.job .job-live', 'after Run');
    await ui.page.keyboard.press('Enter');
    // Progress updates swap the bar, never focus.
    await ui.page.waitForFunction(() => Number(document.querySelector<HTMLElement>('.job-progress')?.dataset.done) >= 2);
    await expectFocus(ui.page, '#card-simulate.job .job-live', 'while progress streams, after a second Enter');
    await ui.page.keyboard.press('Tab');
    assert.equal(await ui.page.evaluate(() => document.activeElement?.textContent?.trim()), 'Cancel the job of Simulate');
    await assertRing(ui.page, 'Cancel (outlined)');
    await ui.page.keyboard.press('Space');
    await ui.page.locator('.job-ending[data-job-status=cancelled]').waitFor();
    await expectFocus(ui.page, '#f-ticks', 'after Cancel');

    // A failure: focus on the message that says why, and the next Tab reaches the first field.
    await fillByKeyboard(['5', '10', '2']);
    await ui.page.keyboard.press('Enter');
    await expectFocus(ui.page, '.job-ending[data-job-status=failed]', 'after a failure');
    assert.match((await focusedHtml(ui.page))!, /failed on purpose/);
    await ui.page.keyboard.press('Tab');
    await expectFocus(ui.page, '#f-ticks', 'the Tab after the message');

    // A run to the end: the next step's field.
    await fillByKeyboard(['3', '10', '']);
    await ui.page.keyboard.press('Enter');
    await expectFocus(ui.page, '#card-review #f-verdict', 'after the job finished');
  });

  test('every control of a done session shows a focus ring of 3:1 or more, light and dark', async () => {
    await startByKeyboard('Hello');
    await ui.page.keyboard.type('Ada');
    await ui.page.keyboard.press('Enter');
    await expectFocus(ui.page, '#f-greeting', 'after the name');
    await ui.page.keyboard.press('Enter');
    await expectFocus(ui.page, '#card-finish button', 'after the last step');
    await ui.page.addStyleTag({ content: '*, *::before, *::after { transition: none !important; }' });
    for (const scheme of ['light', 'dark'] as const) {
      await ui.page.emulateMedia({ colorScheme: scheme });
      await ui.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      const seen = new Set<string>();
      for (let n = 0; n < 60; n++) {
        await ui.page.keyboard.press('Tab');
        const key = await focusedHtml(ui.page);
        if (seen.has(key)) break;
        seen.add(key);
        if (key === 'nothing' || key.startsWith('<body')) continue;
        await assertRing(ui.page, `${scheme}, stop ${n + 1}`);
      }
      assert.ok(seen.size >= 15, `${scheme}: ${seen.size} controls reached`);
    }
  });
});
