import assert from 'node:assert/strict';
import { appendFile, copyFile, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { helloVersion, shortSession, writeSession } from '../bench/lib/fixtures.ts';
import { Catalog } from '../app/catalog/catalog.ts';
import { sessionRow } from '../app/catalog/row.ts';
import { isJobEvent } from '../app/catalog/sync.ts';
import { batchOps, emptyPending, type Pending } from '../app/catalog/writes.ts';
import { SESSION_INDEXES } from '../app/catalog/schema.ts';
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

/** The tables and indexes of a catalog file, as SQLite stores their definitions. */
function schemaOf(db: Catalog['db']) {
  return db.prepare("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name").all();
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
  assert.deepEqual(schemaOf(app.engine.catalog.db), schemaOf(reference.db), 'the bulk load leaves every index of the list in place');
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
  const indexes = (schemaOf(app.engine.catalog.db) as { type: string; name: string }[]).filter((o) => o.type === 'index').map((o) => o.name);
  for (const name of Object.keys(SESSION_INDEXES)) assert.ok(indexes.includes(name), `${name} is there after the retried bulk load: ${indexes}`);
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

test('a fresh batch (nothing stored) deletes no text and numbers its rows itself, each text row under its row\'s number', () => {
  const batch: Pending = { ...emptyPending(), fresh: true };
  for (const id of ['a', 'b', 'c']) batch.rows.set(id, row(id));
  const ops = batchOps(batch);
  assert.deepEqual(
    ops.map(([name]) => name),
    ['insert', 'insert', 'insert', 'searchAt', 'searchAt', 'searchAt'],
  );
  const numbers = new Map(ops.filter(([name]) => name === 'insert').map(([, n, id]) => [id, n]));
  assert.deepEqual([...numbers], [['a', 1], ['b', 2], ['c', 3]]);
  assert.deepEqual(ops.filter(([name]) => name === 'searchAt')[1], ['searchAt', numbers.get('b'), 'text of b']);
});

test('the scan reads odd logs as before: bytes that are not UTF-8 exactly, a link or a folder never, and a known log replaced by a link is dropped', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const version = await helloVersion();
  const log = (id: string) => join(dir, 'sessions', id, 'log.jsonl');
  const plain = writeSession(dir, shortSession(version, 1));
  // A value with a byte that is not UTF-8 (read as U+FFFD) and one with a real U+FFFD: each row's size is its file's.
  const notUtf8 = writeSession(dir, [...shortSession(version, 2), { type: 'note', step: null, text: 'raw byte: #' }]);
  const raw = await readFile(log(notUtf8));
  raw[raw.lastIndexOf('#')] = 0xff;
  await writeFile(log(notUtf8), raw);
  const replacement = writeSession(dir, [...shortSession(version, 3), { type: 'note', step: null, text: 'replacement: \uFFFD' }]);
  const folder = writeSession(dir, shortSession(version, 4));
  await rm(log(folder));
  await mkdir(log(folder));
  const linked = writeSession(dir, shortSession(version, 5));
  await copyFile(log(linked), join(dir, 'elsewhere.jsonl'));
  await rm(log(linked));
  await symlink(join(dir, 'elsewhere.jsonl'), log(linked));

  const { result: first, lines } = await stderrOf(() => testApp({ dataDir: dir }));
  const sizes = first.engine.catalog.logSizes();
  first.close();
  assert.deepEqual([...sizes.keys()].sort(), [plain, notUtf8, replacement].sort(), 'the folder and the link are not listed');
  for (const id of [plain, notUtf8, replacement]) assert.equal(sizes.get(id), (await readFile(log(id))).length, `the row of ${id} has its file's size`);
  assert.match(lines.join('\n'), new RegExp(`session ${folder} is left out of the list: \\S+ is not a regular file`), JSON.stringify(lines));
  assert.ok(!lines.some((l) => l.includes(linked)), 'a link is no session, and is not reported as damaged');

  // At the next start, a known log that became a link to a file of the same size is dropped, and a changed one read.
  await copyFile(log(plain), join(dir, 'plain-copy.jsonl'));
  await rm(log(plain));
  await symlink(join(dir, 'plain-copy.jsonl'), log(plain));
  await appendFile(log(replacement), '{"torn');
  const again = await stderrOf(() => testApp({ dataDir: dir }));
  t.after(() => again.result.close());
  const after = again.result.engine.catalog.logSizes();
  assert.deepEqual([...after.keys()].sort(), [notUtf8, replacement].sort(), 'the log that became a link is dropped');
  assert.equal(after.get(replacement), sizes.get(replacement), 'a torn tail is left out of the size, as before');
});
