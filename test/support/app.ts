import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
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

/** An app served on a real socket: its base URL, and how to stop listening. */
export type Listening = { url: string; close: () => Promise<void> };

/** Serves the app on 127.0.0.1 at a free port, as `cardtrail serve` would, in this process. */
export async function listen(ct: Cardtrail): Promise<Listening> {
  const server = serve({ fetch: ct.app.fetch, hostname: '127.0.0.1', port: 0 });
  await new Promise((ok) => server.once('listening', ok));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((ok) => server.close(() => ok())) };
}
