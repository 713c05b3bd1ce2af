import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { lstat, mkdir, readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { Catalog, PAGE_SIZE } from '../app/catalog/catalog.ts';
import { whereOf } from '../app/catalog/query.ts';
import type { IndexedRow } from '../app/catalog/row.ts';
import { parseLog, sessionOf } from './support/client.ts';
import { decode } from './support/html.ts';
import { ROOT, tempDir, testApp } from './support/app.ts';
import { killAllServers, startServer } from './support/server-process.ts';
import { catalogOnSmallDisk, fillDisk } from './support/small-disk.ts';
import { stderrOf } from './support/stderr.ts';

test.after(killAllServers);

/** Ids of the session rows on a home page, in order. */
const listed = (html: string) => [...html.matchAll(/<tr data-session="([^"]+)">/g)].map((m) => m[1]);

function row(id: string, at: string, search: string, overrides: Partial<IndexedRow> = {}): IndexedRow {
  return { id, workflow: 'hello', startedAt: at, updatedAt: at, currentStep: null, title: null, preview: '', finalized: false, archived: false, lastSeq: 1, logSize: 1, search, ...overrides };
}

// ---- (3) A damaged catalog is set aside and rebuilt; the server still starts ----

for (const damage of ['garbage', 'truncated'] as const) {
  test(`a ${damage} catalog.sqlite is renamed beside itself, rebuilt from the logs, and said so in one line`, async (t) => {
    const { dir, cleanup } = await tempDir();
    t.after(cleanup);
    const first = await testApp({ dataDir: dir });
    const req = (path: string, init?: RequestInit) => Promise.resolve(first.app.request(path, init));
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) ids.push(sessionOf(await req('/start/hello', { method: 'POST' })));
    first.close();
    const file = join(dir, 'catalog.sqlite');
    if (damage === 'garbage') await writeFile(file, 'this is not a database, only words '.repeat(300));
    else await truncate(file, Math.floor((await stat(file)).size / 2));
    const damaged = await readFile(file);

    const { result: second, lines } = await stderrOf(() => testApp({ dataDir: dir }));
    t.after(() => second.close());
    const said = lines.filter((l) => l.includes('catalog'));
    assert.equal(said.length, 1, `one line about the catalog: ${JSON.stringify(lines)}`);
    assert.match(said[0], /catalog was damaged .*set aside as catalog\.sqlite\.damaged-.*rebuilt from the logs/);
    const aside = (await readdir(dir)).filter((n) => n.startsWith('catalog.sqlite.damaged-') && !/-(wal|shm)$/.test(n));
    assert.equal(aside.length, 1, 'the damaged file is kept');
    assert.deepEqual(await readFile(join(dir, aside[0])), damaged, 'byte for byte');
    const html = await Promise.resolve(second.app.request('/')).then((r) => r.text());
    assert.deepEqual(new Set(listed(html)), new Set(ids), 'every session is listed again');
  });
}

test('`cardtrail serve` starts on a garbage catalog and lists the sessions', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const first = await testApp({ dataDir: dir });
  const id = sessionOf(await Promise.resolve(first.app.request('/start/hello', { method: 'POST' })));
  first.close();
  await writeFile(join(dir, 'catalog.sqlite'), Buffer.alloc(8192, 0x5a));
  const server = await startServer({ dataDir: dir });
  t.after(() => server.stop());
  assert.match(server.output(), /catalog was damaged/);
  const html = await fetch(`${server.url}/`).then((r) => r.text());
  assert.deepEqual(listed(html), [id]);
});

/** A data folder holding one hello session and no catalog yet, and the session's id. */
async function oneSession(dir: string): Promise<string> {
  const first = await testApp({ dataDir: dir });
  const id = sessionOf(await Promise.resolve(first.app.request('/start/hello', { method: 'POST' })));
  first.close();
  for (const suffix of ['', '-wal', '-shm']) await rm(join(dir, `catalog.sqlite${suffix}`), { force: true });
  return id;
}

const PLANTS = {
  folder: { kind: 'a folder', plant: async (file: string) => (await mkdir(file), await writeFile(join(file, 'inside.txt'), 'kept')) },
  pipe: { kind: 'a pipe', plant: async (file: string) => void execFileSync('mkfifo', [file]) },
};

