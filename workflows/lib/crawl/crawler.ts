import { assess, wantsBody, type AssessRules } from './assess.ts';
import { fetchWithRetries, type FetchSettings } from './fetch.ts';
import { HostGate } from './politeness.ts';
import { ALLOW_ALL, loadRobots, type Robots } from './robots.ts';
import { scopeTest, type Scope } from './scope.ts';
import { loadSitemaps } from './sitemap.ts';
import type { CrawlStore, Discovery } from './store.ts';
import { normalizeLink, type QueryMode } from './urls.ts';

/** Everything a crawl is told: where, how far, how politely. */
export type CrawlOptions = Scope & {
  maxPages: number;
  maxDepth: number;
  robots: boolean;
  sitemap: boolean;
  query: QueryMode;
  concurrency: number;
  /** The least time between two requests to one host (robots.txt's Crawl-delay may make it longer). */
  delayMs: number;
  fetch: FetchSettings;
};

export type CrawlProgress = {
  fetched: number;
  queued: number;
  failed: number;
  current: string;
  pagesPerSecond: number;
  /** Time spent crawling, over every run of this crawl. */
  elapsedMs: number;
};

export type CrawlHooks = {
  signal: AbortSignal;
  onProgress?: (progress: CrawlProgress) => void;
  log?: (message: string) => void;
};

export type CrawlRun = { resumed: boolean; fetchedThisRun: number; elapsedMs: number };

const COUNT_EVERY_MS = 250;
/** Progress goes out at most this often (the runner coalesces too, but building each report costs). */
const REPORT_EVERY_MS = 100;

/**
 * Crawls into `store`, or carries on the crawl already in it: a store holding a crawl resumes from its
 * frontier (pages that were in flight when it stopped are still in it, and are fetched again; nothing else). Ends when the frontier is empty or
 * `maxPages` pages were requested; throws the signal's reason once aborted, within the time in-flight requests
 * take to notice (they share the signal). A fault of its own (a full disk) stops every worker and is thrown once
 * they have all stopped, so the store is never closed under a request still running.
 */
