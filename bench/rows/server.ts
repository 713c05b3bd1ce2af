import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../test/support/app.ts';
import { manySessions } from '../lib/fixtures.ts';
import { cpuSeconds, http, median, percentile, repeat, rssMb, sleep, startChild, timedGet, type Child } from '../lib/measure.ts';
import { n, SIZES, type Row } from '../lib/row.ts';
import { openSse } from '../../test/fixtures/jobs/sse.ts';
import { until } from '../../test/fixtures/jobs/wait.ts';

const appServer = (data: string) => startChild(['--import', 'tsx', join(ROOT, 'bench/child/app-server.ts'), data]);
/** The real `cardtrail serve` (the compiled copy, as a person runs it). */
const cardtrailServe = (data: string) =>
  startChild([join(ROOT, 'bin/cardtrail.js'), 'serve', '--port', '0', '--data', data, '--no-open'], { ready: /serving \d+ workflow\(s\) at http:\/\/127\.0\.0\.1:(\d+)/ });
const bare = (...args: string[]) => startChild([join(ROOT, 'bench/child/bare.mjs'), ...args]);

/** Sessions started through the server, so its rows come from the real engine. */
async function startSession(server: Child, workflow: string): Promise<string> {
  const res = await http('POST', `${server.url}/start/${workflow}`);
  if (res.status !== 303 || !res.location) throw new Error(`start ${workflow}: ${res.status} ${res.body.slice(0, 300)}`);
  return res.location.slice('/s/'.length);
}