for (const [name, { kind, plant }] of Object.entries(PLANTS)) {
  test(`a catalog.sqlite that is ${kind} is set aside (not opened, not deleted), rebuilt from the logs, and said so in one line`, async (t) => {
    const { dir, cleanup } = await tempDir();
    t.after(cleanup);
    const id = await oneSession(dir);
    await plant(join(dir, 'catalog.sqlite'));
    const { result: app, lines } = await stderrOf(() => testApp({ dataDir: dir }));
    t.after(() => app.close());
    const said = lines.filter((l) => l.includes('catalog'));
    assert.deepEqual(said.length, 1, `one line about the catalog: ${JSON.stringify(lines)}`);
    assert.match(said[0], new RegExp(`catalog was damaged \\(catalog\\.sqlite is ${kind}, not a file\\): set aside as catalog\\.sqlite\\.damaged-.*, rebuilt from the logs\\.$`));
    const aside = (await readdir(dir)).filter((n) => n.startsWith('catalog.sqlite.damaged-'));
    assert.equal(aside.length, 1, `kept under another name: ${aside}`);
    if (name === 'folder') assert.equal(await readFile(join(dir, aside[0], 'inside.txt'), 'utf8'), 'kept', 'with what it held');
    assert.ok((await lstat(join(dir, 'catalog.sqlite'))).isFile(), 'a new catalog file');
    const html = await Promise.resolve(app.app.request('/')).then((r) => r.text());
    assert.deepEqual(listed(html), [id]);
  });
}

test('`cardtrail serve` starts when catalog.sqlite is a folder, and lists the sessions', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const id = await oneSession(dir);
  await mkdir(join(dir, 'catalog.sqlite'));
  const server = await startServer({ dataDir: dir });
  t.after(() => server.stop());
  assert.match(server.output(), /catalog was damaged \(catalog\.sqlite is a folder, not a file\): set aside as/);
  assert.deepEqual(listed(await fetch(`${server.url}/`).then((r) => r.text())), [id]);
});

test('a catalog.sqlite that is a folder and cannot be moved (a mount point) stops `cardtrail serve` with one plain sentence naming it', async (t) => {
  const { dir, cleanup } = await tempDir();
  const file = join(dir, 'catalog.sqlite');
  let mounted = false;
  t.after(async () => {
    if (mounted) execFileSync('umount', ['-l', file], { stdio: 'ignore' });
    await cleanup();
  });
  await oneSession(dir);
  await mkdir(file);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', file], { stdio: 'ignore' });
    mounted = true;
  } catch {
    return void t.skip('cannot mount a tmpfs here (needs root)');
  }
  const serve = spawnSync(process.execPath, [join(ROOT, 'bin/cardtrail.js'), 'serve', '--port', '0', '--data', dir, '--no-open'], { encoding: 'utf8', timeout: 20_000 });
  assert.equal(serve.status, 1, serve.stderr);
  assert.equal(
    serve.stderr,
    `The catalog ${file} cannot be used (catalog.sqlite is a folder, not a file) and could not be moved aside (EBUSY). It holds only what the logs rebuild: move or remove it, then start again.\n`,
  );
});

// ---- (2) A failed catalog write never fails a change that the log recorded ----

test('with the catalog on a full disk, changes still succeed once, and the list catches up when space returns', async (t) => {
  // The data folder is a small tmpfs holding only the catalog; the sessions folder is bound in from a roomy disk,
  // so the log appends succeed while every catalog write meets a full disk.
  const disk = await catalogOnSmallDisk(t);
  if (!disk) return;
  const { data, undo } = disk;
  const ct = await testApp({ dataDir: data });
  undo.push(() => ct.close());
  const client = {
    get: (path: string) => Promise.resolve(ct.app.request(path)),
    post: (path: string, form: Record<string, string>) =>
      Promise.resolve(ct.app.request(path, { method: 'POST', body: new URLSearchParams(form) })),
  };
  const id = sessionOf(await client.post('/start/hello', {}));
  await client.get('/');
  const filler = await fillDisk(data);

  const { lines } = await stderrOf(async () => {
    const submit = await client.post(`/s/${id}/steps/name`, { name: 'Ada' });
    assert.equal(submit.status, 303, 'the submit succeeded: its values are in the log');
    const note = await client.post(`/s/${id}/notes`, { step: '', text: 'only once' });
    assert.equal(note.status, 303, 'the note succeeded');
    const home = await client.get('/');
    assert.equal(home.status, 200, 'the list answers, from what the catalog holds');
    assert.ok(ct.engine.catalog.failure, 'a catalog write did fail (the disk is full)');
    assert.match(String(ct.engine.catalog.failure?.message), /full|disk/i);
    const page = await client.get(`/s/${id}`);
    assert.equal(page.status, 200);
    assert.match(decode(await page.text()), /Hello Ada!/);
  });
  assert.equal(lines.filter((l) => l.includes('catalog could not be written')).length, 1, `said once: ${JSON.stringify(lines)}`);
  const events = parseLog(await readFile(join(data, 'sessions', id, 'log.jsonl')));
  assert.equal(events.filter((e) => e.type === 'note').length, 1, 'the note is recorded once');
  assert.equal(events.filter((e) => e.type === 'step.completed').length, 1);

  await rm(filler);
  const { result: html } = await stderrOf(() => client.get('/').then((r) => r.text()));
  assert.equal(ct.engine.catalog.failure, undefined, 'written again');
  assert.match(decode(html), new RegExp(`data-session="${id}">.*?<td[^>]*>Greeting</td>`, 's'), 'the list shows the step after Ada');
});

