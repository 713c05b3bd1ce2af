// Hostile pages in a real browser: a workflow whose every text is a script-injection payload, filled with more
// payloads through its own forms (every field kind), notes and an imported log, in Chromium. Any alert(),
// confirm() or prompt() that ran would open a dialog: the test listens for dialogs and none may fire.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { serve, type ServerType } from '@hono/node-server';
import type { Browser, Page } from 'playwright-core';
import { ALL, PAYLOADS } from '../fixtures/hostile/payloads.ts';
import { tempDir, testApp } from '../support/app.ts';
import { closeBrowser, launchBrowser, newPage } from '../support/browser.ts';
import { chained } from '../support/forge.ts';
import type { Cardtrail } from '../../app/server.ts';

const WORKFLOWS = join(import.meta.dirname, '../fixtures/hostile/workflows');

let browser: Browser | undefined;
let server: ServerType | undefined;
let ct: Cardtrail | undefined;
let base = '';
let cleanup = async () => {};

before(async () => {
  const temp = await tempDir('cardtrail-hostile-');
  cleanup = temp.cleanup;
  ct = await testApp({ dataDir: temp.dir, workflowsDir: WORKFLOWS });
  server = serve({ fetch: ct.app.fetch, hostname: '127.0.0.1', port: 0 });
  await new Promise((ok) => server!.once('listening', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchBrowser();
});

after(async () => {
  await closeBrowser(browser);
  await new Promise((ok) => (server ? server.close(ok) : ok(undefined)));
  ct?.close();
  await cleanup();
});

/** What a page holds that none of the views write: elements a payload would create, or scripts not ours. */
function injected(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    for (const el of document.querySelectorAll('img, svg, iframe, object, embed, style, base')) found.push(`<${el.tagName.toLowerCase()}>`);
    for (const s of document.querySelectorAll('script')) if (!/^\/assets\/[a-z/.-]+\.js(\?v=[0-9a-f]+)?$/.test(s.getAttribute('src') ?? '')) found.push('a foreign script');
    for (const el of document.querySelectorAll('*'))
      for (const attr of el.getAttributeNames()) if (attr.startsWith('on') || attr === 'srcdoc') found.push(`${attr} on <${el.tagName.toLowerCase()}>`);
    for (const a of document.querySelectorAll('a[href]')) if (/^\s*javascript:/i.test(a.getAttribute('href')!)) found.push('a javascript: link');
    return found;
  });
}

test('payloads typed into every field kind, notes and an imported log run nothing in Chromium', async () => {
  const { context, page, errors } = await newPage(browser!, { baseURL: base });
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  const visited: string[] = [];
  const check = async (what: string) => {
    visited.push(what);
    assert.deepEqual(await injected(page), [], `${what}: injected markup`);
    // Walk the focus through the page: an onfocus or autofocus payload would fire now.
    for (let i = 0; i < 6; i++) await page.keyboard.press('Tab');
  };
  try {
    await page.goto('/');
    await check('home');
    await page.locator('main form[action="/start/hostile"] button').click();
    await page.waitForURL(/\/s\/[A-Za-z0-9_-]{21}$/);
    const session = page.url();
    await check('a new session');

    const form = page.locator('#card-every-kind form:not(.inline-action)').first();
    await form.locator('[name="text"]').fill(ALL);
    await form.locator('[name="area"]').fill(ALL);
    await form.locator('[name="count"]').fill('7');
    await form.locator('[name="pick"]').selectOption(PAYLOADS[1]);
    for (const value of [PAYLOADS[0], PAYLOADS[2]]) await form.locator(`input[name="many"][value="${value.replace(/"/g, '\\"')}"]`).check();
    await form.locator('[name="tick"]').check();
    await form.locator('[name="nest.inner"]').fill(ALL);
    await form.getByRole('button', { name: 'Continue' }).click();
    await page.locator('#card-summary.open').waitFor();
    await check('after the first step (an htmx swap)');

    await page.locator('#card-every-kind details summary').click();
    await page.locator('#card-every-kind textarea[name="text"]').fill(ALL);
    await page.locator('#card-every-kind').getByRole('button', { name: 'Save note' }).click();
    await page.locator('#card-every-kind .notes li').waitFor();
    await check('after a note');

    await page.locator('#card-summary').getByRole('button', { name: 'Finish' }).click();
    await page.locator('#card-finish').waitFor();
    await page.getByRole('button', { name: 'Finalize' }).click();
    await page.locator('#card-finish.finalized').waitFor();
    await check('finalized');
    assert.ok((await page.locator('#trail').innerText()).includes(PAYLOADS[0]), 'the payload is on the page, as text');

    await page.goto(`${session}/history`);
    await check('history');
    await page.getByRole('link', { name: 'See the session as it was here' }).nth(2).click();
    await check('the past');

    const version = ct!.engine.workflows.get('hostile')!.version;
    const log = (count: unknown) =>
      chained([
        { type: 'session.started', workflow: 'hostile', version, forkedFrom: null },
        ...Object.entries({ text: ALL, area: ALL, pick: PAYLOADS[6], many: [PAYLOADS[7]], nest: { inner: ALL, x: ALL } }).map(([key, value]) => ({
          type: 'param.set',
          step: 'every-kind',
          key,
          value,
          source: 'user',
        })),
        { type: 'param.set', step: 'every-kind', key: 'count', value: count, source: 'user' },
        { type: 'step.completed', step: 'every-kind' },
        { type: 'note', step: 'every-kind', text: ALL },
      ]);
    const upload = async (bytes: string) => {
      await page.goto('/');
      await page.locator('details summary', { hasText: 'Import a session log' }).click();
      await page.setInputFiles('input[name="log"]', { name: `${PAYLOADS[2]}.jsonl`, mimeType: 'application/x-ndjson', buffer: Buffer.from(bytes) });
      await page.getByRole('button', { name: 'Import', exact: true }).click();
      await page.waitForLoadState();
    };
    await upload(log(3));
    await page.waitForURL(/\/s\/[A-Za-z0-9_-]{21}$/);
    await check('an imported session');
    await page.goto(`${page.url()}/history`);
    await check('the history of an import, listing what it changed');
    await upload(log(PAYLOADS[0]));
    await check('an import refused (a payload in a number field), naming the file');
    assert.match(await page.locator('.notice').innerText(), /was not imported/);

    assert.deepEqual(dialogs, [], `dialogs fired on: ${visited.join(', ')}`);
    assert.deepEqual(errors.filter((e) => !e.includes('Failed to load resource')), []);
  } finally {
    await context.close();
  }
});
