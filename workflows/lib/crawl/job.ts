import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Json } from '../../../app/log/events.ts';
import { crawl, type CrawlOptions, type CrawlProgress } from './crawler.ts';
import { measure } from './metrics.ts';
import { pauseWords } from './politeness.ts';
import { writeReports, type Summary } from './reports.ts';
import { CrawlStore, type PageRow } from './store.ts';

export const DATABASE = 'crawl.sqlite';
/** graph.json holds at most this many nodes (the top pages by PageRank and their neighbours beyond it). */
export const GRAPH_LIMIT = 3000;

/** The part of a job's context a crawl uses (app/jobs/context.ts's JobContext fits it). */
export type CrawlJobContext = {
  signal: AbortSignal;
  outputDir: string;
  progress: (done: number, total?: number, message?: string) => void;
  log: (message: string) => void;
  checkpoint: (data: Json) => Promise<void>;
  lastCheckpoint: Json | undefined;
};

/**
 * A crawl as a job: the database in the session's folder is the checkpoint. A run whose last checkpoint names the
 * database's crawl carries it on; any other run (first, or after a Cancel, which forgets checkpoints) starts
 * afresh. Then measures the graph and writes the reports.
 */
export async function runCrawlJob(ctx: CrawlJobContext, options: CrawlOptions): Promise<Summary & { resumed: boolean }> {
  const file = join(ctx.outputDir, DATABASE);
  const wanted = (ctx.lastCheckpoint as { crawl?: string } | undefined)?.crawl;
  const forget = () => Promise.all(['', '-wal', '-shm'].map((end) => rm(file + end, { force: true })));
  let store = await openOrReplace(file, ctx.log, forget);
  if (!wanted || store.meta('crawl') !== wanted) {
    store.close();
    await forget();
    store = new CrawlStore(file);
    store.setMeta('crawl', randomUUID());
  }
  let unusable: string | undefined;
  try {
    await ctx.checkpoint({ crawl: store.meta('crawl')!, database: DATABASE });
    const run = await crawl(store, options, {
      signal: ctx.signal,
      log: ctx.log,
      onProgress: (p) => ctx.progress(p.fetched + p.failed, Math.min(options.maxPages, p.fetched + p.failed + p.queued), progressLine(p)),
    });
    unusable = startProblem(store.startPage());
    if (unusable) throw new Error(unusable);
    ctx.progress(run.fetchedThisRun, undefined, 'Measuring the link graph…');
    const metrics = measure(store);
    ctx.signal.throwIfAborted();
    const summary = await writeReports(store, metrics, ctx.outputDir, GRAPH_LIMIT);
    return { ...summary, resumed: run.resumed };
  } finally {
    store.close();
    // A crawl that could not even fetch its start page is not worth resuming: Retry starts afresh.
    if (unusable) await forget();
  }
}

/** Opens the crawl's database; one that cannot be read (damaged, not a database) is replaced by an empty one. */
async function openOrReplace(file: string, log: (m: string) => void, forget: () => Promise<unknown>): Promise<CrawlStore> {
  try {
    const store = new CrawlStore(file);
    store.meta('crawl');
    return store;
  } catch (err) {
    log(`${DATABASE} could not be read (${(err as Error).message}); the crawl starts afresh`);
    await forget();
    return new CrawlStore(file);
  }
}

/** Why a crawl has nothing to show when its start page did not answer (refused, timed out, blocked). Pure. */
export function startProblem(start: PageRow | undefined): string | undefined {
  if (!start) return 'The crawl has no start page.';
  if (start.state === 'failed') return `The start page ${start.url} could not be fetched: ${start.note ?? 'no answer'}.`;
  if (start.state === 'blocked') return `The start page ${start.url} may not be fetched: ${start.note ?? 'robots.txt disallows it'}.`;
  return undefined;
}

/**
 * The job's status line (pure): fetched, queued, failed, pages per second, elapsed time, the URL being fetched,
 * and what the crawler is waiting for when it waits a second or more.
 */
export function progressLine(p: CrawlProgress): string {
  const seconds = Math.floor(p.elapsedMs / 1000);
  const elapsed = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
  const now = p.current ? ` · now ${p.current}` : '';
  const waiting = p.pause ? ` · ${pauseWords(p.pause.cause, p.pause.leftMs)}` : '';
  return `Fetched ${p.fetched} · queued ${p.queued} · failed ${p.failed} · ${p.pagesPerSecond.toFixed(1)} pages/s · ${elapsed} elapsed${now}${waiting}`;
}