test('a catalog write that fails is kept and written by the retry, without any request', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const lines: string[] = [];
  const catalog = new Catalog(join(dir, 'catalog.sqlite'), (line) => lines.push(line));
  t.after(() => catalog.close());
  // A real SQLite refusal: the file may not grow past its current pages (what a full disk does to it).
  const pages = catalog.db.pragma('page_count', { simple: true }) as number;
  catalog.db.pragma(`max_page_count = ${pages}`);
  const at = '2026-01-01T00:00:00.000Z';
  for (let i = 0; i < 200; i++) catalog.record(row(`s${String(i).padStart(20, '0')}`, at, 'x'.repeat(500)));
  assert.equal(catalog.flush(), false, 'the write failed');
  assert.equal(lines.length, 1);
  catalog.db.pragma('max_page_count = 1000000');
  await new Promise((done) => setTimeout(done, 1500));
  assert.equal(catalog.failure, undefined, 'the retry wrote it');
  assert.equal(catalog.page({ status: 'all' }).total, 200);
  assert.match(lines[1], /written again/);
});

// ---- Search and pages come from the catalog's indexes ----

test('the catalog pages sessions newest first and finds them by any words of their text', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const catalog = new Catalog(join(dir, 'catalog.sqlite'));
  t.after(() => catalog.close());
  const total = PAGE_SIZE * 2 + 7;
  for (let i = 0; i < total; i++) {
    const at = new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString();
    catalog.record(row(`s${String(i).padStart(20, '0')}`, at, `Hello\nname ${i % 2 ? 'Ada Lovelace' : 'Bob'} ${i}`, { archived: i === 3 }));
  }
  const first = catalog.page({ status: 'all' });
  assert.equal(first.total, total);
  assert.equal(first.rows.length, PAGE_SIZE);
  assert.equal(first.rows[0].id, `s${String(total - 1).padStart(20, '0')}`, 'newest first');
  const third = catalog.page({ status: 'all', page: 3 });
  assert.equal(third.rows.length, 7);
  assert.equal(third.rows.at(-1)!.id, `s${'0'.repeat(20)}`);
  assert.equal(catalog.page({ status: 'all', page: 99 }).page, 3, 'past the end is the last page');

  const ada = catalog.page({ status: 'all', q: 'lovelace ADA' });
  assert.equal(ada.total, Math.floor(total / 2));
  assert.ok(ada.rows.every((r) => Number(r.id.slice(1)) % 2 === 1));
  assert.equal(catalog.page({ status: 'all', q: 'ada 201' }).rows.map((r) => r.id).join(), `s${'201'.padStart(20, '0')}`, 'every word must match');
  assert.equal(catalog.page({ q: 'bob 3' }).total, catalog.page({ status: 'all', q: 'bob 3' }).total, 'an archived odd one is not Bob');
  assert.equal(catalog.page({ status: 'all', q: 'nobody' }).total, 0);
  assert.equal(catalog.page({ status: 'all', q: '"; DROP TABLE sessions; --' }).total, 0, 'quotes are words, not syntax');
  assert.equal(catalog.page({ status: 'all' }).total, total);

  // The long words go through the trigram index, not a scan of the table.
  const { sql, params } = whereOf({ q: 'lovelace' });
  const plan = catalog.db.prepare(`EXPLAIN QUERY PLAN SELECT id FROM ${sql} ORDER BY updated_at DESC`).all(params) as { detail: string }[];
  assert.ok(plan.some((p) => /VIRTUAL TABLE INDEX/.test(p.detail)), JSON.stringify(plan));
});

