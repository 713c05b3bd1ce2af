import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { discoverWorkflows } from '../../app/engine/discover.ts';
import { createApp, type Cardtrail } from '../../app/server.ts';

export const ROOT = resolve(import.meta.dirname, '../..');

/** A fresh data folder under the system temp dir; removed by the returned cleanup. */
export async function tempDir(prefix = 'cardtrail-test-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** The real application on a real data folder, with the project's workflows (or another folder's). */
export async function testApp(opts: { dataDir: string; workflowsDir?: string; jobLimit?: number }): Promise<Cardtrail> {
  const discovered = await discoverWorkflows(opts.workflowsDir ?? join(ROOT, 'workflows'));
  return createApp({ dataDir: opts.dataDir, root: ROOT, discovered, jobLimit: opts.jobLimit });
}
