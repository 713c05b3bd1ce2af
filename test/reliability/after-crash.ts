// What must hold after every restart from a SIGKILL: each log verifies (whole lines, intact chain), every write
// the server acknowledged is in its log and on its pages, and the catalog agrees with the logs.
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { LogEvent } from '../../app/log/events.ts';
import { fold, type SessionState } from '../../app/log/fold.ts';
import { verifyLog } from '../../app/log/verify.ts';
import { doneSteps, textOf } from '../support/html.ts';
import type { Workload } from './workload.ts';

const STEPS: Record<string, string[]> = { hello: ['name', 'greeting'], ticker: ['simulate', 'review'] };

/** Figures a check adds up: logs verified, torn tails the restart set aside. */
export type CheckFigures = { logs: number; tornFiles: number };

/** Every log under the data folder, verified strictly and folded. */
async function readLogs(dataDir: string, figures: CheckFigures): Promise<Map<string, { events: LogEvent[]; state: SessionState }>> {
  const root = join(dataDir, 'sessions');
  const logs = new Map<string, { events: LogEvent[]; state: SessionState }>();
  for (const id of await readdir(root)) {
    const files = await readdir(join(root, id));
    figures.tornFiles += files.filter((f) => f.startsWith('torn-')).length;
    // A kill during a start before its log was renamed into place leaves a folder without one: the restart
    // removes it (nothing in it was acknowledged), so none may be left.
    assert.ok(files.includes('log.jsonl'), `the restart left session folder ${id} without a log: ${files.join(', ') || 'empty'}`);
    const bytes = await readFile(join(root, id, 'log.jsonl'));
    const verdict = verifyLog(bytes);
    assert.ok(verdict.ok, `log ${id} verifies after the restart: ${!verdict.ok && verdict.reason}`);
    logs.set(id, { events: verdict.events, state: fold(verdict.events) });
  }
  figures.logs = logs.size;
  return logs;
}

/** Each acknowledged write of each tracked session, in its log. */
function assertAckedInLogs(workload: Workload, logs: Map<string, { events: LogEvent[] }>): void {
  for (const s of workload.sessions.values()) {
    const log = logs.get(s.id);
    assert.ok(log, `the acknowledged session ${s.id} has its log`);
    const { events } = log;
    const count = (type: string) => events.filter((e) => e.type === type).length;
    const expected = { revert: 0, job: 0, finalize: 0, unfinalize: 0 };
    for (const a of s.acked) {
      if (a.kind === 'note') assert.ok(events.some((e) => e.type === 'note' && e.text === a.token), `note ${a.token} in ${s.id}`);
      else if (a.kind === 'value')
        assert.ok(events.some((e) => e.type === 'param.set' && e.key === a.key && e.value === a.token), `${a.key}=${a.token} in ${s.id}`);
      else if (a.kind === 'import') {
        const first = events[0];
        assert.ok(first.type === 'session.started' && first.forkedFrom && 'file' in first.forkedFrom && first.forkedFrom.file === a.file, `${s.id} imported from ${a.file}`);
      } else expected[a.kind]++;
    }
    assert.ok(count('step.reverted') >= expected.revert, `${expected.revert} acknowledged reverts in ${s.id}`);
    assert.ok(count('job.started') >= expected.job, `${expected.job} acknowledged jobs in ${s.id}`);
    assert.ok(count('session.finalized') >= Math.min(1, expected.finalize), `a finalize in ${s.id}`);
    assert.ok(count('session.unfinalized') >= Math.min(1, expected.unfinalize), `an unfinalize in ${s.id}`);
  }
}

/** The touched sessions' pages: the history lists every acknowledged token, the session page the folded cards. */
async function assertOnPages(url: string, workload: Workload, logs: Map<string, { state: SessionState }>): Promise<void> {
  for (const id of workload.touched) {
    const s = workload.sessions.get(id)!;
    const history = await fetch(`${url}/s/${id}/history`);
    assert.equal(history.status, 200, `history of ${id}`);
    const text = textOf(await history.text());
    assert.match(text, /Log intact/, `the history of ${id} says the log is intact`);
    for (const a of s.acked) if (a.kind === 'note' || a.kind === 'value') assert.ok(text.includes(a.token), `${a.token} on the history page of ${id}`);
    const page = await fetch(`${url}/s/${id}`);
    assert.equal(page.status, 200, `page of ${id}`);
    const { state } = logs.get(id)!;
    const completed = STEPS[s.workflow].filter((step) => state.completed.includes(step));
    assert.deepEqual(doneSteps(await page.text()), completed, `the done cards of ${id} are the log's completed steps`);
  }
  workload.touched.clear();
}

/** The catalog's rows are exactly the logs, with their last seq and finalized state. */
function assertCatalogAgrees(dataDir: string, logs: Map<string, { state: SessionState }>): void {
  const db = new Database(join(dataDir, 'catalog.sqlite'), { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare('SELECT id, last_seq AS lastSeq, finalized FROM sessions').all() as { id: string; lastSeq: number; finalized: number }[];
    assert.deepEqual(rows.map((r) => r.id).sort(), [...logs.keys()].sort(), 'a catalog row for every log and none without one');
    for (const r of rows) {
      const { state } = logs.get(r.id)!;
      assert.equal(r.lastSeq, state.lastSeq, `catalog last_seq of ${r.id}`);
      assert.equal(r.finalized === 1, state.finalized, `catalog finalized of ${r.id}`);
    }
    // The restart marked every job it was killed under as interrupted, in the log and so in the catalog.
    const running = db.prepare("SELECT COUNT(*) AS n FROM jobs WHERE status IN ('queued', 'running')").get() as { n: number };
    const live = [...logs.entries()].filter(([, { state }]) => Object.values(state.jobs).some((j) => j.status === 'running')).map(([id]) => id);
    assert.deepEqual(live, [], 'no log has a job still running after a restart');
    assert.equal(running.n, 0, 'no job is running in the catalog after a restart');
  } finally {
    db.close();
  }
}

/** Everything that must hold right after a restart, before any new write. */
export async function checkAfterRestart(url: string, dataDir: string, workload: Workload): Promise<CheckFigures> {
  const figures: CheckFigures = { logs: 0, tornFiles: 0 };
  const logs = await readLogs(dataDir, figures);
  assertAckedInLogs(workload, logs);
  assertCatalogAgrees(dataDir, logs);
  await assertOnPages(url, workload, logs);
  return figures;
}

/** The size of the data folder's logs, for the report. */
export async function logBytes(dataDir: string): Promise<number> {
  let total = 0;
  for (const id of await readdir(join(dataDir, 'sessions')))
    total += await stat(join(dataDir, 'sessions', id, 'log.jsonl')).then(
      (s) => s.size,
      () => 0,
    );
  return total;
}