test('the home page searches with ?q= and pages with ?page= through plain links that keep the search', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const ct = await testApp({ dataDir: dir });
  t.after(() => ct.close());
  const req = (path: string, init?: RequestInit) => Promise.resolve(ct.app.request(path, init));
  const post = (path: string, form: Record<string, string> = {}) => req(path, { method: 'POST', body: new URLSearchParams(form) });
  const named: string[] = [];
  for (let i = 0; i < PAGE_SIZE + 3; i++) {
    const id = sessionOf(await post('/start/hello'));
    if (i % 40 === 0) {
      await post(`/s/${id}/steps/name`, { name: `Grace Hopper ${i}` });
      named.push(id);
    }
  }
  const home = await req('/').then((r) => r.text());
  assert.equal(listed(home).length, PAGE_SIZE);
  assert.match(home, /Sessions 1–100 of 103/);
  const next = /<a href="([^"]+)" rel="next">/.exec(home)?.[1];
  assert.equal(decode(next ?? ''), '/?page=2');
  const second = await req(decode(next!)).then((r) => r.text());
  assert.equal(listed(second).length, 3);
  assert.match(second, /rel="prev"/);
  assert.doesNotMatch(second, /rel="next"/);

  const found = await req('/?q=hopper').then((r) => r.text());
  assert.deepEqual(new Set(listed(found)), new Set(named));
  assert.match(found, /name="q" value="hopper"/, 'the search box keeps the words');
  assert.equal(listed(await req('/?q=hopper%2080').then((r) => r.text())).length, 1);
  for (const bad of ['0', '-1', 'x', '1e9', '99999999'])
    assert.equal((await req(`/?page=${bad}`)).status, 200, `page=${bad} answers with a page`);
});

test('the home list shows titles and previews from the catalog rows, a renamed session is found by its new name, and no log is read', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  let ct = await testApp({ dataDir: dir });
  const post = (path: string, form: Record<string, string> = {}) =>
    Promise.resolve(ct.app.request(path, { method: 'POST', body: new URLSearchParams(form) }));
  const renamed = sessionOf(await post('/start/hello'));
  await post(`/s/${renamed}/steps/name`, { name: 'Ada Lovelace' });
  assert.equal((await post(`/s/${renamed}/title`, { title: 'Quarterly zebra report' })).status < 400, true);
  const derived = sessionOf(await post('/start/hello'));
  await post(`/s/${derived}/steps/name`, { name: 'Grace Hopper' });
  ct.close();

  // A fresh server: no folded state in memory, so any title not in the catalog would need its log read.
  ct = await testApp({ dataDir: dir });
  t.after(() => ct.close());
  const engine = ct.engine;
  const reads = [t.mock.method(engine.store, 'read'), t.mock.method(engine.store, 'readFrom'), t.mock.method(engine, 'load')];
  const get = (path: string) => Promise.resolve(ct.app.request(path)).then((r) => r.text());
  const cell = (html: string, id: string) => decode(new RegExp(`<tr data-session="${id}">([\\s\\S]*?)</tr>`).exec(html)?.[1] ?? '');

  const home = await get('/');
  assert.match(cell(home, renamed), />Quarterly zebra report</, 'the name the person gave wins');
  assert.match(cell(home, renamed), /class="preview">Name: Ada Lovelace</);
  assert.match(cell(home, derived), />Hello — Grace Hopper</, 'without a name, the title comes from the first text');
  const found = await get('/?q=zebra');
  assert.deepEqual(listed(found), [renamed]);
  assert.match(cell(found, renamed), />Quarterly zebra report</);
  assert.deepEqual(
    reads.map((m) => m.mock.callCount()),
    [0, 0, 0],
    'the list and its search read no log',
  );
});

test('every filter counts what its pages list: the default count (all less the archived) included', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const catalog = new Catalog(join(dir, 'catalog.sqlite'));
  t.after(() => catalog.close());
  for (let i = 0; i < 250; i++) {
    const at = new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString();
    catalog.record(row(`s${String(i).padStart(20, '0')}`, at, i % 3 ? 'apple pie' : 'plum cake', { workflow: i % 2 ? 'hello' : 'trip', archived: i % 7 === 0, finalized: i % 5 === 0 }));
  }
  const everyRow = (filter: Parameters<Catalog['page']>[0]) => {
    const ids: string[] = [];
    for (let page = 1; page <= 3; page++) ids.push(...catalog.page({ ...filter, page }).rows.map((r) => r.id));
    return new Set(ids).size;
  };
  const expected = { active: 214, open: 172, finalized: 42, archived: 36, all: 250 } as const;
  for (const status of ['active', 'open', 'finalized', 'archived', 'all'] as const) {
    assert.equal(catalog.page({ status }).total, expected[status], status);
    for (const filter of [{ status }, { status, workflow: 'trip' }, { status, q: 'plum' }]) assert.equal(catalog.page(filter).total, everyRow(filter), JSON.stringify(filter));
  }
  assert.equal(catalog.page({}).total, expected.active, 'no status is the default list');
});
