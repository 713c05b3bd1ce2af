// A 100,000-row table through the real app: the session page (which renders the table's first page), a page of
// rows from the rows route, the same sorted by a column (first sort, then paging on through the sorted order), and
// the whole CSV download; beside a raw read and line split of the same file measured in the same run.
// Run: node --import tsx bench/table-rows.ts
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir, testApp } from '../test/support/app.ts';

const ROWS = 100_000;
const RUNS = 9;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function timed(fn: () => Promise<unknown> | unknown): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

async function repeat(fn: () => Promise<unknown> | unknown): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) times.push(await timed(fn));
  return median(times);
}

const { dir, cleanup } = await tempDir('cardtrail-bench-table-');
const ct = await testApp({ dataDir: dir });
try {
  const post = (path: string, form: Record<string, string>) => ct.app.request(path, { method: 'POST', body: new URLSearchParams(form) });
  const id = /\/s\/(.+)$/.exec((await post('/start/gallery', {})).headers.get('location')!)![1];
  await post(`/s/${id}/steps/describe`, { heading: 'Bench', count: String(ROWS) });
  await post(`/s/${id}/steps/generate`, {});
  while (!(await ct.engine.load(id)).state.completed.includes('generate')) await new Promise((r) => setTimeout(r, 50));
  const file = join(dir, 'sessions', id, 'files', 'numbers.csv');
  const get = async (path: string) => {
    const res = await ct.app.request(path);
    if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
    return res.arrayBuffer();
  };
  const rows = `/s/${id}/outputs/generate/1/rows`;

  const raw = await repeat(() => readFileSync(file, 'utf8').split('\n').length);
  const firstPage = await timed(() => get(`/s/${id}`)); // parses the file once
  const page = await repeat(() => get(`/s/${id}`));
  const rowsPage = await repeat(() => get(`${rows}?page=2500&size=20`));
  const firstSort = await timed(() => get(`${rows}?page=1&size=20&sort[0][field]=c3&sort[0][dir]=desc`));
  const sortedPage = await repeat(() => get(`${rows}?page=777&size=20&sort[0][field]=c3&sort[0][dir]=desc`));
  const csv = await repeat(() => get(`/s/${id}/outputs/generate/1/csv`));
  const bytes = readFileSync(file).length;

  const line = (label: string, ms: number) => console.log(`${label.padEnd(52)} ${ms.toFixed(1).padStart(8)} ms   ${(ms / raw).toFixed(2).padStart(6)} × raw`);
  console.log(`${ROWS.toLocaleString('en')} rows, ${(bytes / 1e6).toFixed(1)} MB CSV; medians of ${RUNS} runs unless marked once`);
  line('raw: read the file and split its lines', raw);
  line('session page, first (parses the CSV), once', firstPage);
  line('session page (file parsed already)', page);
  line('rows route: one page of 20', rowsPage);
  line('rows route: first sort by a text column, once', firstSort);
  line('rows route: a page of the sorted order', sortedPage);
  line('CSV download of all rows', csv);
  const mem = process.memoryUsage();
  console.log(`heap used ${(mem.heapUsed / 1e6).toFixed(0)} MB, rss ${(mem.rss / 1e6).toFixed(0)} MB`);
} finally {
  ct.close();
  await cleanup();
}
