import { setTimeout as sleep } from 'node:timers/promises';
import { assess, wantsBody, type AssessRules } from './assess.ts';
import { fetchWithRetries, type FetchSettings } from './fetch.ts';
import { HostGate, SAY_WAITS_FROM_MS, type PauseCause } from './politeness.ts';
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
  /** A URL being fetched ('' when none is). */
  current: string;
  /** The wait of a second or more that ends soonest, when the crawler is waiting (how long is left of it). */
  pause?: { cause: PauseCause; leftMs: number };
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

/** The queued count is read from the store at most this often, except for a forced report (below). */
const COUNT_EVERY_MS = 250;
/** Progress goes out at most this often (the runner coalesces too, but building each report costs). */
const REPORT_EVERY_MS = 100;
/** Progress goes out at least this often, so the elapsed time moves while the crawler waits. */
const TICK_MS = 1000;

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
  /** The crawl's own fault (not the caller's cancel): every worker stops, and it is thrown once they have. */
  const fail = (err: unknown) => {
    if (signal.aborted) return;
    failure = { error: err };
    halt.abort(err);
  };
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
  /** The URLs whose requests are out (not waiting for a slot or a retry), in the order they went. */
  const fetching = new Set<string>();
  const pauses = new Set<{ until: number; cause: PauseCause }>();
  let queued = store.count('queued');
  let countedAt = 0;
  let countedWrites = store.writes;
  let reportedAt = 0;
  let wake: () => void = () => {};
  let changed = new Promise<void>((resolve) => (wake = resolve));
  const elapsed = () => elapsedBefore + Math.round(performance.now() - began);

  const report = (force = false) => {
    const now = performance.now();
    if (!force && now - reportedAt < REPORT_EVERY_MS) return;
    reportedAt = now;
    // A forced report (a wait beginning, the ticker, the last one) is what stays on screen: it counts the
    // frontier afresh whenever the store changed since, so pages found just before a wait are queued in it.
    const due = now - countedAt >= COUNT_EVERY_MS;
    if (due || (force && store.writes !== countedWrites)) {
      countedWrites = store.writes;
      queued = store.count('queued');
    }
    if (due) {
      countedAt = now;
      store.setMeta('elapsed_ms', String(elapsed()));
    }
    const seconds = (now - began) / 1000;
    let soonest: { until: number; cause: PauseCause } | undefined;
    for (const p of pauses) if (!soonest || p.until < soonest.until) soonest = p;
    hooks.onProgress?.({
      fetched, queued, failed, current: [...fetching].at(-1) ?? '', pagesPerSecond: seconds > 0 ? fetchedThisRun / seconds : 0, elapsedMs: elapsed(),
      ...(soonest && { pause: { cause: soonest.cause, leftMs: Math.max(0, soonest.until - now) } }),
    });
  };

  /** Waits `ms` (aborted with the crawl); a wait of a second or more is in the progress line while it lasts. */
  const pause = async (ms: number, cause: PauseCause) => {
    if (ms <= 0) return;
    const entry = { until: performance.now() + ms, cause };
    if (ms >= SAY_WAITS_FROM_MS) {
      pauses.add(entry);
      report(true);
    }
    try {
      await sleep(ms, undefined, { signal });
    } finally {
      pauses.delete(entry);
    }
  };

  const visit = async (page: { id: number; url: string; depth: number }) => {
    const url = new URL(page.url);
    const rulesOfHost = await robotsFor(url.origin);
    if (!rulesOfHost.allowed(page.url)) {
      attempted--;
      store.answer(page.id, { ...EMPTY, state: 'blocked', note: rulesOfHost.refusal }, []);
      return;
    }
    const delayMs = Math.max(options.delayMs, rulesOfHost.delayMs);
    const cause: PauseCause = { why: rulesOfHost.delayMs > options.delayMs ? 'robots' : 'delay', delayMs };
    const pace = async () => {
      await pause(gate.reserve(url.host, delayMs, performance.now()), cause);
      fetching.add(page.url);
      report();
    };
    const backOff = (ms: number, status: number) => (fetching.delete(page.url), pause(ms, { why: 'busy', status }));
    const got = await fetchWithRetries(page.url, options.fetch, wantsBody, signal, { pace, backOff }).finally(() => fetching.delete(page.url));
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
      fail(err);
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

  // A report writes to the store: one that fails here (a full disk) stops the crawl as a worker's fault does.
  const ticker = setInterval(() => {
    try {
      report(true);
    } catch (err) {
      fail(err);
    }
  }, TICK_MS);
  try {
    await Promise.all(Array.from({ length: options.concurrency }, worker));
  } finally {
    clearInterval(ticker);
  }
  hooks.signal.removeEventListener('abort', stopOn);
  if (failure) throw failure.error;
  store.setMeta('elapsed_ms', String(elapsed()));
  if (hooks.signal.aborted) throw hooks.signal.reason;
  countedAt = 0;
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
