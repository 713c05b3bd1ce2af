// Latency from a job's progress() call to the event's arrival at an SSE client, p50 and p99, with 1, 10 and 100
// concurrent watchers: the real Cardtrail server (a real listening Hono server, the real runner, a fixture job
// that reports UPDATES times, SPACING_MS apart) beside a bare node:http SSE server written here, sending the same
// number of messages of the same size at the same pace, in the same run. Each message carries the absolute time
// (performance.timeOrigin + performance.now()) at which it was sent; the client subtracts it from the time the
// bytes arrived. Clients run in the same process as the servers (one clock, and one event loop shared by all).
//
//   node --import tsx bench/sse-latency.ts
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism, cpus } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { serve } from '@hono/node-server';
import { freshTag, runsOf } from '../test/fixtures/jobs/control.ts';
import { nowMs, openSse, type SseClient, type SseMessage } from '../test/fixtures/jobs/sse.ts';
import { until } from '../test/fixtures/jobs/wait.ts';
import { tempDir, testApp, ROOT } from '../test/support/app.ts';

const UPDATES = 200;
const SPACING_MS = 10;
const WATCHERS = [1, 10, 100];
const WARMUP_UPDATES = 30;

type Round = { latencies: number[]; expected: number; payloadBytes: number };

/** The `t=` the sender stamped in a message, if any. */
function stampOf(m: SseMessage, stamp: RegExp): string | undefined {
  return m.event === 'message' ? m.data.match(stamp)?.[1] : undefined;
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

/** Opens `count` watchers, each collecting latencies, and waits until each has had its first message. */
async function watchers(url: string, count: number, stamp: RegExp, into: number[], sizes: number[]): Promise<SseClient[]> {
  const clients = await Promise.all(
    Array.from({ length: count }, () => {
      // Each update counts once per client: Cardtrail's closing "finished" block repeats the last status line.
      const seen = new Set<string>();
      return openSse(url, (m) => {
        const sent = stampOf(m, stamp);
        if (sent === undefined || seen.has(sent)) return;
        seen.add(sent);
        into.push(m.receivedAt - Number(sent));
        sizes.push(Buffer.byteLength(m.data));
      });
    }),
  );
  for (const c of clients) await c.waitFor('the first message', () => true, 30_000);
  return clients;
}

// ---- Cardtrail ----

/** The job's status line is the latest message: `<p class="job-message">t=...</p>`. */
const CARDTRAIL_STAMP = /class="job-message">t=([\d.]+)</;

async function cardtrailServer() {
  const { dir, cleanup } = await tempDir('cardtrail-bench-');
  const built = await testApp({ dataDir: dir, workflowsDir: join(ROOT, 'test/fixtures/jobs/workflows') });
  const server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: built.app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s as Server)) as Server;
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  async function round(count: number, updates: number): Promise<Round> {
    const post = (path: string, form: Record<string, string>) =>
      built.app.request(path, { method: 'POST', body: new URLSearchParams(form) });
    const id = (await post('/start/pulse', {})).headers.get('location')!.slice('/s/'.length);
    const tag = freshTag('bench');
    const submitted = await post(`/s/${id}/steps/work`, { tag, count: String(updates), spacing: String(SPACING_MS) });
    if (submitted.status !== 303) throw new Error(`submit failed: ${submitted.status} ${await submitted.text()}`);
    const run = await until('the pulse job to start', () => runsOf(tag)[0], 30_000);
    const latencies: number[] = [];
    const sizes: number[] = [];
    const clients = await watchers(`${base}/s/${id}/jobs/work/events`, count, CARDTRAIL_STAMP, latencies, sizes);
    run.release();
    for (const c of clients) await until('the stream to end', () => c.done, 60_000);
    return { latencies, expected: updates * count, payloadBytes: Math.round(sizes.reduce((a, b) => a + b, 0) / (sizes.length || 1)) };
  }

  const close = async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    built.close();
    await cleanup();
  };
  return { round, close };
}

// ---- a bare node:http SSE server ----

