// Session page render time as logs grow (1k, 10k, 100k entries), beside a raw read-and-parse of the same file
// measured in the same run. Run: node --import tsx bench/page-render.ts
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { NewEvent } from '../app/log/events.ts';
import { tempDir, testApp } from '../test/support/app.ts';

const SIZES = [1_000, 10_000, 100_000];
const RUNS = 15;

/** A hello session whose name is set, completed and reverted over and over: a long but ordinary history. */
function history(count: number): NewEvent[] {
  const events: NewEvent[] = [];
  for (let i = 0; events.length < count - 1; i++) {
    events.push({ type: 'param.set', step: 'name', key: 'name', value: `Name ${i}`, source: 'user' });
    events.push({ type: 'step.completed', step: 'name' });
    events.push({ type: 'step.reverted', step: 'name' });
  }
  return events.slice(0, count - 1);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function time(fn: () => unknown): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

async function repeat(fn: () => unknown): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) times.push(await time(fn));
  return median(times);
}

/** The first GET of the page on a freshly started app (its catalog already up to date). */
async function coldGet(data: string, id: string): Promise<number> {
  const ct = await testApp({ dataDir: data });
  try {
    return await time(async () => {
      const res = await ct.app.request(`/s/${id}`);
      if (res.status !== 200) throw new Error(`status ${res.status}`);
      await res.text();
    });
  } finally {
    ct.close();
  }
}

const { dir, cleanup } = await tempDir('cardtrail-bench-');
const header = ['entries', 'log MB', 'raw read+parse', 'page cold, no snapshot', 'page cold, snapshot', 'page warm'];
const rows: string[][] = [];
try {
  for (const size of SIZES) {
    const data = join(dir, String(size));
    const ct = await testApp({ dataDir: data });
    const id = await ct.engine.start('hello');
    const events = history(size);
    for (let i = 0; i < events.length; i += 5000) await ct.engine.store.append(id, events.slice(i, i + 5000));
    await ct.engine.syncCatalog();
    ct.close();
    const dirOf = join(data, 'sessions', id);
    const file = join(dirOf, 'log.jsonl');
    const raw = await repeat(() => readFileSync(file, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l)));
    rmSync(join(dirOf, 'snapshot.json'), { force: true });
    const coldFull = await coldGet(data, id);
    const coldSnap = await coldGet(data, id);
    const warmApp = await testApp({ dataDir: data });
    const warm = await repeat(async () => (await warmApp.app.request(`/s/${id}`)).text());
    warmApp.close();
    const mb = (readFileSync(file).length / 1e6).toFixed(1);
    rows.push([String(size), mb, ...[raw, coldFull, coldSnap, warm].map((ms) => `${ms.toFixed(1)} ms`)]);
  }
} finally {
  await cleanup();
}
console.log('Session page render by log length (median of 15 for raw and warm; one first GET for cold):');
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
for (const r of [header, ...rows]) console.log(r.map((c, i) => c.padStart(widths[i])).join('  '));
