// The benchmark cannot rot: `npm run bench` at small sizes prints every row with figures. No time is asserted.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { ROOT } from './support/app.ts';

/** Every row the table must have (the sizes in them vary with BENCH_SMALL). */
const ROWS = [
  /^home page GET, [\d,]+ sessions \(100 rows\)$/,
  /^home page GET, [\d,]+ sessions \(vs the same page\)$/,
  /^home page GET right after a note, [\d,]+ sessions$/,
  /^home page search \?q=/,
  /^home page \?page=\d+ \(the last\)/,
  /^submit round trip \(a note\), p50$/,
  /^submit round trip \(a note\), p99$/,
  /^RSS idle, no sessions$/,
  /^RSS idle, [\d,]+ sessions$/,
  /^RSS idle after a start that rebuilt the catalog, [\d,]+ sessions$/,
  /^RSS after [\d,]+ home \+ session GETs$/,
  /^RSS after [\d,]+ home \+ session GETs \(vs after the first tenth\)$/,
  /^history page, [\d,]+ entries, latest 200$/,
  /^history page, [\d,]+ entries, oldest 200$/,
  /^\/at\/<seq>, [\d,]+ entries$/,
  /^session page, 100 entries, cold, no snapshot$/,
  /^session page, 100 entries, cold, snapshot$/,
  /^session page, 100 entries, warm$/,
  /^session page, 1,000 entries, cold, no snapshot$/,
  /^session page, 1,000 entries, cold, snapshot$/,
  /^session page, 1,000 entries, warm$/,
  /^catalog rebuild at start, [\d,]+ sessions$/,
  /^catalog rebuild at start, [\d,]+ sessions \(vs plain SQLite\)$/,
  /^start-up to first page, catalog present, 0 sessions$/,
  /^start-up to first page, catalog present, [1-9][\d,]* sessions$/,
  /^cardtrail verify, [\d,]+ entries$/,
  /^cardtrail verify, [\d,]+ entries \(vs sha256sum\)$/,
  /^cardtrail export --out, [\d,]+ entries, first \(no lines\.idx\)$/,
  /^cardtrail export --out, [\d,]+ entries, first \(vs node\)$/,
  /^cardtrail export --out, [\d,]+ entries, again \(lines\.idx matches\)$/,
  /^cardtrail export --out, [\d,]+ entries, again \(vs node\)$/,
  /^SSE at \d+ watchers, p99 latency$/,
  /^SSE at \d+ watchers, server CPU$/,
  /^ticker job, 10 ms ticks with a checkpoint each: time per tick$/,
];

const FIGURE = /^[\d,.]+ (ms|MB|% CPU)$/;

test('BENCH_SMALL=1 npm run bench prints one table with every row, each with both figures and their ratio', { timeout: 300_000 }, () => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'bench/run.ts'], {
    cwd: ROOT,
    env: { ...process.env, BENCH_SMALL: '1' },
    encoding: 'utf8',
    timeout: 280_000,
  });
  assert.equal(run.status, 0, `the bench ran: ${run.stderr}\n${run.stdout}`);
  assert.match(run.stdout, /\d+ cores .* load [\d.]+ [\d.]+ [\d.]+ at start/, 'the machine is named');
  const rows = run.stdout
    .split('\n')
    .filter((l) => l.startsWith('| ') && !l.startsWith('| where'))
    .map((l) => l.split('|').slice(1, -1).map((c) => c.trim()));
  for (const pattern of ROWS) {
    const found = rows.filter(([where]) => pattern.test(where));
    assert.equal(found.length, 1, `one row matches ${pattern}: ${rows.map((r) => r[0]).join(' / ')}`);
    const [, ours, theirs, name, ratio] = found[0];
    assert.match(ours, FIGURE, `${found[0][0]}: Cardtrail's figure`);
    assert.match(theirs, FIGURE, `${found[0][0]}: the baseline's figure`);
    assert.ok(name.length >= 2, 'the baseline is named');
    assert.match(ratio, /^[\d.]+×$/, `${found[0][0]}: the ratio`);
    const [a, b] = [ours, theirs].map((f) => Number(f.replace(/,/g, '').split(' ')[0]));
    const expected = a / b;
    // Figures under 1 are printed to two decimals, too coarse to recompute their ratio from.
    if (a >= 1 && b >= 1)
      assert.ok(Math.abs(Number(ratio.slice(0, -1)) - expected) <= Math.max(0.011, expected * 0.02), `${found[0][0]}: the ratio is of the two figures`);
  }
  assert.equal(rows.length, ROWS.length, 'no row left unchecked');
});
