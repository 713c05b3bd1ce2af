import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';

export function median(xs: readonly number[]): number {
  return percentile(xs, 0.5);
}

export function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return NaN;
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))];
}

export async function time(fn: () => unknown): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

/** Median of `runs` timings of fn, after one run to warm up. */
export async function repeat(runs: number, fn: () => unknown): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await time(fn));
  return median(times);
}

const agent = new Agent({ keepAlive: true, maxSockets: 200 });

export type Answer = { status: number; body: string; location?: string };

/**
 * One HTTP request over a kept-alive loopback connection (node:http, so Host and Origin go as given). POSTs carry
 * the server's own Origin, as a browser's form does.
 */
export function http(method: 'GET' | 'POST', url: string, form?: Record<string, string>): Promise<Answer> {
  const body = form ? new URLSearchParams(form).toString() : undefined;
  const { origin } = new URL(url);
  const headers: Record<string, string> = method === 'POST' ? { origin, 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' } : {};
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), location: res.headers.location }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A GET that must answer 200; its time in ms. */
export async function timedGet(url: string): Promise<number> {
  const t = performance.now();
  const res = await http('GET', url);
  if (res.status !== 200) throw new Error(`GET ${url}: ${res.status} ${res.body.slice(0, 200)}`);
  return performance.now() - t;
}

/** A child process that printed `ready <port>` (or the real server's "serving" line with its port). */
export type Child = { child: ChildProcess; port: number; url: string; stop: () => Promise<void>; output: () => string };

/** Starts a child and resolves when a line of its stdout says which port it listens on. */
export function startChild(args: string[], opts: { env?: NodeJS.ProcessEnv; ready?: RegExp } = {}): Promise<Child & { ms: number }> {
  const began = performance.now();
  const ready = opts.ready ?? /ready (\d+)/;
  const child = spawn(process.execPath, args, { env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGKILL');
    await new Promise((done) => child.once('exit', done));
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line from ${args.join(' ')}:\n${out}`)), 120_000);
    const check = () => {
      const m = ready.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.stdout!.off('data', check);
      const port = Number(m[1]);
      resolve({ child, port, url: `http://127.0.0.1:${port}`, stop, output: () => out, ms: performance.now() - began });
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited (${code}) before it was ready:\n${out}`)));
  });
}

/** Runs a command to its end; its wall time in ms. */
export function run(cmd: string, args: string[], env?: NodeJS.ProcessEnv): Promise<number> {
  const began = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.once('exit', (code) => (code === 0 ? resolve(performance.now() - began) : reject(new Error(`${cmd} ${args.join(' ')}: exit ${code} ${err}`))));
  });
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); NaN elsewhere. */
export function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

/** Resident memory of a process in MB, from /proc (Linux); NaN elsewhere. */
export function rssMb(pid: number): number {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return Number(kb) / 1024;
  } catch {
    return NaN;
  }
}

export const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
