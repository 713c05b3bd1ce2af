// The crawler against a bare fetch-and-parse loop over the same generated local site at the same concurrency,
// in the same run: pages per second and peak RSS, as ratios. The site (test/fixtures/site/generated-site.ts)
// runs in its own child process, and so does each contender, so each peak RSS is that contender's alone.
//   The crawler: the real runCrawlJob (SQLite frontier, robots.txt and sitemap off, nothing else changed),
//   timed for the crawl itself and again with the metrics and report files.
//   The bare loop: fetch, read the body, htmlparser2 for <a href>, new URL() to resolve, a Set of seen URLs in
//   memory, the same concurrency. No database, no normalisation, no reports.
//
// The machine may be shared: each size runs ROUNDS rounds, bare and crawler alternately, and each side's best
// round counts (the one least disturbed by other work).
//
//   node --import tsx bench/crawl.ts [sizes=2000,10000] [concurrency=4] [rounds=3]
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Parser } from 'htmlparser2';
import { serveGenerated } from '../test/fixtures/site/generated-site.ts';
import { runCrawlJob } from '../workflows/lib/crawl/job.ts';

type Figures = { pages: number; crawlMs: number; totalMs: number; peakRssMb: number; cpuMsPerPage: number; crawlRssMb: number };

/** Samples RSS every 50 ms until stopped; returns the highest seen, in MB (the peak of one phase). */
function rssSampler(): () => number {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 50);
  return () => {
    clearInterval(timer);
    return Math.round(Math.max(peak, process.memoryUsage.rss()) / 1024 / 1024);
  };
}

const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);
/** CPU time (user + system) of this process since `from`, in ms: unlike wall time, other work on the machine does not change it much. */
const cpuMs = (from: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(from);
  return (used.user + used.system) / 1000;
};

/** The bare loop: fetch and parse every page reachable from `start`, `concurrency` at a time. */
async function bare(start: string, concurrency: number): Promise<Figures> {
  const began = performance.now();
  const cpu = process.cpuUsage();
  const sampled = rssSampler();
  const seen = new Set<string>([start]);
  const queue = [start];
  let inflight = 0;
  let pages = 0;
  await new Promise<void>((resolve) => {
    const pump = () => {
      if (!queue.length && !inflight) return resolve();
      while (inflight < concurrency && queue.length) {
        const url = queue.shift()!;
        inflight++;
        void (async () => {
          const res = await fetch(url, { redirect: 'follow' });
          const html = await res.text();
          pages++;
          const parser = new Parser({
            onopentag(name, attrs) {
              if (name !== 'a' || !attrs.href) return;
              const link = new URL(attrs.href, res.url);
              link.hash = '';
              if (!seen.has(link.href)) {
                seen.add(link.href);
                queue.push(link.href);
              }
            },
          });
          parser.write(html);
          parser.end();
          inflight--;
          pump();
        })();
      }
    };
    pump();
  });
  const ms = performance.now() - began;
  return { pages, crawlMs: ms, totalMs: ms, peakRssMb: peakRssMb(), cpuMsPerPage: cpuMs(cpu) / pages, crawlRssMb: sampled() };
}

