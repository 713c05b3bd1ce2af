import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, testApp } from '../../test/support/app.ts';
import { manySessions } from '../lib/fixtures.ts';
import { median, startChild, time, timedGet } from '../lib/measure.ts';
import { plainCatalog } from '../lib/plain-catalog.ts';
import { n, SIZES, type Row } from '../lib/row.ts';
import { readParse } from './session-pages.ts';

const removeCatalog = (data: string) => {
  for (const suffix of ['', '-wal', '-shm']) rmSync(join(data, `catalog.sqlite${suffix}`), { force: true });
};

/** Read and parse every session's log, one after the other: the floor for rebuilding the catalog. */
function readParseAll(data: string): number {
  let events = 0;
  const sessions = join(data, 'sessions');
  for (const id of readdirSync(sessions)) events += readParse(join(sessions, id, 'log.jsonl')).length;
  return events;
}

/** From spawning `cardtrail serve` to its first answered home page. */
async function serveToFirstPage(data: string): Promise<number> {
  const began = performance.now();
  const server = await startChild([join(ROOT, 'bin/cardtrail.js'), 'serve', '--port', '0', '--data', data, '--no-open'], {
    ready: /serving \d+ workflow\(s\) at http:\/\/127\.0\.0\.1:(\d+)/,
  });
  try {
    await timedGet(`${server.url}/`);
    return performance.now() - began;
  } finally {
    await server.stop();
  }
}

async function spawnToFirstAnswer(script: string, loader: string[]): Promise<number> {
  const began = performance.now();
  const child = await startChild([...loader, join(ROOT, script)]);
  try {
    await timedGet(`${child.url}/`);
    return performance.now() - began;
  } finally {
    await child.stop();
  }
}

const best = async (runs: number, fn: () => Promise<number>) => {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await fn());
  return median(times);
};

/**
 * Rebuilding the catalog in-process (the app made and closed, catalog files removed: start-up's fixed costs, about
 * 10–15 ms, included), and starting the real server with and without sessions.
 */
export async function startupRows(dir: string, version: string): Promise<Row[]> {
  const empty = join(dir, 'empty');
  const many = join(dir, 'startup');
  manySessions(many, version, SIZES.sessions);
  const runs = SIZES.cliRuns;
  readParseAll(many); // warm the page cache for both sides
  const rebuild = await best(runs, async () => {
    removeCatalog(many);
    return time(async () => (await testApp({ dataDir: many })).close());
  });
  const floor = await best(runs, () => time(() => readParseAll(many)));
  const plain = join(dir, 'plain-catalog.sqlite');
  const plainWrite = await best(runs, () => time(() => plainCatalog(many, plain)));
  await (await testApp({ dataDir: empty })).close();
  const serveEmpty = await best(runs, () => serveToFirstPage(empty));
  const serveMany = await best(runs, () => serveToFirstPage(many));
  const plainHttp = await best(runs, () => spawnToFirstAnswer('bench/child/plain-http.mjs', []));
  const hono = await best(runs, () => spawnToFirstAnswer('bench/child/hono-one.mjs', []));
  return [
    { where: `catalog rebuild at start, ${n(SIZES.sessions)} sessions`, cardtrail: rebuild, baseline: floor, baselineName: 'read + parse every log', unit: 'ms' },
    { where: `catalog rebuild at start, ${n(SIZES.sessions)} sessions (vs plain SQLite)`, cardtrail: rebuild, baseline: plainWrite, baselineName: 'read + parse every log, its plainest row written by plain better-sqlite3', unit: 'ms' },
    { where: 'start-up to first page, catalog present, 0 sessions', cardtrail: serveEmpty, baseline: plainHttp, baselineName: 'plain node:http to first answer', unit: 'ms' },
    { where: `start-up to first page, catalog present, ${n(SIZES.sessions)} sessions`, cardtrail: serveMany, baseline: hono, baselineName: 'plain node + Hono one route to first answer', unit: 'ms' },
  ];
}
