// At a phone's width (390 px), every action on the home page, a session and its history is on screen: no
// control starts or ends outside the viewport, and nothing makes the page scroll sideways. The side pane
// comes below the cards.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { browserSuite, type BrowserSuite } from '../support/browser.ts';
import { assertAllOnScreen as check } from '../support/on-screen.ts';

let ui: BrowserSuite;
const WIDTH = 390;

/** Every control on screen and no sideways scroll at the phone's width. */
const assertAllOnScreen = (where: string) => check(ui.page, WIDTH, where);

describe('browser: a 390 px phone keeps every action on screen', { timeout: 90_000 }, () => {
  ui = browserSuite({ tempPrefix: 'cardtrail-phone-', viewport: { width: WIDTH, height: 844 } });

  test('home (empty and with sessions), a session with its side pane below, history, the past', async () => {
    await ui.page.goto('/');
    await assertAllOnScreen('first-run home');
    for (const name of ['Ada Lovelace, with a name long enough to wrap on a phone', 'Grace']) {
      await ui.page.goto('/');
      await ui.page.getByRole('button', { name: 'Start Hello', exact: true }).click();
      await ui.page.locator('#card-name.open').waitFor();
      await ui.page.locator('#f-name').fill(name);
      await ui.page.locator('#f-name').press('Enter');
      await ui.page.locator('#card-greeting.open').waitFor();
      await ui.page.locator('#f-greeting').press('Enter');
      await ui.page.locator('#card-finish').waitFor();
    }
    await assertAllOnScreen('a done session');
    const [trail, pane] = await Promise.all([ui.page.locator('#trail').boundingBox(), ui.page.locator('.side-pane').boundingBox()]);
    assert.ok(trail && pane && pane.y >= trail.y + trail.height, 'the side pane is below the cards');
    await ui.page.getByRole('tab', { name: /^Activity/ }).click();
    await assertAllOnScreen('a done session, Activity tab');

    await ui.page.getByRole('link', { name: 'History' }).click();
    await ui.page.locator('#timeline').waitFor();
    await assertAllOnScreen('history');
    await ui.page.locator('#timeline tr[data-seq="3"]').getByRole('link', { name: 'See the session as it was here' }).click();
    await ui.page.locator('.banner.past').waitFor();
    await assertAllOnScreen('the past');

    await ui.page.goto('/');
    await ui.page.locator('#sessions').waitFor();
    await assertAllOnScreen('home with sessions');

    // A done card whose labels are long (the link graph's scope): the answers stay wide enough to read.
    await ui.page.locator('.workflow-menu summary').click();
    await ui.page.getByRole('button', { name: /^Link graph/ }).click();
    await ui.page.locator('#card-start.open').waitFor();
    await ui.page.locator('#f-startUrl').fill('http://127.0.0.1:9/');
    await ui.page.locator('#f-startUrl').press('Enter');
    await ui.page.locator('#card-scope.open').waitFor();
    await ui.page.locator('#card-scope form[hx-post$="/steps/scope"] button[type=submit]').click();
    await ui.page.locator('#card-scope.done').waitFor();
    await assertAllOnScreen('a done card with long labels');
    const narrowest = await ui.page.locator('#card-scope dd').evaluateAll((dds) => Math.min(...dds.map((dd) => dd.getBoundingClientRect().width)));
    assert.ok(narrowest >= 150, `every answer is readable: the narrowest is ${Math.round(narrowest)} px wide`);
    await ui.page.locator('.workflow-menu summary').click();
    await assertAllOnScreen('home with the workflows menu open');
  });
});
