import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { discoverWorkflows } from '../../app/engine/discover.ts';
import type { TestContext } from 'node:test';
import { createApp, type AppOptions, type Cardtrail } from '../../app/server.ts';

export const ROOT = resolve(import.meta.dirname, '../..');

/** A fresh data folder under the system temp dir; removed by the returned cleanup. */
export async function tempDir(prefix = 'cardtrail-test-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

type TestAppOptions = Omit<AppOptions, 'root' | 'discovered'> & { workflowsDir?: string };

/** The real application on a real data folder, with the project's workflows (or another folder's). */
export async function testApp({ workflowsDir, ...opts }: TestAppOptions): Promise<Cardtrail> {
  const discovered = await discoverWorkflows(workflowsDir ?? join(ROOT, 'workflows'));
  return asBrowser(await createApp({ ...opts, root: ROOT, discovered }));
}

/**
 * Sends the app's requests as a browser would: every browser marks a write from a page with Origin or
 * Sec-Fetch-Site, which the CSRF check requires, so a write that carries neither gets `Sec-Fetch-Site:
 * same-origin`. Tests of the CSRF check itself build their app with createApp, which leaves requests as sent.
 */
export function asBrowser(ct: Cardtrail): Cardtrail {
  const fetch = ct.app.fetch;
  ct.app.fetch = (req, ...rest) => {
    const write = req.method !== 'GET' && req.method !== 'HEAD';
    if (!write || req.headers.has('origin') || req.headers.has('sec-fetch-site')) return fetch(req, ...rest);
    const headers = new Headers(req.headers);
    headers.set('sec-fetch-site', 'same-origin');
    return fetch(new Request(req, { headers }), ...rest);
  };
  return ct;
}

/** testApp on a fresh temp data folder, closed and removed when the test ends. */
export async function tempApp(t: TestContext, opts: Omit<TestAppOptions, 'dataDir'> = {}): Promise<Cardtrail> {
  const { dir, cleanup } = await tempDir();
  const ct = await testApp({ ...opts, dataDir: dir });
  t.after(async () => {
    ct.close();
    await cleanup();
  });
  return ct;
}
