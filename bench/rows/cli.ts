import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../test/support/app.ts';
import { longHistory, writeSession } from '../lib/fixtures.ts';
import { median, run } from '../lib/measure.ts';
import { n, SIZES, type Row } from '../lib/row.ts';

async function best(fn: () => Promise<number>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < SIZES.cliRuns; i++) times.push(await fn());
  return median(times);
}

/**
 * `cardtrail verify` and `cardtrail export --out` on the long log, as child processes, beside plain tools. Export is
 * timed twice: a first export (no lines.idx: every line checked, an index left) and again (through the index).
 */
export async function cliRows(dir: string, version: string): Promise<Row[]> {
  const data = join(dir, 'cli');
  const id = writeSession(data, longHistory(version, SIZES.longLog));
  const file = join(data, 'sessions', id, 'log.jsonl');
  const out = join(dir, 'export.jsonl');
  const cardtrail = (...args: string[]) => () => run(process.execPath, [join(ROOT, 'bin/cardtrail.js'), ...args, '--data', data]);
  const verify = await best(cardtrail('verify', id));
  const plainChain = await best(() => run(process.execPath, [join(ROOT, 'bench/child/parse-chain.mjs'), file]));
  const sha = await best(() => run('sha256sum', [file]));
  // The first export of a log checks every line and leaves lines.idx; later ones go through that index.
  const index = join(data, 'sessions', id, 'lines.idx');
  const exportFirst = await best(async () => {
    rmSync(out, { force: true });
    rmSync(index, { force: true });
    return cardtrail('export', id, '--out', out)();
  });
  const exportAgain = await best(async () => {
    rmSync(out, { force: true });
    return cardtrail('export', id, '--out', out)();
  });
  const cp = await best(async () => {
    rmSync(out, { force: true });
    return run('cp', [file, out]);
  });
  const nodeCopy = await best(async () => {
    rmSync(out, { force: true });
    return run(process.execPath, [join(ROOT, 'bench/child/node-copy.mjs'), file, out]);
  });
  const size = n(SIZES.longLog);
  return [
    { where: `cardtrail verify, ${size} entries`, cardtrail: verify, baseline: plainChain, baselineName: 'plain node parse + chain script', unit: 'ms' },
    { where: `cardtrail verify, ${size} entries (vs sha256sum)`, cardtrail: verify, baseline: sha, baselineName: 'sha256sum of the file', unit: 'ms' },
    { where: `cardtrail export --out, ${size} entries, first (no lines.idx)`, cardtrail: exportFirst, baseline: cp, baselineName: 'cp', unit: 'ms' },
    { where: `cardtrail export --out, ${size} entries, first (vs node)`, cardtrail: exportFirst, baseline: nodeCopy, baselineName: 'plain node copyFileSync script', unit: 'ms' },
    { where: `cardtrail export --out, ${size} entries, again (lines.idx matches)`, cardtrail: exportAgain, baseline: cp, baselineName: 'cp', unit: 'ms' },
    { where: `cardtrail export --out, ${size} entries, again (vs node)`, cardtrail: exportAgain, baseline: nodeCopy, baselineName: 'plain node copyFileSync script', unit: 'ms' },
  ];
}