const BARE_STAMP = /^t=([\d.]+);/;

async function bareServer() {
  const clients = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    res.write('data: connected\n\n');
    clients.add(res);
    req.on('close', () => clients.delete(res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`;

  async function round(count: number, updates: number, payloadBytes: number): Promise<Round> {
    const latencies: number[] = [];
    const sizes: number[] = [];
    const open = await watchers(url, count, BARE_STAMP, latencies, sizes);
    for (let i = 1; i <= updates; i++) {
      const head = `t=${nowMs().toFixed(3)};`;
      const frame = `data: ${head}${'x'.repeat(Math.max(0, payloadBytes - head.length))}\n\n`;
      for (const res of clients) res.write(frame);
      await sleep(SPACING_MS);
    }
    for (const res of clients) res.end('event: jobend\ndata: finished\n\n');
    for (const c of open) await until('the stream to end', () => c.done, 60_000);
    return { latencies, expected: updates * count, payloadBytes: Math.round(sizes.reduce((a, b) => a + b, 0) / (sizes.length || 1)) };
  }

  const close = async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
  return { round, close };
}

// ---- the run ----

const fmt = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : 'n/a');
const pad = (s: string | number, w: number) => String(s).padStart(w);

async function main(): Promise<void> {
  const began = performance.now();
  const cardtrail = await cardtrailServer();
  const bare = await bareServer();
  try {
    // Warm both paths up (JIT, connection setup) before measuring.
    const warm = await cardtrail.round(1, WARMUP_UPDATES);
    await bare.round(1, WARMUP_UPDATES, warm.payloadBytes);

    const rows: { watchers: number; server: string; r: Round; p50: number; p99: number; max: number }[] = [];
    for (const count of WATCHERS) {
      const c = await cardtrail.round(count, UPDATES);
      const b = await bare.round(count, UPDATES, c.payloadBytes);
      for (const [server, r] of [['cardtrail', c], ['bare node:http', b]] as const) {
        const sorted = [...r.latencies].sort((x, y) => x - y);
        rows.push({ watchers: count, server, r, p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), max: sorted.at(-1) ?? NaN });
      }
    }

    console.log(`SSE latency: progress() (or the bare server's write) -> event received by the client`);
    console.log(
      `${UPDATES} updates ${SPACING_MS} ms apart per round; Node ${process.version}, ${availableParallelism()} CPU(s) (${cpus()[0]?.model ?? '?'})`,
    );
    console.log('Clients run in the SAME process as the servers (shared clock and event loop); times from performance.now().');
    console.log('');
    console.log(`${pad('watchers', 8)}  ${'server'.padEnd(15)}  ${pad('received', 13)}  ${pad('bytes', 5)}  ${pad('p50 ms', 7)}  ${pad('p99 ms', 7)}  ${pad('max ms', 7)}`);
    for (const row of rows)
      console.log(
        `${pad(row.watchers, 8)}  ${row.server.padEnd(15)}  ${pad(`${row.r.latencies.length}/${row.r.expected}`, 13)}  ${pad(row.r.payloadBytes, 5)}  ${pad(fmt(row.p50), 7)}  ${pad(fmt(row.p99), 7)}  ${pad(fmt(row.max), 7)}`,
      );
    console.log('');
    console.log(`${pad('watchers', 8)}  ratio Cardtrail/bare: ${pad('p50', 6)}  ${pad('p99', 6)}`);
    for (const count of WATCHERS) {
      const [c, b] = rows.filter((r) => r.watchers === count);
      console.log(`${pad(count, 8)}  ${' '.repeat(21)} ${pad(fmt(c.p50 / b.p50), 6)}  ${pad(fmt(c.p99 / b.p99), 6)}`);
    }
    console.log('');
    console.log(`Issue #4 aim: p99 under 20 ms at 100 watchers and within 1.5x of the bare server. Total run ${((performance.now() - began) / 1000).toFixed(1)} s.`);
  } finally {
    await cardtrail.close();
    await bare.close();
  }
}

await main();
