// Output widgets at their edges, in Chromium with axe-core: code, Markdown code and a diagram's source wider than
// their card can be reached and scrolled from the keyboard, named and with a visible focus; the table's grid holds
// only rows (with rows, paged, sorted, with no rows, with no columns) and stays usable from the keyboard.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { listen, tempDir, testApp, type Listening } from '../support/app.ts';
import { axeViolations } from '../support/axe.ts';
import { closeBrowser, launchBrowser, newPage } from '../support/browser.ts';
import type { Cardtrail } from '../../app/server.ts';

const WORKFLOWS = join(import.meta.dirname, '../fixtures/widgets/workflows');

let browser: Browser | undefined;
let ct: Cardtrail | undefined;
let server: Listening | undefined;
let cleanup = async () => {};

/** What the keyboard focus is on: its role, its name, and whether it scrolls sideways and shows an outline. */
type Focused = { role: string; name: string; scrollsSideways: boolean; outlined: boolean };
const focused = (page: Page): Promise<Focused> =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement;
    const style = getComputedStyle(el);
    return {
      role: el.getAttribute('role') ?? el.tagName.toLowerCase(),
      name: el.getAttribute('aria-label') ?? el.textContent!.trim().slice(0, 40),
      scrollsSideways: el.scrollWidth > el.clientWidth,
      outlined: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
    };
  });

/** A new session of the fixture with its first step done, so its card shows every output; page errors collected. */
async function outputsShown(errors: string[], page: Page): Promise<void> {
  await page.goto('/');
  await page.getByRole('button', { name: 'Start Scrolling outputs', exact: true }).click();
  await page.locator('#card-show[data-current] > form button[type=submit]').click();
  await page.locator('#card-end[data-current]').waitFor();
  await page.locator('#card-show .mermaid-target[data-rendered]').waitFor({ timeout: 15_000 });
  assert.deepEqual(errors, []);
}

describe('browser: scrolling outputs and tables with axe-core and the keyboard', { timeout: 120_000 }, () => {
  before(async () => {
    const temp = await tempDir('cardtrail-widgets-a11y-');
    cleanup = temp.cleanup;
    ct = await testApp({ dataDir: temp.dir, workflowsDir: WORKFLOWS });
    server = await listen(ct);
    browser = await launchBrowser();
  });

  after(async () => {
    await closeBrowser(browser);
    await server?.close();
    ct?.close();
    await cleanup();
  });

  test('code, Markdown code and a diagram source wider than the card: each reached by Tab, named, outlined, scrolled by arrows', async () => {
    const { context, page, errors } = await newPage(browser!, { baseURL: server!.url, viewport: { width: 700, height: 900 } });
    try {
      await outputsShown(errors, page);
      await page.locator('#card-show .mermaid-widget summary').click();
      assert.deepEqual(await axeViolations(page, 'wide blocks', '#card-show .output-code, #card-show .output-markdown, #card-show .output-mermaid'), []);

      await page.locator('#card-show .code-widget button[data-copy]').focus();
      const blocks: Focused[] = [];
      for (let i = 0; i < 4; i++) {
        await page.keyboard.press('Tab');
        const now = await focused(page);
        if (now.role !== 'group') continue;
        blocks.push(now);
        await page.keyboard.press('ArrowRight');
        await page.waitForFunction(() => document.activeElement!.scrollLeft > 0);
      }
      assert.deepEqual(
        blocks.map((b) => b.name),
        ['Code in typescript', 'Code', 'Mermaid source of the diagram'],
        'Tab reaches each block, by its name',
      );
      for (const b of blocks) {
        assert.ok(b.scrollsSideways, `${b.name}: wider than its card (so the test means something)`);
        assert.ok(b.outlined, `${b.name}: the focus is visible`);
      }
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('tables with rows, paged and sorted, with no rows and with no columns: no axe violation; headers, rows and pager by keyboard', async () => {
    const { context, page, errors } = await newPage(browser!, { baseURL: server!.url, viewport: { width: 1000, height: 900 } });
    try {
      await outputsShown(errors, page);
      await page.waitForFunction(() => document.querySelectorAll('#card-show .table-widget[data-ready]').length === 2);
      const found = await axeViolations(page, 'tables as shown');
      const grid = page.getByRole('grid', { name: 'Thirty rows' });
      assert.equal(await grid.getByRole('row').count(), 11, 'a header row and one page of ten');

      // Keyboard: a column header sorts with Enter, the rows scroll from the keyboard, the pager is reached by Tab.
      // Tabulator marks the header sorted once the sorted rows have arrived.
      const word = grid.getByRole('columnheader', { name: 'word' });
      await word.focus();
      await page.keyboard.press('Enter');
      await grid.locator('[role=columnheader][tabulator-field=c1][aria-sort=ascending]').waitFor();
      await page.keyboard.press('Enter');
      await grid.locator('[role=columnheader][tabulator-field=c1][aria-sort=descending]').waitFor();
      await page.waitForFunction(() => document.querySelector('#card-show [role=gridcell][tabulator-field="c1"]')?.textContent === 'word 30');
      await page.keyboard.press('Tab');
      const rows = await focused(page);
      assert.equal(rows.role, 'rowgroup', 'Tab goes on to the rows');
      assert.ok(rows.outlined, 'the focus on the rows is visible');
      let pager = '';
      for (let i = 0; i < 8 && pager !== 'Next Page'; i++) {
        await page.keyboard.press('Tab');
        pager = (await focused(page)).name;
      }
      assert.equal(pager, 'Next Page', 'Tab reaches the pager');
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.querySelector('#card-show [role=gridcell][tabulator-field="c1"]')?.textContent === 'word 20');
      found.push(...(await axeViolations(page, 'sorted, second page')));
      assert.deepEqual(found, [], `axe found ${found.length} violation(s):\n${found.join('\n')}`);

      const empty = page.getByRole('grid', { name: 'Columns, no rows' });
      assert.deepEqual(await empty.getByRole('columnheader').allTextContents(), ['n', 'word']);
      assert.match((await empty.textContent()) ?? '', /No rows/);
      assert.match((await page.locator('#card-show .table-widget').nth(2).textContent()) ?? '', /Nothing at all.*0 rows.*No columns to show/s);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});