/** The home page, its search and a later page, submit round trips and memory, over loopback to a child server. */
export async function serverRows(dir: string, version: string): Promise<Row[]> {
  const data = join(dir, 'many');
  manySessions(data, version, SIZES.sessions);
  // The first start rebuilds the catalog from the logs; a person's server then starts with it, as this one does.
  const first = await cardtrailServe(data);
  await sleep(500);
  const rssAfterRebuild = rssMb(first.child.pid!);
  await first.stop();
  // An empty server, idle: what the app holds before any session (the catalog made by its first start).
  const emptyData = join(dir, 'empty');
  await (await cardtrailServe(emptyData)).stop();
  const empty = await cardtrailServe(emptyData);
  await sleep(500);
  const rssEmpty = rssMb(empty.child.pid!);
  await empty.stop();
  const server = await cardtrailServe(data);
  const plain = await bare('get');
  const append = await bare('append', join(dir, 'bare-append.jsonl'));
  try {
    await sleep(500);
    const rssIdle = rssMb(server.child.pid!);
    const bareIdle = rssMb(plain.child.pid!);
    const bareGet = await repeat(SIZES.runs, () => timedGet(`${plain.url}/`));
    // As many requests again to warm up as are timed: the figures are a running server's, not its first pages'.
    for (let i = 0; i < SIZES.runs; i++) await timedGet(`${server.url}/`);
    const home = await repeat(SIZES.runs, () => timedGet(`${server.url}/`));
    // The same page served by a bare server: what its size alone costs.
    const pageFile = join(dir, 'home.html');
    writeFileSync(pageFile, (await http('GET', `${server.url}/`)).body);
    const samePage = await bare('file', pageFile);
    const bareSame = await repeat(SIZES.runs, () => timedGet(`${samePage.url}/`)).finally(() => samePage.stop());
    const pageKb = Math.round(statSync(pageFile).size / 1024);
    const search = await repeat(SIZES.runs, () => timedGet(`${server.url}/?q=hopper`));
    const lastPage = Math.ceil(SIZES.sessions / 100);
    const later = await repeat(SIZES.runs, () => timedGet(`${server.url}/?page=${lastPage}`));

    const id = await startSession(server, 'hello');
    const submit = async (url: string, form: Record<string, string>) => {
      const t = performance.now();
      const res = await http('POST', url, form);
      if (res.status !== 303) throw new Error(`POST ${url}: ${res.status} ${res.body.slice(0, 300)}`);
      return performance.now() - t;
    };
    const rounds = async (url: string) => {
      const times: number[] = [];
      for (let i = 0; i < SIZES.submits; i++) times.push(await submit(url, { step: '', text: `note ${i}` }));
      return times.slice(Math.floor(times.length / 10));
    };
    const ours = await rounds(`${server.url}/s/${id}/notes`);
    const theirs = await rounds(`${append.url}/`);
    // The list changes between views: each GET follows a note, so its rows, count and page are read anew.
    const afterNote: number[] = [];
    for (let i = 0; i < SIZES.runs; i++) {
      await submit(`${server.url}/s/${id}/notes`, { step: '', text: 'between views' });
      afterNote.push(await timedGet(`${server.url}/`));
    }

    // Flat means no growth once every kind of page has been drawn: the tenth point is the yardstick.
    const tenth = Math.ceil(SIZES.soak / 10);
    let rssAtTenth = 0;
    for (let i = 0; i < SIZES.soak; i++) {
      if (i === tenth) rssAtTenth = rssMb(server.child.pid!);
      await http('GET', `${server.url}/${i % 2 ? '' : `s/${id}`}`);
    }
    let bareAtTenth = 0;
    for (let i = 0; i < SIZES.soak; i++) {
      if (i === tenth) bareAtTenth = rssMb(plain.child.pid!);
      await http('GET', `${plain.url}/`);
    }
    await sleep(500);
    const bareGet2 = { baseline: bareGet, baselineName: 'bare node:http 2 KB GET', unit: 'ms' } as const;
    return [
      { where: `home page GET, ${n(SIZES.sessions)} sessions (100 rows)`, cardtrail: home, ...bareGet2 },
      { where: `home page GET, ${n(SIZES.sessions)} sessions (vs the same page)`, cardtrail: home, baseline: bareSame, baselineName: `bare node:http answering the same ${pageKb} KB`, unit: 'ms' },
      { where: `home page GET right after a note, ${n(SIZES.sessions)} sessions`, cardtrail: median(afterNote), ...bareGet2 },
      { where: `home page search ?q=, ${n(SIZES.sessions)} sessions`, cardtrail: search, ...bareGet2 },
      { where: `home page ?page=${lastPage} (the last), ${n(SIZES.sessions)} sessions`, cardtrail: later, ...bareGet2 },
      { where: 'submit round trip (a note), p50', cardtrail: percentile(ours, 0.5), baseline: percentile(theirs, 0.5), baselineName: 'node:http append + fsync + template', unit: 'ms' },
      { where: 'submit round trip (a note), p99', cardtrail: percentile(ours, 0.99), baseline: percentile(theirs, 0.99), baselineName: 'node:http append + fsync + template', unit: 'ms' },
      { where: 'RSS idle, no sessions', cardtrail: rssEmpty, baseline: bareIdle, baselineName: 'bare node:http server', unit: 'MB' },
      { where: `RSS idle, ${n(SIZES.sessions)} sessions`, cardtrail: rssIdle, baseline: bareIdle, baselineName: 'bare node:http server', unit: 'MB' },
      { where: `RSS idle after a start that rebuilt the catalog, ${n(SIZES.sessions)} sessions`, cardtrail: rssAfterRebuild, baseline: bareIdle, baselineName: 'bare node:http server', unit: 'MB' },
      { where: `RSS after ${n(SIZES.soak)} home + session GETs`, cardtrail: rssMb(server.child.pid!), baseline: rssMb(plain.child.pid!), baselineName: `bare server after ${n(SIZES.soak)} GETs`, unit: 'MB' },
      { where: `RSS after ${n(SIZES.soak)} home + session GETs (vs after the first tenth)`, cardtrail: rssMb(server.child.pid!), baseline: rssAtTenth, baselineName: `itself after ${n(tenth)} GETs (bare server: ${bareAtTenth.toFixed(1)} MB then)`, unit: 'MB' },
    ];
  } finally {
    await Promise.all([server.stop(), plain.stop(), append.stop()]);
  }
}

