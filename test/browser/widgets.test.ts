// Real browser for the output widgets: the gallery workflow's job writes 100,000 rows and some images inside a
// `cardtrail serve` child, and Chromium checks that each widget is visible and works: the table pages and sorts
// with one page of rows in the DOM, the chart's canvas is drawn, the mermaid diagram renders (its 3.5 MB script
// loaded only once a card shows one), the images decode, a download arrives with the file's exact bytes.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { browserSuite, type BrowserSuite } from '../support/browser.ts';
import { generatedGallery } from '../support/gallery.ts';

let ui: BrowserSuite;

/** Scripts and stylesheets the page fetched from /assets/. */
const loadedAssets = (p: Page) =>
  p.evaluate(() => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname).filter((n) => n.startsWith('/assets/')));


/** The first column's cells of the rows Tabulator has in the DOM. */
const firstCells = (p: Page) => p.locator('#card-generate .tabulator-row .tabulator-cell:first-child').allTextContents();

describe('browser: output widgets in Chromium against `cardtrail serve`', { timeout: 120_000 }, () => {
  ui = browserSuite({ tempPrefix: 'cardtrail-browser-widgets-', viewport: { width: 1100, height: 900 } });

  test('a page without widgets loads no widget library', async () => {
    await ui.page.goto('/');
    await ui.page.getByRole('button', { name: 'Start Hello', exact: true }).click();
    await ui.page.waitForURL(/\/s\//);
    const assets = await loadedAssets(ui.page);
    assert.ok(assets.includes('/assets/widgets.js'));
    assert.deepEqual(assets.filter((a) => /tabulator|chart|mermaid|highlight/.test(a)), []);
  });

  test('a 100,000-row table: one page in the DOM, sorted and paged by the server; the chart draws; images decode', async () => {
    const p = ui.page;
    await generatedGallery(p);
    const figure = p.locator('#card-generate .table-widget[data-ready]');
    await figure.waitFor();
    assert.match((await figure.locator('figcaption').textContent()) ?? '', /100,000 rows/);
    await p.waitForFunction(() => document.querySelectorAll('#card-generate .tabulator-row').length > 0);
    assert.deepEqual(await firstCells(p), Array.from({ length: 20 }, (_, i) => String(i + 1)));

    // Sort by n, descending (the first click sorts ascending).
    const header = figure.locator('.tabulator-col[tabulator-field="c0"] .tabulator-col-title');
    await header.click();
    await p.waitForFunction(() => document.querySelector('#card-generate .tabulator-col[tabulator-field="c0"]')?.getAttribute('aria-sort') === 'ascending');
    await header.click();
    await p.waitForFunction(() => document.querySelector('#card-generate .tabulator-row .tabulator-cell')?.textContent === '100000');
    assert.equal((await firstCells(p)).length, 20, 'only one page of rows is in the DOM');

    // The headers sort from the keyboard too: Enter on a focused header.
    const square = figure.locator('.tabulator-col[tabulator-field="c1"]');
    await square.focus();
    await p.keyboard.press('Enter');
    await p.waitForFunction(() => document.querySelector('#card-generate .tabulator-row .tabulator-cell[tabulator-field="c1"]')?.textContent === '1');
    await p.keyboard.press('Enter');
    await p.waitForFunction(() => document.querySelector('#card-generate .tabulator-row .tabulator-cell[tabulator-field="c1"]')?.textContent === '10000000000');
    await header.click();
    await p.waitForFunction(() => document.querySelector('#card-generate .tabulator-row .tabulator-cell')?.textContent === '1');
    await header.click();
    await p.waitForFunction(() => document.querySelector('#card-generate .tabulator-row .tabulator-cell')?.textContent === '100000');

    // The next page continues the descending order.
    await figure.locator('.tabulator-page[data-page="next"]').click();
    await p.waitForFunction(() => document.querySelector('#card-generate .tabulator-row .tabulator-cell')?.textContent === '99980');
    assert.deepEqual((await firstCells(p)).slice(0, 3), ['99980', '99979', '99978']);
    assert.ok((await p.locator('#card-generate .tabulator-row').count()) <= 20);

    // The chart's canvas has been drawn on: some pixels are not transparent.
    const canvas = p.locator('#card-generate canvas[data-drawn]');
    await canvas.waitFor();
    const painted = await canvas.evaluate((c: HTMLCanvasElement) => {
      const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
      return n;
    });
    assert.ok(painted > 500, `the chart painted ${painted} pixels`);

    // Both images decode (the SVG arrives sanitised, as a data: URL).
    const sizes = await p.locator('#card-generate .image-widget img').evaluateAll((imgs: HTMLImageElement[]) =>
      Promise.all(imgs.map((img) => img.decode().then(() => [img.naturalWidth, img.naturalHeight]))),
    );
    assert.deepEqual(sizes[0], [64, 32]);
    assert.ok(sizes[1][0] > 0);
    assert.equal(await p.locator('#card-generate .image-widget img').nth(1).evaluate((img: HTMLImageElement) => atob(img.src.split(',')[1]).includes('script')), false);
  });

  test('on a phone-sized screen the page does not scroll sideways; the table scrolls inside its card', async () => {
    const p = ui.page;
    await p.setViewportSize({ width: 390, height: 800 });
    await generatedGallery(p);
    await p.locator('#card-generate .table-widget[data-ready]').waitFor();
    const [page, view] = await p.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
    assert.ok(page <= view, `the page is ${page} px wide in a ${view} px window`);
  });

  test('downloads arrive with the file’s bytes, and the table’s CSV download holds every row', async () => {
    const p = ui.page;
    const id = await generatedGallery(p);
    const link = p.locator('#card-generate .downloads a', { hasText: 'images/tile.png' });
    const [file] = await Promise.all([p.waitForEvent('download'), link.click()]);
    assert.equal(file.suggestedFilename(), 'tile.png');
    const got = await readFile((await file.path())!);
    assert.deepEqual(got, await readFile(join(ui.server.dataDir, 'sessions', id, 'files/images/tile.png')));

    const [csv] = await Promise.all([p.waitForEvent('download'), p.locator('#card-generate .table-widget figcaption a').click()]);
    const lines = (await readFile((await csv.path())!, 'utf8')).trimEnd().split('\r\n');
    assert.equal(lines.length, 100_001);
    assert.equal(lines[0], 'n,square,Parity,label');
    assert.equal(lines[100_000], '100000,10000000000,even,row 100000');
  });

  test('a mermaid diagram renders once its card is swapped in, its library loaded only then; code copies', async () => {
    const p = ui.page;
    await ui.context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await generatedGallery(p);
    assert.equal((await loadedAssets(p)).some((a) => a.includes('mermaid')), false, 'no mermaid before a diagram is shown');
    await p.locator('#card-review.open').getByRole('button', { name: 'Finish' }).click();
    const svg = p.locator('#card-review .mermaid-target[data-rendered] svg');
    await svg.waitFor({ timeout: 15_000 });
    assert.match((await svg.textContent()) ?? '', /Describe.*Generate.*Review/s);
    assert.ok((await loadedAssets(p)).includes('/assets/mermaid.min.js'));
    assert.equal(await p.locator('#card-review canvas[data-drawn]').count(), 2, 'the bar and scatter charts drew too');

    await p.locator('#card-describe .code-widget').getByRole('button', { name: 'Copy' }).click();
    await p.locator('#card-describe .code-widget').getByRole('button', { name: 'Copied' }).waitFor();
    assert.match(await p.evaluate(() => navigator.clipboard.readText()), /for \(let n = 1; n <= 100000; n\+\+\)/);
  });
});
