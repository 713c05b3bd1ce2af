// A 250 MB log imported into a real `cardtrail serve` child: the server's peak memory (VmHWM) against its idle
// memory, the import's time against a raw line-by-line read + parse + hash of the same file in this process,
// and how long GET / takes while the import runs against the same probe when idle. Prints figures; asserts
// nothing. Size: CARDTRAIL_BENCH_MB (default 250).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { chainHash } from '../app/log/chain.ts';
import type { LogEvent } from '../app/log/events.ts';
import { freePort } from '../test/support/server-process.ts';

const ROOT = resolve(import.meta.dirname, '..');
const MB = Number(process.env.CARDTRAIL_BENCH_MB ?? 250);

/** A hello log of about `mb` megabytes: the name given, completed and reverted over and over, ending done. */
async function writeLog(path: string, mb: number, version: string): Promise<number> {
  const out = createWriteStream(path);
  let previous = '';
  let seq = 0;
  let size = 0;
  const put = async (e: Record<string, unknown>) => {
    const event = { seq: ++seq, at: new Date(Date.UTC(2026, 0, 1) + seq).toISOString(), ...e };
    previous = chainHash(previous, event as unknown as LogEvent);
    const line = JSON.stringify({ ...event, hash: previous }) + '\n';
    size += line.length;
    if (!out.write(line)) await once(out, 'drain');
  };
  await put({ type: 'session.started', workflow: 'hello', version, forkedFrom: null });
  const filler = 'x'.repeat(900);
  for (let i = 0; size < mb * 1024 * 1024; i++) {
    await put({ type: 'param.set', step: 'name', key: 'name', value: `Ada ${i} ${filler}`.slice(0, 100), source: 'user', meta: { why: filler } });
    await put({ type: 'step.completed', step: 'name' });
    await put({ type: 'step.reverted', step: 'name' });
  }
  await put({ type: 'param.set', step: 'name', key: 'name', value: 'Ada', source: 'user' });
  await put({ type: 'step.completed', step: 'name' });
  out.end();
  await once(out, 'finish');
  return seq;
}

/** The raw baseline: read the file line by line, parse each line and hash it, nothing else. */
async function rawRead(path: string): Promise<number> {
  const start = performance.now();
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  let previous = '';
  for await (const line of lines) previous = createHash('sha256').update(previous).update(JSON.stringify(JSON.parse(line))).digest('hex');
  return performance.now() - start;
}

function memoryOf(pid: number): Promise<{ rss: number; peak: number }> {
  return readFile(`/proc/${pid}/status`, 'utf8').then((status) => {
    const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024;
    return { rss: kb('VmRSS'), peak: kb('VmHWM') };
  });
}

function get(port: number): Promise<number> {
  const start = performance.now();
  return new Promise((ok, fail) => {
    request({ host: '127.0.0.1', port, path: '/' }, (res) => {
      res.resume();
      res.on('end', () => ok(performance.now() - start));
    })
      .on('error', fail)
      .end();
  });
}

/** Sends the file as the home page's form does, streamed from disk with its length. */
function upload(port: number, path: string, size: number): Promise<{ status: number; location?: string; ms: number }> {
  const head = Buffer.from(`--b\r\nContent-Disposition: form-data; name="log"; filename="big.jsonl"\r\nContent-Type: application/x-ndjson\r\n\r\n`);
  const tail = Buffer.from('\r\n--b--\r\n');
  const start = performance.now();
  return new Promise((ok, fail) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/import',
        headers: { origin: `http://127.0.0.1:${port}`, 'content-type': 'multipart/form-data; boundary=b', 'content-length': head.length + size + tail.length },
      },
      (res) => {
        res.resume();
        res.on('end', () => ok({ status: res.statusCode!, location: res.headers.location, ms: performance.now() - start }));
      },
    );
    req.on('error', fail);
    req.write(head);
    const file = createReadStream(path);
    file.pipe(req, { end: false });
    file.on('end', () => req.end(tail));
  });
}

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];

async function probe(port: number, until: () => boolean, minimum = 0): Promise<number[]> {
  const times: number[] = [];
  while (!until() || times.length < minimum) {
    times.push(await get(port));
    await new Promise((ok) => setTimeout(ok, 20));
  }
  return times;
}

const dir = await mkdtemp(join(tmpdir(), 'cardtrail-bench-import-'));
try {
  const { discoverWorkflows } = await import('../app/engine/discover.ts');
  const version = (await discoverWorkflows(join(ROOT, 'workflows'))).workflows.get('hello')!.version;
  const file = join(dir, 'big.jsonl');
  const lines = await writeLog(file, MB, version);
  const size = (await stat(file)).size;
  const raw = await rawRead(file);

  const port = await freePort();
  const child = spawn(process.execPath, [join(ROOT, 'bin/cardtrail.js'), 'serve', '--port', String(port), '--data', join(dir, 'data'), '--no-open'], {
    cwd: ROOT,
    env: { ...process.env, CARDTRAIL_NO_OPEN: '1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  while (!out.includes('Cardtrail is serving')) await new Promise((ok) => setTimeout(ok, 50));
  const idleTimes = await probe(port, () => true, 50);
  const before = await memoryOf(child.pid!);
  let finished = false;
  const during = probe(port, () => finished);
  const result = await upload(port, file, size);
  finished = true;
  const busyTimes = await during;
  const after = await memoryOf(child.pid!);
  child.kill('SIGTERM');
  await once(child, 'exit');

  const f = (n: number) => n.toFixed(0);
  console.log(`import of ${(size / 1024 / 1024).toFixed(0)} MB (${lines.toLocaleString('en')} lines) into a real server: ${result.status} ${result.location ?? ''}`);
  console.log(`  time      ${f(result.ms)} ms   raw read+parse+hash in this process ${f(raw)} ms   ratio ${(result.ms / raw).toFixed(2)}`);
  console.log(`  memory    server RSS idle ${f(before.rss)} MB, peak during import ${f(after.peak)} MB (+${f(after.peak - before.rss)} MB for a ${f(size / 1024 / 1024)} MB file)`);
  console.log(
    `  GET /     idle p50 ${percentile(idleTimes, 50).toFixed(1)} ms p99 ${percentile(idleTimes, 99).toFixed(1)} ms;` +
      ` during import (${busyTimes.length} requests) p50 ${percentile(busyTimes, 50).toFixed(1)} ms p99 ${percentile(busyTimes, 99).toFixed(1)} ms max ${Math.max(...busyTimes).toFixed(1)} ms` +
      `   ratio p99 ${(percentile(busyTimes, 99) / percentile(idleTimes, 99)).toFixed(1)}`,
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
