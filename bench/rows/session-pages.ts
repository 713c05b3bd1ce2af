import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { testApp } from '../../test/support/app.ts';
import { longHistory, writeSession } from '../lib/fixtures.ts';
import { repeat, time } from '../lib/measure.ts';
import { n, SIZES, type Row } from '../lib/row.ts';

/** Read and parse a log the plainest way: the floor for anything that shows it. */
export function readParse(file: string): unknown[] {
  return readFileSync(file, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
}

async function get(app: Awaited<ReturnType<typeof testApp>>, path: string): Promise<void> {
  const res = await app.app.request(path);
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status}`);
  await res.text();
}

/** The first GET of a path on a freshly made app (catalog present): what a restart costs the first view. */
async function coldGet(data: string, path: string): Promise<number> {
  const ct = await testApp({ dataDir: data });
  try {
    return await time(() => get(ct, path));
  } finally {
    ct.close();
  }
}

/**
 * The session page (in-process, app.request) warm and cold, with and without its snapshot, at each log length,
 * beside a read + parse of the same log; and at the longest, the history pages and /at/<seq>.
 */
export async function sessionPageRows(dir: string, version: string): Promise<Row[]> {
  const rows: Row[] = [];
  for (const size of SIZES.sessionPages) {
    const data = join(dir, `long-${size}`);
    const id = writeSession(data, longHistory(version, size));
    await (await testApp({ dataDir: data })).close();
    const file = join(data, 'sessions', id, 'log.jsonl');
    const raw = await repeat(SIZES.runs, () => readParse(file));
    rmSync(join(data, 'sessions', id, 'snapshot.json'), { force: true });
    const coldFull = await coldGet(data, `/s/${id}`);
    const coldSnap = await coldGet(data, `/s/${id}`);
    const warmApp = await testApp({ dataDir: data });
    const warm = await repeat(SIZES.runs, () => get(warmApp, `/s/${id}`));
    warmApp.close();
    const base = { baseline: raw, baselineName: 'read + parse of the log', unit: 'ms' } as const;
    rows.push({ where: `session page, ${n(size)} entries, cold, no snapshot`, cardtrail: coldFull, ...base });
    rows.push({ where: `session page, ${n(size)} entries, cold, snapshot`, cardtrail: coldSnap, ...base });
    rows.push({ where: `session page, ${n(size)} entries, warm`, cardtrail: warm, ...base });
  }
  return rows;
}

/** History pages (latest and oldest 200) and /at/<seq> at the long log's length. */
export async function historyRows(dir: string, version: string): Promise<Row[]> {
  const size = SIZES.longLog;
  const data = join(dir, `history-${size}`);
  const id = writeSession(data, longHistory(version, size));
  const file = join(data, 'sessions', id, 'log.jsonl');
  const raw = await repeat(SIZES.runs, () => readParse(file));
  const app = await testApp({ dataDir: data });
  try {
    const latest = await repeat(SIZES.runs, () => get(app, `/s/${id}/history`));
    const oldest = await repeat(SIZES.runs, () => get(app, `/s/${id}/history?before=201`));
    const warmPage = await repeat(SIZES.runs, () => get(app, `/s/${id}`));
    const at = Math.floor(size * 0.6) + 7;
    const past = await repeat(SIZES.runs, () => get(app, `/s/${id}/at/${at}`));
    const base = { baseline: raw, baselineName: 'read + parse of the log', unit: 'ms' } as const;
    return [
      { where: `history page, ${n(size)} entries, latest 200`, cardtrail: latest, ...base },
      { where: `history page, ${n(size)} entries, oldest 200`, cardtrail: oldest, ...base },
      { where: `/at/<seq>, ${n(size)} entries`, cardtrail: past, baseline: warmPage, baselineName: 'warm session page', unit: 'ms' },
    ];
  } finally {
    app.close();
  }
}