/** The crawler, as the workflow's job runs it, into a temporary folder. */
async function crawler(start: string, concurrency: number, maxPages: number): Promise<Figures> {
  const dir = await mkdtemp(join(tmpdir(), 'cardtrail-bench-crawl-'));
  let crawlMs = 0;
  let crawlCpuMs = 0;
  let crawlRssMb = 0;
  const sampled = rssSampler();
  const began = performance.now();
  const cpu = process.cpuUsage();
  try {
    const summary = await runCrawlJob(
      {
        signal: new AbortController().signal, outputDir: dir, log: () => {}, checkpoint: async () => {}, lastCheckpoint: undefined,
        progress: (_d, _t, message) => {
          if (message === 'Measuring the link graph…') [crawlMs, crawlCpuMs, crawlRssMb] = [performance.now() - began, cpuMs(cpu), sampled()];
        },
      },
      {
        start, subdomains: false, include: [], exclude: [], maxPages, maxDepth: 1000, robots: false, sitemap: false, query: 'tracking',
        concurrency, delayMs: 0,
        fetch: { userAgent: 'CardtrailBench', timeoutMs: 30_000, maxBytes: 5 * 1024 * 1024, retries: 2, backoffMs: 1000, maxRetryAfterMs: 30_000 },
      },
    );
    // The start URL redirects to /p/0.html: count the pages the bare loop also parses.
    const pages = summary.pages - summary.redirects;
    return { pages, crawlMs, totalMs: performance.now() - began, peakRssMb: peakRssMb(), cpuMsPerPage: crawlCpuMs / pages, crawlRssMb };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Runs this file again as a child in `role`, and reads the one JSON line it prints. */
function child(args: string[]): Promise<{ line: unknown; kill: () => void }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', import.meta.filename, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    proc.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve({ line: JSON.parse(out.slice(0, nl)), kill: () => proc.kill() });
    });
    proc.once('exit', (code) => reject(new Error(`${args[0]} exited with ${code} before answering`)));
  });
}

async function main(): Promise<void> {
  const [role, ...rest] = process.argv.slice(2);
  if (role === 'site') {
    const site = await serveGenerated(Number(rest[0]));
    console.log(JSON.stringify(site.origin));
    return;
  }
  if (role === 'bare' || role === 'crawler') {
    const [start, concurrency, pages] = [rest[0]!, Number(rest[1]), Number(rest[2])];
    const figures = role === 'bare' ? await bare(start, concurrency) : await crawler(start, concurrency, pages + 10);
    console.log(JSON.stringify(figures));
    process.exit(0);
  }
  const sizes = (role ?? '2000,10000').split(',').map(Number);
  const concurrency = Number(rest[0] ?? 4);
  const rounds = Number(rest[1] ?? 3);
  console.log(`Crawler vs a bare fetch-and-parse loop, concurrency ${concurrency}, best of ${rounds} alternating rounds, Node ${process.version}`);
  console.log('pages  | bare pages/s | crawler pages/s (crawl; with reports) | ratio (crawl; with reports) | CPU ms/page bare, crawler | peak RSS bare, crawler (crawling; with reports)');
  for (const size of sizes) {
    const site = await child(['site', String(size)]);
    const origin = site.line as string;
    try {
      const bares: Figures[] = [];
      const crawlers: Figures[] = [];
      for (let round = 0; round < rounds; round++) {
        bares.push((await child(['bare', `${origin}/p/0.html`, String(concurrency), String(size)])).line as Figures);
        crawlers.push((await child(['crawler', `${origin}/`, String(concurrency), String(size)])).line as Figures);
      }
      if ([...bares, ...crawlers].some((f) => f.pages !== size)) throw new Error(`pages fetched: ${[...bares, ...crawlers].map((f) => f.pages)}, site ${size}`);
      const best = (all: Figures[]) => all.reduce((a, b) => (b.crawlMs < a.crawlMs ? b : a));
      const [b, c] = [best(bares), best(crawlers)];
      const rate = (f: Figures, ms: number) => (f.pages / ms) * 1000;
      console.log(
        `${String(size).padEnd(6)} | ${rate(b, b.crawlMs).toFixed(0).padStart(12)} | ${rate(c, c.crawlMs).toFixed(0).padStart(8)}; ${rate(c, c.totalMs).toFixed(0).padStart(6)}` +
          `                      | ${(rate(c, c.crawlMs) / rate(b, b.crawlMs)).toFixed(2)}; ${(rate(c, c.totalMs) / rate(b, b.crawlMs)).toFixed(2)}` +
          `                  | ${b.cpuMsPerPage.toFixed(2)}, ${c.cpuMsPerPage.toFixed(2)} (${(b.cpuMsPerPage / c.cpuMsPerPage).toFixed(2)})` +
          `           | ${b.peakRssMb} MB, ${c.crawlRssMb} MB; ${c.peakRssMb} MB`,
      );
    } finally {
      site.kill();
    }
  }
}

await main();
