// The history's read path: a line index beside the log so a page reads only its own lines, states saved every
// PAST_EVERY entries for /at/<seq>, and throttled job checkpoints. Real logs on a real disk, the real app.
import assert from 'node:assert/strict';
import { open, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { Checkpoints } from '../app/jobs/checkpoints.ts';
import type { NewEvent } from '../app/log/events.ts';
import { lineStarts } from '../app/log/line-index.ts';
import { PAST_EVERY } from '../app/log/past.ts';
import { History } from '../app/engine/history.ts';
import { Client, hello } from './support/client.ts';
import { textOf } from './support/html.ts';
import { tempDir } from './support/app.ts';

const notes = (count: number, from = 1): NewEvent[] => Array.from({ length: count }, (_, i) => ({ type: 'note', step: 'name', text: `note ${from + i}` }));

/** The seqs listed on a history page and what its integrity line says. */
function pageOf(html: string): { seqs: number[]; intact: boolean; text: string } {
  const seqs = [...html.matchAll(/<tr data-seq="(\d+)"/g)].map((m) => Number(m[1]));
  const text = /<p class="integrity[^"]*"[^>]*>([^<]*)/.exec(html)?.[1] ?? '';
  return { seqs, intact: /class="integrity ok"/.test(html), text };
}

/** A hello session with a name and then `extra` notes: 3 + extra entries. */
async function longSession(client: Client, extra: number): Promise<string> {
  const id = await hello(client, 'Ada');
  for (let i = 0; i < extra; i += 500) await client.ct.engine.store.append(id, notes(Math.min(500, extra - i), i + 1));
  return id;
}

test('the line index beside the log names where every line starts, and moves forward with appends', async (t) => {
  const client = await Client.open(t);
  const id = await longSession(client, 600);
  assert.deepEqual(pageOf(await client.html(`/s/${id}/history`)).seqs.at(-1), 603);
  const indexFile = join(client.ct.engine.store.sessionDir(id), 'lines.idx');
  // The index is written beside the log after the page is answered, not before.
  const saved = await eventually(() => readFile(indexFile));
  const header = JSON.parse(saved.toString('utf8', 0, saved.indexOf(10)));
  assert.equal(header.seq, 603);
  const log = await client.logBytes(id);
  const starts = new Float64Array(saved.buffer.slice(saved.byteOffset + saved.indexOf(10) + 1, saved.byteOffset + saved.length));
  assert.deepEqual([...starts], [...lineStarts(log)], 'the saved offsets are the log\'s line starts');

  // An append through the engine moves the index on without reading the log again.
  await client.act(`/s/${id}/notes`, { step: '', text: 'one more' });
  const moved = await client.ct.engine.lines.get(id);
  assert.equal(moved?.seq, 604);
  assert.deepEqual([...moved!.starts.subarray(0, moved!.seq + 1)], [...lineStarts(await client.logBytes(id))], 'the starts, past which the array has room');
  const page = pageOf(await client.html(`/s/${id}/history`));
  assert.equal(page.seqs.at(-1), 604);
  assert.equal(page.intact, true);

  // Once appends pause, the moved index is written beside the log: exactly the log's line starts, no room.
  const deadline = Date.now() + 15_000;
  let file = await readFile(indexFile);
  while (JSON.parse(file.toString('utf8', 0, file.indexOf(10))).seq !== 604 && Date.now() < deadline) {
    await new Promise((done) => setTimeout(done, 100));
    file = await readFile(indexFile);
  }
  const written = new Float64Array(file.buffer.slice(file.byteOffset + file.indexOf(10) + 1, file.byteOffset + file.length));
  assert.deepEqual([...written], [...lineStarts(await client.logBytes(id))], 'the file holds the moved index, without the room');
});

