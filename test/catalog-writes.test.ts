// A row whose search text did not change keeps its text index entry: no delete and insert of the same trigrams.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { Catalog } from '../app/catalog/catalog.ts';
import type { IndexedRow } from '../app/catalog/row.ts';
import { batchOps, emptyPending } from '../app/catalog/writes.ts';
import { tempDir } from './support/app.ts';

const ID = 'c'.repeat(21);
const row = (overrides: Partial<IndexedRow> = {}): IndexedRow => ({
  id: ID, workflow: 'hello', startedAt: '2026-12-01T10:00:00.000Z', updatedAt: '2026-12-01T10:00:00.000Z', currentStep: null,
  title: 'Alpha', preview: '', finalized: false, archived: false, lastSeq: 1, logSize: 1, search: 'alpha words', ...overrides,
});

test('a batch re-indexes only rows whose search text changed (pure)', () => {
  const batch = emptyPending();
  batch.rows.set(ID, row());
  const names = (same?: Set<string>) => batchOps(batch, same).map(([name]) => name);
  assert.deepEqual(names(), ['unsearch', 'upsert', 'search']);
  assert.deepEqual(names(new Set([ID])), ['upsert'], 'the same text: the row alone');
});

test('the stored text decides: the same text is kept, a new one replaces it, and search follows', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const catalog = new Catalog(join(dir, 'catalog.sqlite'));
  t.after(() => catalog.close());
  const found = (q: string) => catalog.page({ q }).rows.map((r) => r.title);
  catalog.record(row());
  assert.deepEqual(found('alpha'), ['Alpha']);
  catalog.record(row({ title: 'Renamed', lastSeq: 2, updatedAt: '2026-12-01T10:01:00.000Z' }));
  assert.deepEqual(found('alpha'), ['Renamed'], 'the row changed, its text did not: still found by it');
  catalog.record(row({ title: 'Renamed', lastSeq: 3, search: 'beta words' }));
  assert.deepEqual(found('beta'), ['Renamed'], 'a new text is indexed');
  assert.deepEqual(found('alpha'), [], 'and the old one is gone');
  const texts = catalog.db.prepare('SELECT COUNT(*) AS n FROM sessions_search').get() as { n: number };
  assert.equal(texts.n, 1, 'one text row for the one session');
});
