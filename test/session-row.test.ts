// The home page's rows are drawn once for what they show and reused: a change to anything a row shows draws it
// anew, and the same row gives the same HTML.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SessionRow } from '../app/catalog/row.ts';
import { sessionRowBytes } from '../views/session-row.tsx';

const row: SessionRow = {
  id: 'AAAAAAAAAAAAAAAAAAAAA',
  workflow: 'hello',
  startedAt: '2026-12-01T10:00:00.000Z',
  updatedAt: '2026-12-01T10:05:00.000Z',
  currentStep: 'Greeting',
  title: 'Ada <Lovelace>',
  preview: 'Name: Ada',
  finalized: false,
  archived: false,
  lastSeq: 4,
  logSize: 900,
};
const draw = (r: SessionRow, workflowTitle = 'Hello') => sessionRowBytes({ session: r, workflowTitle }).toString('utf8');

test('a row shows its session, escaped, and is drawn again whenever anything it shows changes', () => {
  const first = draw(row);
  assert.match(first, /<tr data-session="AAAAAAAAAAAAAAAAAAAAA">/);
  assert.match(first, /Ada &lt;Lovelace&gt;/, 'the title is escaped, not raw HTML');
  assert.match(first, /Greeting/);
  assert.match(first, />Archive</);
  assert.equal(draw({ ...row }), first, 'the same row (a new object) gives the same HTML');

  const archived = draw({ ...row, archived: true });
  assert.match(archived, />Unarchive</, 'archiving draws the row anew');
  assert.match(draw({ ...row, title: null }), /title="Resume this session" dir="auto">Hello</, 'no title: the workflow title');
  assert.match(draw({ ...row, title: null }, 'Hello again'), />Hello again</, 'a renamed workflow draws the row anew');
  assert.match(draw({ ...row, currentStep: null }), /All done/);
  assert.equal(draw(row), first, 'the first row is still the first HTML');
  const changes: Partial<SessionRow>[] = [
    { preview: 'Name: Grace' },
    { startedAt: '2026-11-30T10:00:00.000Z' },
    { updatedAt: '2026-12-01T11:05:00.000Z' },
    { finalized: true },
  ];
  for (const change of changes) {
    draw(row);
    assert.notEqual(draw({ ...row, ...change }), first, `changing ${Object.keys(change)[0]} draws the row anew`);
  }
});
