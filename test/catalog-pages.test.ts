// Pages of the session list are kept between the catalog's writes: a page read again without a write between is
// the same answer, and any write (a row, a removal, a job's progress) makes the next read see it.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { Catalog } from '../app/catalog/catalog.ts';
import { PAGE_SIZE } from '../app/catalog/query.ts';
import type { IndexedRow } from '../app/catalog/row.ts';
import { tempDir } from './support/app.ts';

const row = (id: string, minute: number, overrides: Partial<IndexedRow> = {}): IndexedRow => {
  const at = new Date(Date.UTC(2026, 11, 1, 10, minute)).toISOString();
  return { id, workflow: 'hello', startedAt: at, updatedAt: at, currentStep: null, title: `Session ${id}`, preview: '', finalized: false, archived: false, lastSeq: 1, logSize: 1, search: `Session ${id}`, ...overrides };
};
const ids = (c: Catalog, filter = {}) => c.page(filter).rows.map((r) => r.id);

test('a page of the list is read once between writes, and every write is seen by the next read', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const catalog = new Catalog(join(dir, 'catalog.sqlite'));
  t.after(() => catalog.close());
  catalog.record(row('a'.repeat(21), 1));
  catalog.record(row('b'.repeat(21), 2));
  const first = catalog.page();
  assert.deepEqual(first.rows.map((r) => r.id), ['b'.repeat(21), 'a'.repeat(21)]);
  assert.equal(catalog.page(), first, 'no write since: the same page');
  assert.notEqual(catalog.page({ q: 'Session' }), first, 'another filter is its own page');

  catalog.record(row('a'.repeat(21), 3, { title: 'Renamed', search: 'Renamed' }));
  const after = catalog.page();
  assert.notEqual(after, first);
  assert.deepEqual(ids(catalog), ['a'.repeat(21), 'b'.repeat(21)], 'a queued row is written before the read and seen');
  assert.equal(after.rows[0].title, 'Renamed');
  assert.deepEqual(ids(catalog, { q: 'renamed' }), ['a'.repeat(21)], 'a search after the write sees it too');

  catalog.record(row('b'.repeat(21), 4, { archived: true }));
  assert.deepEqual(ids(catalog), ['a'.repeat(21)], 'archived leaves the default list');
  assert.equal(catalog.page().total, 1);
  catalog.remove('a'.repeat(21));
  assert.deepEqual(ids(catalog), [], 'a removal is seen');
  assert.deepEqual(ids(catalog, { status: 'all' }), ['b'.repeat(21)]);
});

test('the count of matches is right whether the first page is full or not, and follows every write', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const catalog = new Catalog(join(dir, 'catalog.sqlite'));
  t.after(() => catalog.close());
  const id = (i: number) => `s${String(i).padStart(20, '0')}`;
  // 150 sessions, every third one a "Hopper": the search's first page is not full, the list's is.
  for (let i = 0; i < 150; i++) catalog.record(row(id(i), i, { search: i % 3 ? 'Lovelace' : 'Hopper' }));

  const list = catalog.page();
  assert.equal(list.rows.length, PAGE_SIZE);
  assert.equal(list.total, 150, 'a full first page is counted');
  const second = catalog.page({ page: 2 });
  assert.deepEqual([second.page, second.total, second.rows.length], [2, 150, 50]);
  const hopper = catalog.page({ q: 'hopper' });
  assert.deepEqual([hopper.total, hopper.rows.length], [50, 50], 'a first page that is not full holds every match');
  assert.equal(catalog.page({ q: 'hopper', page: 9 }).page, 1, 'a page past the last is the last');

  // Each kind of write changes the counts, also of a later page whose count was kept.
  catalog.record(row(id(150), 150, { search: 'Hopper' }));
  assert.equal(catalog.page({ page: 2 }).total, 151);
  assert.equal(catalog.page({ q: 'hopper' }).total, 51);
  catalog.record(row(id(149), 151, { archived: true, search: 'Lovelace' }));
  assert.deepEqual([catalog.page({ page: 2 }).total, catalog.page({ page: 2 }).rows.length], [150, 50]);
  catalog.remove(id(0));
  assert.equal(catalog.page({ page: 2 }).total, 149);
  assert.equal(catalog.page({ q: 'hopper', page: 1 }).total, 50);
  assert.equal(catalog.page({ q: 'lovelace', page: 2 }).total, 99, 'the 100 Lovelaces less the archived one, past a full first page');
});
