// A crawl on a full disk (a 1 MB tmpfs; needs root, skipped with a message elsewhere): the job fails with SQLite's
// own sentence instead of crashing, and what was committed before stays readable for a resume elsewhere.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { CrawlStore } from '../../workflows/lib/crawl/store.ts';
import { serveGenerated } from '../fixtures/site/generated-site.ts';
import { jobContext, runCrawlJob, testOptions } from './support.ts';

test('a full disk fails the crawl with a clear message and keeps what was committed', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'cardtrail-crawl-full-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    await rm(dir, { recursive: true, force: true });
    t.skip('cannot mount a tmpfs here (needs root): the full-disk case is not exercised');
    return;
  }
  let store: CrawlStore | undefined;
  t.after(async () => {
    store?.close();
    execFileSync('umount', [dir]);
    await rm(dir, { recursive: true, force: true });
  });
  const site = await serveGenerated(3000);
  t.after(() => site.close());
  const { ctx } = jobContext(dir);
  const options = testOptions(`${site.origin}/`, { robots: false, sitemap: false, maxPages: 5000, maxDepth: 1000, fetch: { ...testOptions('').fetch, timeoutMs: 30_000 } });
  await assert.rejects(runCrawlJob(ctx, options), (err: Error) => {
    t.diagnostic(`the job failed with: ${err.message}`);
    return /database or disk is full|ENOSPC/.test(err.message);
  });
  store = new CrawlStore(join(dir, 'crawl.sqlite'));
  assert.ok(store.count('done') > 10, `pages answered before the disk filled are kept (${store.count('done')})`);
});
