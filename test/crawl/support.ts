import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { parse } from 'csv-parse/sync';
import type { Json } from '../../app/log/events.ts';
import type { CrawlOptions } from '../../workflows/lib/crawl/crawler.ts';
import { runCrawlJob, type CrawlJobContext } from '../../workflows/lib/crawl/job.ts';
import { SIZE_CAP, TIMEOUT_MS } from '../fixtures/site/known-site.ts';

/** A session-like files folder, removed after the test. */
export async function filesDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cardtrail-crawl-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** The options the tests crawl with: the fixture's timeout and size cap, fast retries. */
export function testOptions(start: string, change: Partial<CrawlOptions> = {}): CrawlOptions {
  return {
    start, subdomains: false, include: [], exclude: [], maxPages: 100, maxDepth: 4, robots: true, sitemap: true,
    query: 'tracking', concurrency: 4, delayMs: 0,
    fetch: { userAgent: 'CardtrailTest/1', timeoutMs: TIMEOUT_MS, maxBytes: SIZE_CAP, retries: 2, backoffMs: 10, maxRetryAfterMs: 1000 },
    ...change,
  };
}

/** A job context as the runner gives one, recording what the crawl reports; checkpoints kept in memory. */
export function jobContext(outputDir: string, signal = new AbortController().signal, lastCheckpoint?: Json) {
  const saved: Json[] = [];
  const progress: { done: number; total?: number; message?: string }[] = [];
  const ctx: CrawlJobContext = {
    signal, outputDir, lastCheckpoint,
    progress: (done, total, message) => progress.push({ done, total, message }),
    log: () => {},
    checkpoint: async (data) => void saved.push(data),
  };
  return { ctx, saved, progress };
}

export { runCrawlJob };

/** A CSV file of the folder as rows of named cells, read with csv-parse. */
export async function csvRows(dir: string, name: string): Promise<Record<string, string>[]> {
  return parse(await readFile(join(dir, name), 'utf8'), { columns: true }) as Record<string, string>[];
}

/** The rows as lines of the chosen columns, origins replaced by S and E, sorted: comparable with a written table. */
export function table(rows: Record<string, string>[], columns: readonly string[], origins: Record<string, string>): string[] {
  const shorten = (v: string) => Object.entries(origins).reduce((s, [name, origin]) => s.replaceAll(origin, name), v);
  return rows.map((r) => columns.map((c) => shorten(r[c] ?? '')).join(' | ')).sort();
}
