import assert from 'node:assert/strict';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { helloVersion, shortSession, writeSession } from '../bench/lib/fixtures.ts';
import { Catalog } from '../app/catalog/catalog.ts';
import { sessionRow } from '../app/catalog/row.ts';
import { isJobEvent } from '../app/catalog/sync.ts';
import { batchOps, emptyPending, type Pending } from '../app/catalog/writes.ts';
import type { IndexedRow } from '../app/catalog/row.ts';
import type { NewEvent } from '../app/log/events.ts';
import { fold } from '../app/log/fold.ts';
import { parse } from '../app/log/store.ts';
import { discoverWorkflows } from '../app/engine/discover.ts';
import { ROOT, tempDir, testApp } from './support/app.ts';
import { catalogOnSmallDisk, fillDisk } from './support/small-disk.ts';
import { stderrOf } from './support/stderr.ts';

/** Enough sessions that the index's pages split many times over. */
const MANY = 1_234;

/** Sessions of every shape a row can take: named, renamed, noted, finalized, archived, with a job, plain. */
function variedSessions(version: string, i: number): NewEvent[] {
  const events = shortSession(version, i);
  if (i % 5 === 1) events.push({ type: 'session.titled', title: `Renamed ${i} “quoted”` });
  if (i % 7 === 2) events.push({ type: 'note', step: null, text: `note ${i} ünïcode ✓` });
  if (i % 11 === 3) events.push({ type: 'session.finalized' });
  if (i % 13 === 4) events.push({ type: 'session.archived' });
  if (i % 17 === 5) events.push({ type: 'job.started', step: 'greeting', job: `job-${i}` }, { type: 'job.failed', step: 'greeting', job: `job-${i}`, error: 'no' });
  return events;
}

/** Writes `count` varied sessions into `<data>/sessions/`; their ids. */
async function writeMany(data: string, count: number): Promise<string[]> {
  const version = await helloVersion();
  return Array.from({ length: count }, (_, i) => writeSession(data, variedSessions(version, i), Date.UTC(2026, 0, 1) + i * 60_000));
}

/** Every row, search text and job of a catalog file, in a fixed order (the row numbers n aside). */
function contents(db: Catalog['db']) {
  return {
    sessions: db.prepare('SELECT id, workflow, started_at, updated_at, current_step, title, preview, finalized, archived, last_seq, seen_seq, log_size FROM sessions ORDER BY id').all(),
    search: db.prepare('SELECT s.id, f.text FROM sessions_search f JOIN sessions s ON s.n = f.rowid ORDER BY s.id').all(),
    textRows: (db.prepare('SELECT COUNT(*) AS c FROM sessions_search').get() as { c: number }).c,
    jobs: db.prepare('SELECT job, session, step, status, requested_at, ended_at, error FROM jobs ORDER BY job').all(),
  };
}

test(`a start-up rebuild of ${MANY} sessions, written as one batch, equals writing each row in a transaction of its own`, async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const data = join(dir, 'data');
  const ids = await writeMany(data, MANY);

  const { result: app, lines } = await stderrOf(() => testApp({ dataDir: data }));
  t.after(() => app.close());
  assert.deepEqual(lines, [], 'nothing failed');
  const rebuilt = contents(app.engine.catalog.db);

  // The reference: the same rows, each written in a transaction of its own.
  const { workflows } = await discoverWorkflows(join(ROOT, 'workflows'));
  const reference = new Catalog(join(dir, 'reference.sqlite'));
  t.after(() => reference.close());
  for (const id of ids) {
    const bytes = await readFile(join(data, 'sessions', id, 'log.jsonl'));
    const { events, goodLength } = parse(bytes, 1);
    const state = fold(events);
    reference.record(sessionRow(id, state, workflows.get(state.workflow), goodLength), events.filter(isJobEvent));
    assert.equal(reference.flush(), true);
  }
  const expected = contents(reference.db);
  assert.equal(rebuilt.sessions.length, MANY);
  assert.equal(rebuilt.textRows, MANY, 'one text row per session, none left over');
  assert.deepEqual(rebuilt, expected);
  assert.ok(expected.jobs.length > 0 && expected.sessions.some((r) => (r as { title: string }).title.startsWith('Renamed')), 'the sessions vary');

  const found = app.engine.catalog.page({ q: 'Hopper', status: 'all' }).total;
  assert.equal(found, Math.floor((MANY - 1) / 7) + 1, 'search finds every Hopper (one in seven) through the rebuilt text index');
});

test('a start that finds every row stale rewrites each row and its text in place, leaving no old text behind', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  await writeMany(dir, MANY);
  const first = await testApp({ dataDir: dir });
  const built = contents(first.engine.catalog.db);
  // Every row now disagrees with its log's size, and its text is not what the log says.
  first.engine.catalog.db.exec(`UPDATE sessions SET log_size = 0, title = 'stale'; UPDATE sessions_search SET text = 'stale text'`);
  first.close();

  const again = await testApp({ dataDir: dir });
  t.after(() => again.close());
  assert.deepEqual(contents(again.engine.catalog.db), built, 'the same rows and text as the first build, once each');
  assert.equal(again.engine.catalog.page({ q: 'stale', status: 'all' }).total, 0, 'no old text is found');
  assert.equal(await again.engine.syncCatalog(), 0, 'and now every row matches its log');
});

test('a rebuild on a full disk leaves no half of it in the catalog, starts anyway, and is written when space returns', async (t) => {
  // The catalog on a small tmpfs, the sessions bound in from a roomy disk.
  const disk = await catalogOnSmallDisk(t);
  if (!disk) return;
  const { data, undo } = disk;
  // The file and its tables exist, and stay open (so its -wal and -shm stay, as beside a server that was
  // running when the disk filled): only the rows need room.
  const before = new Catalog(join(data, 'catalog.sqlite'));
  undo.push(() => before.close());
  await writeMany(data, MANY);
  const filler = await fillDisk(data);

  const { result: app, lines } = await stderrOf(() => testApp({ dataDir: data }));
  undo.push(() => app.close());
  assert.match(lines.join('\n'), /catalog could not be written \(.*full.*\)/, JSON.stringify(lines));
  const count = () => (app.engine.catalog.db.prepare('SELECT COUNT(*) AS c FROM sessions').get() as { c: number }).c;
  assert.equal(count(), 0, 'no part of the rebuild was committed');

  await rm(filler);
  await stderrOf(async () => {
    assert.equal(app.engine.catalog.page({ status: 'all' }).total, MANY, 'the queued rebuild is written at the next read');
  });
  assert.equal(count(), MANY);
});

// ---- The write plan, without a database ----

function row(id: string): IndexedRow {
  const at = '2026-01-01T00:00:00.000Z';
  return { id, workflow: 'hello', startedAt: at, updatedAt: at, currentStep: null, title: null, preview: '', finalized: false, archived: false, lastSeq: 1, logSize: 1, search: `text of ${id}` };
}

test('a batch deletes text first, then writes every session row, then every text-index row', () => {
  const batch: Pending = emptyPending();
  for (const id of ['a', 'b', 'c']) batch.rows.set(id, row(id));
  batch.removed.add('gone');
  const names = batchOps(batch).map(([name]) => name);
  assert.deepEqual(names, ['unsearch', 'unsearch', 'unsearch', 'unsearch', 'removeRow', 'removeJobs', 'upsert', 'upsert', 'upsert', 'search', 'search', 'search']);
  const search = batchOps(batch).filter(([name]) => name === 'search');
  assert.deepEqual(search[1], ['search', 'b', 'text of b'], 'the text goes with its session id');
});