export async function crawl(store: CrawlStore, options: CrawlOptions, hooks: CrawlHooks): Promise<CrawlRun> {
  // Aborted by the caller's signal or by the first worker that fails; every request and wait listens to it.
  const halt = new AbortController();
  const stopOn = () => halt.abort(hooks.signal.reason);
  if (hooks.signal.aborted) stopOn();
  hooks.signal.addEventListener('abort', stopOn, { once: true });
  const signal = halt.signal;
  let failure: { error: unknown } | undefined;
  const log = hooks.log ?? (() => {});
  const resumed = store.meta('start') !== undefined;
  if (!resumed) {
    store.setMeta('start', options.start);
    store.setMeta('options', JSON.stringify(options));
    store.discover([{ url: options.start, state: 'queued', depth: 0, via: 'start' }]);
  } else log(`Resuming: ${store.count('done') + store.count('failed')} pages already fetched`);

  const rules: AssessRules = { scope: scopeTest(options), query: options.query, maxDepth: options.maxDepth, maxBytes: options.fetch.maxBytes };
  const robots = new Map<string, Promise<Robots>>();
  const robotsFor = (origin: string): Promise<Robots> => {
    if (!options.robots) return Promise.resolve(ALLOW_ALL);
    let found = robots.get(origin);
    if (!found) {
      found = loadRobots(origin, options.fetch, signal).then((r) => (log(r.note), r));
      robots.set(origin, found);
    }
    return found;
  };

  if (options.sitemap && store.meta('sitemap') === undefined) {
    const origin = new URL(options.start).origin;
    const listed = [new URL('/sitemap.xml', origin).href, ...(await robotsFor(origin)).sitemaps];
    const { pages, notes } = await loadSitemaps(listed, options.fetch, signal);
    notes.forEach(log);
    store.discover(sitemapDiscoveries(pages, rules));
    store.setMeta('sitemap', String(pages.length));
  }

  const gate = new HostGate();
  const began = performance.now();
  const elapsedBefore = Number(store.meta('elapsed_ms') ?? 0);
  let attempted = store.count('done') + store.count('failed');
  let fetched = store.count('done');
  let failed = store.count('failed');
  let fetchedThisRun = 0;
  let current = '';
  let queued = store.count('queued');
  let countedAt = 0;
  let reportedAt = 0;
  let wake: () => void = () => {};
  let changed = new Promise<void>((resolve) => (wake = resolve));
  const elapsed = () => elapsedBefore + Math.round(performance.now() - began);

  const report = (force = false) => {
    const now = performance.now();
    if (!force && now - reportedAt < REPORT_EVERY_MS) return;
    reportedAt = now;
    if (now - countedAt >= COUNT_EVERY_MS) {
      countedAt = now;
      queued = store.count('queued');
      store.setMeta('elapsed_ms', String(elapsed()));
    }
    const seconds = (now - began) / 1000;
    hooks.onProgress?.({ fetched, queued, failed, current, pagesPerSecond: seconds > 0 ? fetchedThisRun / seconds : 0, elapsedMs: elapsed() });
  };

  const visit = async (page: { id: number; url: string; depth: number }) => {
    const url = new URL(page.url);
    const rulesOfHost = await robotsFor(url.origin);
    if (!rulesOfHost.allowed(page.url)) {
      attempted--;
      store.answer(page.id, { ...EMPTY, state: 'blocked', note: rulesOfHost.refusal }, []);
      return;
    }
    const pace = () => gate.wait(url.host, Math.max(options.delayMs, rulesOfHost.delayMs), signal);
    current = page.url;
    report();
    const got = await fetchWithRetries(page.url, options.fetch, wantsBody, signal, pace);
    const { result, links } = assess(page, got, rules);
    store.answer(page.id, result, links);
    fetchedThisRun++;
    if (result.state === 'failed') failed++;
    else fetched++;
  };

  /** Visits one claimed page and reports; a fault stops every worker (the first fault is the one thrown). */
  const step = async (next: { id: number; url: string; depth: number }) => {
    try {
      await visit(next);
      report();
    } catch (err) {
      store.release(next.id);
      if (!signal.aborted) {
        failure = { error: err };
        halt.abort(err);
      }
    } finally {
      wake();
      changed = new Promise<void>((resolve) => (wake = resolve));
    }
  };

  const worker = async () => {
    while (!signal.aborted && attempted < options.maxPages) {
      const next = store.claim();
      if (!next) {
        if (store.claimed === 0) return;
        await changed;
        continue;
      }
      attempted++;
      await step(next);
    }
  };

  await Promise.all(Array.from({ length: options.concurrency }, worker));
  hooks.signal.removeEventListener('abort', stopOn);
  if (failure) throw failure.error;
  store.setMeta('elapsed_ms', String(elapsed()));
  if (hooks.signal.aborted) throw hooks.signal.reason;
  countedAt = 0;
  current = '';
  report(true);
  return { resumed, fetchedThisRun, elapsedMs: elapsed() };
}

const EMPTY = {
  status: null, content_type: null, title: null, canonical: null, redirect_to: null, meta_robots: null,
  bytes: null, ms: null, retries: null,
} as const;

/** Sitemap entries as discoveries: normalised, placed in or out of scope, at depth 1 (one step from the sitemap). */
function sitemapDiscoveries(urls: readonly string[], rules: AssessRules): Discovery[] {
  const found: Discovery[] = [];
  for (const raw of urls) {
    const url = normalizeLink(raw, raw, rules.query);
    if (!url) continue;
    const placement = rules.scope(url);
    if (placement === 'external') continue;
    found.push({ url, state: placement === 'internal' ? 'queued' : 'excluded', depth: 1, via: 'sitemap', sitemap: true });
  }
  return found;
}
