// One table: for each row Cardtrail's figure, a raw baseline measured in the same run, and their ratio.
//   npm run bench                  full sizes (10,000 sessions, 100,000 entries; some minutes)
//   BENCH_SMALL=1 npm run bench    the same rows at small sizes, in seconds
//   BENCH_ONLY=server,history,pages,startup,cli,sse   only those groups of rows
// Servers run as child processes on loopback; the client is this process. See docs/benchmarks.md.
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { tempDir } from '../test/support/app.ts';
import { helloVersion } from './lib/fixtures.ts';
import { SIZES, type Row } from './lib/row.ts';
import { cliRows } from './rows/cli.ts';
import { serverRows, sseRows } from './rows/server.ts';
import { historyRows, sessionPageRows } from './rows/session-pages.ts';
import { startupRows } from './rows/startup.ts';

const fmt = (x: number, unit: Row['unit']) => (Number.isFinite(x) ? `${x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : Math.round(x).toLocaleString('en-US')} ${unit}` : 'n/a');

/** The table as Markdown, so docs/benchmarks.md can hold it as printed. */
export function table(rows: readonly Row[]): string {
  const lines = ['| where | Cardtrail | baseline, same run | baseline | ratio |', '|---|---:|---:|---|---:|'];
  for (const r of rows)
    lines.push(`| ${r.where} | ${fmt(r.cardtrail, r.unit)} | ${fmt(r.baseline, r.unit)} | ${r.baselineName} | ${(r.cardtrail / r.baseline).toFixed(2)}× |`);
  return lines.join('\n');
}

const began = performance.now();
const load = loadavg().map((l) => l.toFixed(2)).join(' ');
const { dir, cleanup } = await tempDir('cardtrail-bench-');
const rows: Row[] = [];
try {
  const version = await helloVersion();
  const groups = {
    server: () => serverRows(dir, version),
    history: () => historyRows(dir, version),
    pages: () => sessionPageRows(dir, version),
    startup: () => startupRows(dir, version),
    cli: () => cliRows(dir, version),
    sse: () => sseRows(dir),
  };
  // BENCH_ONLY=history,sse runs only those groups of rows.
  const only = process.env.BENCH_ONLY?.split(',');
  for (const [name, group] of Object.entries(groups)) if (!only || only.includes(name)) rows.push(...(await group()));
} finally {
  await cleanup();
}
console.log(
  `Cardtrail benchmark${SIZES.small ? ' (BENCH_SMALL: small sizes, figures not comparable)' : ''}: Node ${process.version}, ` +
    `${availableParallelism()} cores (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(1)} GB, load ${load} at start, ` +
    `${loadavg().map((l) => l.toFixed(2)).join(' ')} at end; ${((performance.now() - began) / 1000).toFixed(0)} s.`,
);
console.log('');
console.log(table(rows));