test('a history page reads only its own lines: damage outside it is seen on its own page, not on others', async (t) => {
  const client = await Client.open(t);
  const id = await longSession(client, 600); // 603 entries: pages 404–603, 204–403, 4–203, 1–3
  await client.html(`/s/${id}/history`); // makes the index
  const dir = client.ct.engine.store.sessionDir(id);
  // Alter line 10 in place (same length, hash kept), then re-stamp the saved index as if it still matched: the
  // latest page cannot notice, since it never reads line 10; the page holding line 10 checks its own chain.
  const log = await client.logBytes(id);
  const starts = lineStarts(log);
  const line10 = log.toString('utf8', starts[9], starts[10]);
  const altered = line10.replace('note 7', 'note X');
  assert.notEqual(altered, line10);
  const handle = await open(client.logPath(id), 'r+');
  await handle.write(altered, starts[9]);
  await handle.close();
  const now = await stat(client.logPath(id), { bigint: true });
  const saved = await eventually(() => readFile(join(dir, 'lines.idx')));
  const header = JSON.parse(saved.toString('utf8', 0, saved.indexOf(10)));
  const forged = Buffer.concat([Buffer.from(JSON.stringify({ ...header, mtime: String(now.mtimeNs) }) + '\n'), saved.subarray(saved.indexOf(10) + 1)]);
  await client.reopen({ beforeOpen: () => writeFile(join(dir, 'lines.idx'), forged) });

  const latest = pageOf(await client.html(`/s/${id}/history`));
  assert.deepEqual([latest.seqs[0], latest.seqs.at(-1)], [404, 603]);
  assert.equal(latest.intact, true, 'line 10 was not read for this page');
  const oldest = pageOf(await client.html(`/s/${id}/history?before=204`));
  assert.equal(oldest.intact, false, 'the page holding line 10 checks its lines');
  assert.match(oldest.text, /line 10 was altered/);
});

test('without a forged index any change to the log file makes it read and verify the log whole again', async (t) => {
  const client = await Client.open(t);
  const id = await longSession(client, 300);
  assert.equal(pageOf(await client.html(`/s/${id}/history`)).intact, true);
  const log = await client.logBytes(id);
  const starts = lineStarts(log);
  const handle = await open(client.logPath(id), 'r+');
  await handle.write(log.toString('utf8', starts[49], starts[50]).replace('note 47', 'note ZZ'), starts[49]);
  await handle.close();
  const page = pageOf(await client.html(`/s/${id}/history`));
  assert.equal(page.intact, false, 'the running app noticed');
  assert.match(page.text, /line 50 was altered/);
});

/** What a session page says of its log's chain: a placeholder asking for it, a warning, or nothing (known intact). */
function integrityOf(html: string): 'ask' | 'warning' | 'intact' {
  if (/<div id="integrity" hx-get="\/s\/[^"]+\/integrity" hx-trigger="load"/.test(html)) return 'ask';
  if (/<article id="integrity" class="banner warning" role="alert">/.test(html)) return 'warning';
  assert.match(html, /<div id="integrity"><\/div>/);
  return 'intact';
}

for (const when of ['while the server runs', 'then a restart'] as const) {
  test(`a line edited by hand (${when}): the session page warns, with a link to the history, and no view reads the whole log to know it`, async (t) => {
    const client = await Client.open(t);
    const id = await longSession(client, 20);
    // Never verified: the page asks once it is shown; the answer (intact) is then known to every view.
    assert.equal(integrityOf(await client.page(id)), 'ask');
    assert.equal(integrityOf(await client.html(`/s/${id}/integrity`)), 'intact');
    assert.equal(integrityOf(await client.page(id)), 'intact');

    const log = await client.logBytes(id);
    const starts = lineStarts(log);
    const handle = await open(client.logPath(id), 'r+');
    await handle.write(log.toString('utf8', starts[9], starts[10]).replace('note 7', 'note X'), starts[9]);
    await handle.close();
    if (when === 'then a restart') await client.reopen();

    const verified = t.mock.method(client.ct.engine.lines, 'get');
    assert.equal(integrityOf(await client.page(id)), 'ask', 'the file changed: what was known no longer holds');
    assert.equal(verified.mock.callCount(), 0, 'the page did not verify the log');
    const notice = await client.html(`/s/${id}/integrity`);
    assert.equal(integrityOf(notice), 'warning');
    assert.match(textOf(notice), /This log does not verify: line 10 was altered after it was written \(its hash does not match the chain\)\./);
    assert.match(notice, new RegExp(`<a href="/s/${id}/history">history</a>`));
    assert.equal(verified.mock.callCount(), 1, 'the check read it once');
    for (let i = 0; i < 3; i++) assert.equal(integrityOf(await client.page(id)), 'warning', 'known from then on, in the page itself');
    assert.equal(verified.mock.callCount(), 1, 'and no view read it again');
    assert.match(textOf(await client.html(`/s/${id}/history`)), /line 10 was altered/, 'the History page says the same');
  });
}

