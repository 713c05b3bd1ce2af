// `cardtrail new --job` makes a workflow that runs in the browser as it is: its job writes a file, and its done
// card shows the rows as a table and the file as a download with the right bytes.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { before, after, describe, test } from 'node:test';
import { browserSuite, type BrowserSuite } from '../support/browser.ts';
import { REPO_ROOT } from '../support/server-process.ts';

const ID = `t-browser-${process.pid}`;
const FILE = join(REPO_ROOT, 'workflows', `${ID}.ts`);
let ui: BrowserSuite;

describe('browser: a workflow made by `cardtrail new --job`', { timeout: 90_000 }, () => {
  // Before the suite's server starts, so that it loads the new file.
  before(() => {
    const made = spawnSync(process.execPath, [join(REPO_ROOT, 'bin/cardtrail.js'), 'new', ID, '--job', '--title', 'Fresh rows'], { cwd: REPO_ROOT, encoding: 'utf8' });
    assert.equal(made.status, 0, made.stderr);
  });
  after(() => rm(FILE, { force: true }));
  ui = browserSuite({ tempPrefix: 'cardtrail-browser-new-', viewport: { width: 1000, height: 800 } });

  test('it starts, runs its job and shows a paged table and a download of the file it wrote', async () => {
    const p = ui.page;
    await p.goto('/');
    await p.getByRole('button', { name: 'Start Fresh rows', exact: true }).click();
    await p.waitForURL(/\/s\/[A-Za-z0-9_-]{21}$/);
    const id = new URL(p.url()).pathname.split('/')[2];
    await p.locator('#card-choose.open #f-count').fill('250');
    await p.locator('#card-choose.open').getByRole('button', { name: 'Continue' }).click();
    await p.locator('#card-work.open').getByRole('button', { name: 'Run' }).click();
    await p.locator('#card-work.done .table-widget[data-ready]').waitFor({ timeout: 20_000 });
    assert.match((await p.locator('#card-work .stats').textContent()) ?? '', /250 rows/);
    await p.waitForFunction(() => document.querySelectorAll('#card-work .tabulator-row').length === 20);
    const [file] = await Promise.all([p.waitForEvent('download'), p.locator('#card-work .downloads a', { hasText: 'results.csv' }).click()]);
    const bytes = await readFile((await file.path())!);
    assert.deepEqual(bytes, await readFile(join(ui.server.dataDir, 'sessions', id, 'files/results.csv')));
    assert.equal(String(bytes).split('\n')[250], '250,62500');
  });
});