/** p99 of the delay between a stamp and the arrival of its message at `watchers` clients, and the server's CPU. */
async function sseRound(server: Child, url: string, stamp: RegExp, go: () => Promise<void>, seconds: number): Promise<{ p99: number; cpu: number }> {
  const latencies: number[] = [];
  const clients = await Promise.all(
    Array.from({ length: SIZES.watchers }, () => {
      const seen = new Set<string>();
      return openSse(url, (m) => {
        const sent = m.event === 'message' ? stamp.exec(m.data)?.[1] : undefined;
        if (sent === undefined || seen.has(sent)) return;
        seen.add(sent);
        latencies.push(m.receivedAt - Number(sent));
      });
    }),
  );
  const cpu0 = cpuSeconds(server.child.pid!);
  await go();
  for (const c of clients) await until('the stream to end', () => c.done, 120_000);
  // Over the time the updates take to send (Cardtrail's window also holds the idle end of the job's delay).
  const cpu = ((cpuSeconds(server.child.pid!) - cpu0) / seconds) * 100;
  return { p99: percentile(latencies, 0.99), cpu };
}

/** Live progress to many watchers, Cardtrail beside a bare SSE server; and a ticking job's pace. */
export async function sseRows(dir: string): Promise<Row[]> {
  const server = await appServer(join(dir, 'sse'));
  const plain = await bare('sse');
  const spacing = 10;
  try {
    const seconds = (SIZES.updates * spacing) / 1000;
    const id = await startSession(server, 'pulse');
    const delay = 1500 + SIZES.watchers * 20;
    const submitted = await http('POST', `${server.url}/s/${id}/steps/work`, { count: String(SIZES.updates), spacing: String(spacing), delay: String(delay) });
    if (submitted.status !== 303) throw new Error(`pulse: ${submitted.status}`);
    const ours = await sseRound(server, `${server.url}/s/${id}/jobs/work/events`, /class="job-message">t=([\d.]+)</, async () => void (await sleep(0)), seconds);
    const theirs = await sseRound(plain, `${plain.url}/`, /^t=([\d.]+);/, async () => void (await http('POST', `${plain.url}/go?count=${SIZES.updates}&spacing=${spacing}`)), seconds);

    // A ticker job asked for 10 ms ticks, checkpointing every tick: how long a tick really takes.
    const ticker = await startSession(server, 'ticker');
    const t0 = performance.now();
    const ran = await http('POST', `${server.url}/s/${ticker}/steps/simulate`, { ticks: String(SIZES.ticks), interval: String(spacing), failAt: '' });
    if (ran.status !== 303) throw new Error(`ticker: ${ran.status} ${ran.body.slice(0, 200)}`);
    await until('the ticker to finish', async () => /Ticks counted/.test((await http('GET', `${server.url}/s/${ticker}`)).body), 120_000, 50);
    const tick = (performance.now() - t0) / SIZES.ticks;
    const sleepTick = await (async () => {
      const s = performance.now();
      for (let i = 0; i < SIZES.ticks; i++) await sleep(spacing);
      return (performance.now() - s) / SIZES.ticks;
    })();
    return [
      { where: `SSE at ${SIZES.watchers} watchers, p99 latency`, cardtrail: ours.p99, baseline: theirs.p99, baselineName: 'bare node:http SSE server', unit: 'ms' },
      { where: `SSE at ${SIZES.watchers} watchers, server CPU`, cardtrail: ours.cpu, baseline: theirs.cpu, baselineName: 'bare node:http SSE server', unit: '% CPU' },
      { where: `ticker job, ${spacing} ms ticks with a checkpoint each: time per tick`, cardtrail: tick, baseline: sleepTick, baselineName: `a loop of ${spacing} ms sleeps`, unit: 'ms' },
    ];
  } finally {
    await Promise.all([server.stop(), plain.stop()]);
  }
}