test(`/at/<seq> is served from states saved every ${PAST_EVERY} entries, and equals a fold of the whole log`, async (t) => {
  const client = await Client.open(t);
  const id = await longSession(client, PAST_EVERY * 2 + 50);
  const seq = PAST_EVERY * 2 + 20;
  const dir = join(client.ct.engine.store.sessionDir(id), 'past');
  const first = await client.html(`/s/${id}/at/${seq}`);
  assert.deepEqual(await readdir(dir), [`${PAST_EVERY * 2}.json`], 'the state at the step below was saved');
  const again = await client.html(`/s/${id}/at/${seq}`);
  assert.equal(again, first, 'the saved state gives the same page');
  // The same page from the whole log (no index, no saved states): the engine's own fold.
  const whole = await client.ct.engine.past(id, seq);
  const fromPast = await new History(client.ct.engine).at(id, seq);
  assert.deepEqual(fromPast.state, whole.state);
  assert.deepEqual(fromPast.event, whole.event);
  assert.match(first, new RegExp(`after entry ${seq} `));

  // A saved state that does not belong to its line (its hash differs) is not used.
  const file = join(dir, `${PAST_EVERY * 2}.json`);
  const saved = JSON.parse(await readFile(file, 'utf8'));
  await writeFile(file, JSON.stringify({ ...saved, hash: 'f'.repeat(64), state: { ...saved.state, notes: {} } }));
  assert.deepEqual((await new History(client.ct.engine).at(id, seq)).state, whole.state);
  await rm(dir, { recursive: true });
  assert.equal(await client.html(`/s/${id}/at/${seq}`), first);
});

test('checkpoints return at once, coalesce while one is written, land on disk whole, and a clear wins over a queued write', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const checkpoints = new Checkpoints(dir);
  const file = join(dir, 'checkpoints', 'work.json');
  for (let i = 1; i <= 1000; i++) await checkpoints.save('work', { n: 1 }, i);
  assert.equal(await checkpoints.load('work', { n: 1 }), 1000, 'the latest counts at once');
  const onDisk = async () => JSON.parse(await readFile(file, 'utf8').catch(() => '{}')).data;
  for (const until = Date.now() + 10_000; Date.now() < until && (await onDisk()) !== 1000; ) await new Promise((done) => setTimeout(done, 20));
  assert.equal(JSON.parse(await readFile(file, 'utf8')).data, 1000, 'the latest is on disk');
  assert.equal(await new Checkpoints(dir).load('work', { n: 2 }), undefined, 'other parameters');
  assert.deepEqual((await readdir(join(dir, 'checkpoints'))).sort(), ['work.json'], 'no temporary file left');

  await checkpoints.save('work', { n: 1 }, 1001);
  await checkpoints.save('work', { n: 1 }, 1002);
  await checkpoints.clear('work');
  await new Promise((done) => setTimeout(done, 300));
  assert.deepEqual(await readdir(join(dir, 'checkpoints')), [], 'nothing written after the clear');
  assert.equal(await checkpoints.load('work', { n: 1 }), undefined);
});

test('a line index that matches the file but not its lines (forged) costs a whole read, never an error', async (t) => {
  const client = await Client.open(t);
  const id = await longSession(client, 300);
  await client.html(`/s/${id}/history`);
  const dir = client.ct.engine.store.sessionDir(id);
  // The index is saved beside the log after the page is answered.
  const saved = await eventually(() => readFile(join(dir, 'lines.idx')));
  const body = saved.indexOf(10) + 1;
  const wrong = new Float64Array(saved.length - body >> 3).map((_, i) => i * 1e9);
  const forged = Buffer.concat([saved.subarray(0, body), Buffer.from(wrong.buffer)]);
  await client.reopen({ beforeOpen: () => writeFile(join(dir, 'lines.idx'), forged) });
  const page = pageOf(await client.html(`/s/${id}/history`));
  assert.deepEqual([page.seqs[0], page.seqs.at(-1), page.intact], [104, 303, true]);
  assert.match(await client.html(`/s/${id}/at/250`), /after entry 250 /);
});

/** What `read` gives once it stops failing (within about five seconds). */
async function eventually<T>(read: () => Promise<T>): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await read();
    } catch (err) {
      if (i >= 500) throw err;
      await new Promise((ok) => setTimeout(ok, 10));
    }
  }
}
