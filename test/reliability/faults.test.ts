// Faults: a full disk, a read-only data folder, a corrupted catalog, torn and damaged logs, planted symbolic links.
// Each must end in a clear message (in the page and in the terminal), no partial line, nothing outside the data
// folder touched, and recovery once the fault goes away. The real app on real folders (a tmpfs for the disk).
import assert from 'node:assert/strict';
import { appendFile, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { chainHash } from '../../app/log/chain.ts';
import { verifyLog } from '../../app/log/verify.ts';
import { DiskFault } from '../../app/log/disk.ts';
import { LogStore } from '../../app/log/store.ts';
import { Client, hello, HTMX } from '../support/client.ts';
import { controlValue, notice, textOf } from '../support/html.ts';
import { startServer, killAllServers } from '../support/server-process.ts';
import { fill, fingerprint, readOnly, run, tmpfs } from './disk.ts';
import { ROOT, tempDir } from '../support/app.ts';

test.after(killAllServers);

/** What the app printed to the terminal (console.error) while `act` ran. */
async function terminal(t: TestContext, act: () => Promise<void>): Promise<string> {
  const lines: string[] = [];
  const mock = t.mock.method(console, 'error', (...args: unknown[]) => void lines.push(args.map(String).join(' ')));
  try {
    await act();
  } finally {
    mock.mock.restore();
  }
  return lines.join('\n');
}

/** The log verifies, and ends with a newline (no partial line). */
async function assertWhole(client: Client, id: string): Promise<void> {
  const bytes = await client.logBytes(id);
  assert.equal(bytes.at(-1), 10, 'the log ends with a newline: no partial line');
  const verdict = verifyLog(bytes);
  assert.ok(verdict.ok, `the log verifies: ${!verdict.ok && verdict.reason}`);
}

const tornFiles = async (client: Client, id: string) => (await readdir(join(client.dir, 'sessions', id))).filter((f) => f.startsWith('torn-'));

/** A fresh folder outside the data folder, holding files a planted link points at. */
async function outside(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cardtrail-outside-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'precious.txt'), 'not Cardtrail’s to touch\n');
  return dir;
}

/**
 * A data folder whose sessions/ is a small file system of its own (a tmpfs bind-mounted there), so a fault can hit
 * the logs while the catalog beside them stays writable. Unmounted and removed when the test ends.
 */
async function sessionsOnTmpfs(t: TestContext, size: string): Promise<{ data: string; disk: string } | undefined> {
  const disk = await tmpfs(t, size);
  if (!disk) return undefined;
  const { dir: data, cleanup } = await tempDir('cardtrail-faults-');
  await mkdir(join(data, 'sessions'));
  await run('mount', ['--bind', disk, join(data, 'sessions')]);
  t.after(async () => {
    await run('umount', ['-l', join(data, 'sessions')]).catch(() => undefined);
    await cleanup();
  });
  return { data, disk };
}

/** Posts notes until one is refused; returns the refused answer and how many were acknowledged. */
async function notesUntilRefused(client: Client, id: string, limit = 400): Promise<{ refused: Response; acked: string[] }> {
  const acked: string[] = [];
  for (let i = 0; i < limit; i++) {
    const text = `note ${i} ${'x'.repeat(1900)}`;
    const res = await client.post(`/s/${id}/notes`, { text });
    if (res.status !== 303) return { refused: res, acked };
    acked.push(text);
  }
  throw new Error(`${limit} notes were all accepted: the disk never filled`);
}

test('full disk: a write is refused with "the data folder is full", leaves no partial line or empty torn file, and works again once space is back', async (t) => {
  const dir = await tmpfs(t, '3m');
  if (!dir) return;
  const data = join(dir, 'data');
  const client = await Client.on(t, data);
  const id = await hello(client, 'Ada');
  const filler = await fill(dir);

  let refused!: Response;
  let acked: string[] = [];
  const printed = await terminal(t, async () => void ({ refused, acked } = await notesUntilRefused(client, id)));
  assert.equal(refused.status, 507);
  t.diagnostic(`full disk (whole folder): refused after ${acked.length} acknowledged notes`);
  const page = textOf(await refused.text());
  // The log's own write names the folder; a catalog write failing after the log took the note says to look.
  assert.match(page, new RegExp(`(The data folder ${data}|Cardtrail's data folder) is full`));
  assert.doesNotMatch(page, /did not expect|at .*\.ts:\d+/);
  assert.match(printed, /is full .*\((ENOSPC .*|database or disk is full)\)/, 'the terminal names the cause');
  assert.doesNotMatch(printed, /\n\s+at /, 'no stack trace in the terminal for a known cause');

  await assertWhole(client, id);
  const notes = (await client.events(id)).flatMap((e) => (e.type === 'note' ? [e.text] : []));
  for (const text of acked) assert.ok(notes.includes(text), 'every acknowledged note is in the log');

  // Reading goes on while the disk is full, and leaves no empty torn-*.txt behind.
  assert.equal((await client.get(`/s/${id}`)).status, 200);
  assert.equal((await client.get(`/s/${id}/history`)).status, 200);
  assert.deepEqual(await tornFiles(client, id), []);

  // htmx gets the same cause in a trail-shaped answer.
  const viaHtmx = await client.post(`/s/${id}/notes`, { text: 'y'.repeat(1900) }, HTMX);
  if (viaHtmx.status !== 303 && viaHtmx.status !== 200) {
    assert.equal(viaHtmx.status, 507);
    assert.match(await viaHtmx.text(), /<section id="trail"[^>]*>[\s\S]*is full/);
  }

  // A session started on the full disk leaves nothing behind: no folder, no 0-byte log.
  const before = await client.sessionIds();
  const start = await client.post('/start/hello');
  assert.equal(start.status, 507, 'starting a session on a full disk is refused');
  assert.match(textOf(await start.text()), /is full/);
  assert.deepEqual(await client.sessionIds(), before, 'no empty session folder is left');

  await unlink(filler);
  const again = await client.post(`/s/${id}/notes`, { text: 'after the disk was freed' });
  assert.equal(again.status, 303, 'a note is taken again once space is back');
  await client.submit(id, 'greeting', { greeting: 'Hello again!' });
  await assertWhole(client, id);
  assert.ok(await client.start('hello'));
});

test('full disk under the logs alone: the append itself fails, is cut back whole, and says "nothing was written"', async (t) => {
  const mounted = await sessionsOnTmpfs(t, '1m');
  if (!mounted) return;
  const client = await Client.on(t, mounted.data);
  const id = await hello(client, 'Ada');
  const filler = await fill(mounted.disk);
  let refused!: Response;
  let acked: string[] = [];
  const printed = await terminal(t, async () => void ({ refused, acked } = await notesUntilRefused(client, id)));
  assert.equal(refused.status, 507);
  t.diagnostic(`full disk (logs alone): refused after ${acked.length} acknowledged notes`);
  assert.match(textOf(await refused.text()), new RegExp(`The data folder ${mounted.data} is full \\(no space left on its disk\\): nothing was written`));
  assert.match(printed, /ENOSPC/);
  await assertWhole(client, id);
  assert.equal((await client.events(id)).filter((e) => e.type === 'note').length, acked.length, 'exactly the acknowledged notes are in the log');
  // A refused submit gives the page back with the cause and the form as it was typed, plain and through htmx.
  // (Longer than a page of the tmpfs, so it cannot slip into the space left at the end of the log's last page.)
  const typed = `Typed while full ${'x'.repeat(5000)}`;
  for (const headers of [{}, HTMX]) {
    const res = await client.post(`/s/${id}/steps/greeting`, { greeting: typed }, headers);
    assert.equal(res.status, 507);
    const html = await res.text();
    assert.match(notice(html), /is full \(no space left on its disk\): nothing was written/);
    assert.equal(controlValue(html, 'greeting'), typed, 'what was typed is still in the form');
  }
  await unlink(filler);
  await client.act(`/s/${id}/notes`, { text: 'space is back' });
  await assertWhole(client, id);
});

test('full disk, one large value (the 105,943-byte line of the report): the store refuses it and the log keeps its size', async (t) => {
  const disk = await tmpfs(t, '1m');
  if (!disk) return;
  const store = new LogStore(join(disk, 'sessions'));
  const id = 'full-disk-session-001';
  await store.create(id, { type: 'session.started', workflow: 'hello', version: 'v1', forkedFrom: null });
  await fill(disk);
  const size = await store.size(id);
  const big = { type: 'param.set', step: 'name', key: 'name', value: 'x'.repeat(105_800), source: 'user' } as const;
  await assert.rejects(store.append(id, [big]), (err: unknown) => err instanceof DiskFault && err.cause === 'full');
  assert.equal(await store.size(id), size, 'no partial line is left');
  assert.equal((await store.read(id)).length, 1);
  // A session started on the full disk leaves no folder (and so no 0-byte log).
  await assert.rejects(store.create('full-disk-session-002', { type: 'session.started', workflow: 'hello', version: 'v1', forkedFrom: null }), DiskFault);
  assert.deepEqual(await store.list(), [id]);
  assert.deepEqual((await readdir(join(disk, 'sessions'))).sort(), [id]);
});

test('full disk while a torn tail waits: reads work without cutting it, and the cut happens once space is back', async (t) => {
  const dir = await tmpfs(t, '3m');
  if (!dir) return;
  const client = await Client.on(t, join(dir, 'data'));
  const id = await hello(client, 'Ada');
  const good = await client.logBytes(id);
  // Torn behind the running app's back (as a crash of another writer would leave it), then the disk fills.
  await appendFile(client.logPath(id), '{"seq":4,"at":"2024-01-01T00:00:00.000Z","type":"no');
  const filler = await fill(dir);

  assert.equal((await client.get(`/s/${id}`)).status, 200, 'the page is served from the whole lines');
  assert.deepEqual(await tornFiles(client, id), [], 'no empty torn file');
  const refused = await client.post(`/s/${id}/steps/greeting`, { greeting: 'Hi' });
  assert.equal(refused.status, 507);
  assert.ok((await client.logBytes(id)).subarray(0, good.length).equals(good), 'the whole lines are untouched');

  await unlink(filler);
  await client.submit(id, 'greeting', { greeting: 'Hi' });
  assert.equal((await tornFiles(client, id)).length, 1, 'the torn tail is set aside once it can be saved');
  await assertWhole(client, id);
});

test('read-only sessions folder: writes are refused with "the data folder is read-only", reads work, and writes work again once it is writable', async (t) => {
  // The sessions folder is its own file system here: with the catalog open for writing, the whole data folder
  // could not be remounted read-only under a running app (the read-only start is the next test).
  const mounted = await sessionsOnTmpfs(t, '8m');
  if (!mounted) return;
  const { data: dir, disk: sessions } = mounted;
  const client = await Client.on(t, dir);
  const id = await hello(client, 'Ada');
  const log = await client.logBytes(id);
  await readOnly(sessions, true);
  t.after(() => readOnly(sessions, false).catch(() => undefined));

  let res!: Response;
  const printed = await terminal(t, async () => void (res = await client.post(`/s/${id}/notes`, { text: 'while read-only' })));
  assert.equal(res.status, 503);
  assert.match(textOf(await res.text()), new RegExp(`The data folder ${dir} is read-only: nothing was written`));
  assert.match(printed, /is read-only.*EROFS/);
  const start = await client.post('/start/hello');
  assert.equal(start.status, 503);
  assert.match(textOf(await start.text()), /is read-only/);
  assert.equal((await client.get(`/s/${id}`)).status, 200, 'the session is still shown');
  assert.equal((await client.get(`/s/${id}/log.jsonl`)).status, 200, 'and can be downloaded');

  await readOnly(sessions, false);
  assert.ok((await client.logBytes(id)).equals(log), 'nothing was written while read-only');
  await client.submit(id, 'greeting', { greeting: 'Hello!' });
  await assertWhole(client, id);
});

test('read-only data folder at start: serve says so in one line, with no stack trace', async (t) => {
  const dir = await tmpfs(t, '8m');
  if (!dir) return;
  const data = join(dir, 'data');
  await mkdir(join(data, 'sessions'), { recursive: true });
  await readOnly(dir, true);
  t.after(() => readOnly(dir, false).catch(() => undefined));
  const server = await startServer({ dataDir: data, timeoutMs: 15_000 }).catch((err: Error) => err);
  if (!(server instanceof Error)) {
    // Serving read-only is fine too, as long as it says so when asked to write.
    const res = await fetch(`${server.url}/start/hello`, { method: 'POST', headers: { origin: server.url }, redirect: 'manual' });
    assert.equal(res.status, 503);
    await server.stop();
    return;
  }
  assert.match(server.message, new RegExp(`data folder ${data} is read-only`));
  assert.doesNotMatch(server.message, /\n\s+at /);
});

test(
  'corrupted catalog: the server starts, sets the bad file aside (renamed, not deleted) and rebuilds the list from the logs',
  async (t) => {
    const client = await Client.open(t);
    const id = await hello(client, 'Ada');
    await client.reopen({
      beforeOpen: async () => {
        for (const suffix of ['-wal', '-shm']) await rm(join(client.dir, `catalog.sqlite${suffix}`), { force: true });
        await writeFile(join(client.dir, 'catalog.sqlite'), 'this is not a database\n'.repeat(100));
      },
    });
    assert.match(await client.html('/'), new RegExp(id));
    const aside = (await readdir(client.dir)).filter((f) => f.startsWith('catalog.sqlite') && f !== 'catalog.sqlite' && !/-(wal|shm)$/.test(f));
    assert.equal(aside.length, 1, 'the damaged catalog is kept under another name');
    assert.match(await readFile(join(client.dir, aside[0]), 'utf8'), /this is not a database/);
  },
);

/** A hello session with both steps done and a note, and the lines of its log. */
async function finished(client: Client): Promise<{ id: string; lines: string[] }> {
  const id = await hello(client, 'Ada', 'Hi Ada');
  await client.act(`/s/${id}/notes`, { text: 'kept' });
  return { id, lines: (await client.logBytes(id)).toString('utf8').split('\n') };
}

/** Every read-only view, and the export, answers 200 on this session; delete works and moves it to the trash. */
async function readOnlyViewsWork(client: Client, id: string, bytes: Buffer): Promise<void> {
  for (const path of [`/s/${id}`, `/s/${id}/history`, `/s/${id}/at/1`, `/s/${id}/summary.json`, `/s/${id}/delete`, '/'])
    assert.equal((await client.get(path)).status, 200, `GET ${path}`);
  const download = await client.get(`/s/${id}/log.jsonl`);
  assert.equal(download.status, 200);
  assert.ok(Buffer.from(await download.arrayBuffer()).equals(bytes), 'the download is the file byte for byte');
  const note = await client.post(`/s/${id}/notes`, { text: 'refused' });
  assert.equal(note.status, 409, 'a note is refused: the log is read-only');
  assert.match(textOf(await note.text()), /read-only/);
  assert.ok((await client.logBytes(id)).equals(bytes), 'and nothing was written');
  await client.act(`/s/${id}/delete`);
  assert.ok(!(await client.sessionIds()).includes(id));
  const trashed = await readdir(join(client.dir, 'trash'));
  assert.ok(trashed.some((f) => f.startsWith(id)), 'the folder is in the trash');
}

test('a damaged middle line: the session is shown read-only up to it, history, export, notes page and delete all work', async (t) => {
  const client = await Client.open(t);
  const { id, lines } = await finished(client);
  lines[2] = '{"seq":3,"garbage';
  const bytes = Buffer.from(lines.join('\n'));
  await writeFile(client.logPath(id), bytes);
  await client.reopen();
  const page = textOf(await client.page(id));
  assert.match(page, /Read-only\. This session's log cannot be read past line 3 \(not JSON\)/);
  assert.match(textOf(await client.html(`/s/${id}/history`)), /cannot be trusted.*line 3: not JSON/);
  await readOnlyViewsWork(client, id, bytes);
});

test('a whole line of a type this version does not know is kept (never torn); the session is read-only with a message', async (t) => {
  const client = await Client.open(t);
  const { id, lines } = await finished(client);
  const last = JSON.parse(lines.at(-2)!) as { seq: number; hash: string };
  const event = { seq: last.seq + 1, at: new Date().toISOString(), type: 'step.skipped', step: 'greeting' };
  await appendFile(client.logPath(id), JSON.stringify({ ...event, hash: chainHash(last.hash, event as never) }) + '\n');
  const bytes = await client.logBytes(id);
  await client.reopen();
  assert.match(textOf(await client.page(id)), /Entry \d+ of this session's log is of a kind this version of Cardtrail does not know \(type "step\.skipped"\)/);
  assert.deepEqual(await tornFiles(client, id), []);
  assert.match(textOf(await client.html(`/s/${id}/history`)), /goes on past what this version of Cardtrail can read/);
  await readOnlyViewsWork(client, id, bytes);
});

test('an empty log (left by an older version on a full disk) answers a clear page, and can be downloaded and deleted', async (t) => {
  const client = await Client.open(t);
  const { id } = await finished(client);
  await writeFile(client.logPath(id), '');
  await client.reopen();
  const res = await client.get(`/s/${id}`);
  assert.equal(res.status, 409);
  assert.match(textOf(await res.text()), /does not make a session.*empty/);
  assert.equal((await client.get(`/s/${id}/log.jsonl`)).status, 200);
  assert.equal((await client.get(`/s/${id}/delete`)).status, 200);
  await client.act(`/s/${id}/delete`);
  assert.ok(!(await client.sessionIds()).includes(id));
});

for (const when of ['while the server runs', 'before a start'] as const) {
  test(`a log.jsonl replaced by a folder (${when}): the page says the log is not a file and offers the trash; the rest works`, async (t) => {
    const client = await Client.open(t);
    const other = await hello(client, 'Bea');
    const { id } = await finished(client);
    const replace = async () => {
      await rm(client.logPath(id));
      await mkdir(client.logPath(id));
      await writeFile(join(client.logPath(id), 'inside.txt'), 'kept');
    };
    if (when === 'before a start') await client.reopen({ beforeOpen: replace });
    else await replace();
    for (const headers of [{}, HTMX]) {
      const res = await client.get(`/s/${id}`, headers);
      assert.equal(res.status, 409, 'not a 404: the session is there, its log is not a file');
      assert.match(textOf(await res.text()), new RegExp(`This session's log, ${client.logPath(id)}, is a folder, not a file, so there is nothing to show\\..*move the session to the trash`));
    }
    const page = await client.get(`/s/${id}`).then((r) => r.text());
    assert.match(page, new RegExp(`<a href="/s/${id}/delete"[^>]*>Move it to the trash…</a>`));
    assert.equal((await client.get('/')).status, 200, 'the home list works');
    assert.match(textOf(await client.page(other)), /Bea/, 'other sessions work');
    assert.match(textOf(await client.html(`/s/${id}/delete`)), /Delete this session\?/);
    await client.act(`/s/${id}/delete`);
    assert.ok(!(await client.sessionIds()).includes(id), 'it left the sessions folder');
    const trashed = (await readdir(join(client.dir, 'trash'))).filter((f) => f.startsWith(id));
    assert.equal(trashed.length, 1, 'moved to the trash');
    assert.equal(await readFile(join(client.dir, 'trash', trashed[0], 'log.jsonl', 'inside.txt'), 'utf8'), 'kept', 'with what the folder held');
    assert.doesNotMatch(await client.html('/'), new RegExp(id));
  });
}

test('a torn last line is set aside, the session reads and takes writes again', async (t) => {
  const client = await Client.open(t);
  const id = await hello(client, 'Ada');
  const good = await client.logBytes(id);
  await appendFile(client.logPath(id), '{"seq":4,"at":"2024-01-01T00:00:00.000Z","type":"param.se');
  await client.reopen();
  assert.equal((await client.get(`/s/${id}`)).status, 200);
  assert.ok((await client.logBytes(id)).equals(good), 'cut back to its last whole line');
  assert.equal((await tornFiles(client, id)).length, 1);
  await client.submit(id, 'greeting', { greeting: 'Hi' });
  await assertWhole(client, id);
});

const LINKED = [
  { what: 'log.jsonl', plant: (session: string, target: string) => ({ at: join(session, 'log.jsonl'), to: join(target, 'precious.txt') }) },
  { what: 'the session folder', plant: (session: string, target: string) => ({ at: session, to: target }) },
];

for (const { what, plant } of LINKED)
  test(`a symbolic link at ${what} is never followed: the session is refused with a clear message and the outside file is untouched`, async (t) => {
    const client = await Client.open(t);
    const away = await outside(t);
    const { id } = await finished(client);
    const session = join(client.dir, 'sessions', id);
    // The outside folder holds a copy of the real log, so a followed link would find something readable to change.
    await writeFile(join(away, 'log.jsonl'), await client.logBytes(id));
    const { at, to } = plant(session, away);
    await rm(at, { recursive: true });
    await symlink(to, at);
    const before = await fingerprint(away);
    await client.reopen();

    let printed = '';
    printed = await terminal(t, async () => {
      for (const path of [`/s/${id}`, `/s/${id}/history`, `/s/${id}/log.jsonl`]) {
        const res = await client.get(path);
        assert.equal(res.status, 403, `GET ${path}`);
        assert.match(textOf(await res.text()), /is a symbolic link\. Cardtrail never follows links inside its data folder/);
      }
      for (const [path, form] of [[`/s/${id}/notes`, { text: 'through the link?' }], [`/s/${id}/steps/greeting`, { greeting: 'x' }]] as const)
        assert.equal((await client.post(path, form)).status, 403, `POST ${path}`);
    });
    assert.match(printed, /symbolic link/);
    // The command line does not follow it either.
    const cli = await run(process.execPath, [join(ROOT, 'bin/cardtrail.js'), 'export', id, '--data', client.dir]).then(
      () => undefined,
      (err: { code: number; stderr: string }) => err,
    );
    assert.equal(cli?.code, 1, 'cardtrail export refuses the link');
    assert.match(cli.stderr, /is a symbolic link/);
    assert.deepEqual(await fingerprint(away), before, 'nothing outside the data folder changed');
    // Deleting moves the link itself into the trash, never what it points at.
    await client.act(`/s/${id}/delete`);
    assert.deepEqual(await fingerprint(away), before);
  });

test('a link planted at the trash folder: delete is refused and the session stays', async (t) => {
  const client = await Client.open(t);
  const away = await outside(t);
  const { id } = await finished(client);
  await symlink(away, join(client.dir, 'trash'));
  const before = await fingerprint(away);
  const res = await client.post(`/s/${id}/delete`);
  assert.equal(res.status, 403);
  assert.match(textOf(await res.text()), /trash is a symbolic link/);
  assert.ok((await client.sessionIds()).includes(id));
  assert.deepEqual(await fingerprint(away), before);
});

/** Starts a ticker session, plants something in its folder, runs its job and waits for the log to record the end. */
async function tickerRun(client: Client, plant: (session: string) => Promise<void>): Promise<{ type: string; error?: string }> {
  const id = await client.start('ticker');
  await plant(join(client.dir, 'sessions', id));
  await client.submit(id, 'simulate', { ticks: '3', interval: '5', failAt: '' });
  for (let i = 0; i < 1000; i++) {
    const end = (await client.events(id)).find((e) => e.type === 'job.finished' || e.type === 'job.failed');
    if (end) {
      // A change of the session queues behind the job's own recording (catalog, checkpoint): once this no-op
      // is through, the app is idle and may be closed.
      await client.ct.engine.setArchived(id, false);
      return end as { type: string; error?: string };
    }
    await new Promise((ok) => setTimeout(ok, 10));
  }
  throw new Error('the job never ended');
}

test('a link planted at checkpoints/<step>.json is replaced, not written through: the job finishes and the outside file is untouched', async (t) => {
  const client = await Client.open(t);
  const away = await outside(t);
  const before = await fingerprint(away);
  const end = await tickerRun(client, async (session) => {
    await mkdir(join(session, 'checkpoints'));
    await symlink(join(away, 'precious.txt'), join(session, 'checkpoints', 'simulate.json'));
  });
  assert.equal(end.type, 'job.finished');
  assert.deepEqual(await fingerprint(away), before);
});

for (const folder of ['checkpoints', 'files'])
  test(`a link planted at ${folder}/: the job fails saying so, and nothing is written in the folder it points at`, async (t) => {
    const client = await Client.open(t);
    const away = await outside(t);
    const before = await fingerprint(away);
    let end!: { type: string; error?: string };
    await terminal(t, async () => void (end = await tickerRun(client, (session) => symlink(away, join(session, folder)))));
    assert.equal(end.type, 'job.failed');
    assert.match(end.error ?? '', new RegExp(`${folder} is a symbolic link`));
    assert.deepEqual(await fingerprint(away), before);
  });

test('a link planted at snapshot.json is not read; the page is replayed from the log', async (t) => {
  const client = await Client.open(t);
  const away = await outside(t);
  const { id } = await finished(client);
  await writeFile(join(away, 'snapshot.json'), JSON.stringify({ v: 1, head: { size: 0, seq: 0, hash: '' }, state: { forged: true } }));
  await symlink(join(away, 'snapshot.json'), join(client.dir, 'sessions', id, 'snapshot.json'));
  const before = await fingerprint(away);
  await client.reopen();
  assert.match(textOf(await client.page(id)), /Hi Ada/);
  assert.deepEqual(await fingerprint(away), before);
  assert.ok((await stat(join(client.dir, 'sessions', id, 'log.jsonl'))).isFile());
});

test('a pipe planted at a log or at secrets.json is never waited on: the server starts, and each command says what it is', async (t) => {
  const client = await Client.open(t);
  const piped = (await finished(client)).id;
  const kept = (await finished(client)).id;
  client.ct.close();
  const log = join(client.dir, 'sessions', piped, 'log.jsonl');
  await rm(log);
  // Opening a pipe for reading waits for a writer unless the open says not to; nothing here ever writes to it.
  await run('mkfifo', [log, join(client.dir, 'secrets.json')]);

  const server = await startServer({ dataDir: client.dir, timeoutMs: 20_000 });
  t.after(() => server.stop());
  assert.match(server.output(), /session \S+ is left out of the list: \S+log\.jsonl is not a regular file/);
  const home = await fetch(`${server.url}/`, { signal: AbortSignal.timeout(10_000) });
  assert.equal(home.status, 200);
  assert.ok((await home.text()).includes(`data-session="${kept}"`), 'the other session is listed');
  const page = await fetch(`${server.url}/s/${piped}`, { signal: AbortSignal.timeout(10_000) });
  assert.ok(page.status < 500, `GET the piped session: ${page.status}`);
  // The vault reads secrets.json synchronously: a pipe there is an error with the file's name, not a wait.
  const vault = `import { SecretVault } from './app/secrets/vault.ts'; try { new SecretVault(${JSON.stringify(join(client.dir, 'secrets.json'))}).fingerprint('x'); } catch (err) { console.log(err.message); }`;
  const revealed = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', vault], { cwd: ROOT, timeout: 20_000 });
  assert.match(revealed.stdout, /The secrets file \S+secrets\.json cannot be read: \S+ is not a regular file/);

  for (const command of ['verify', 'export', 'replay']) {
    const failed = await run(process.execPath, [join(ROOT, 'bin/cardtrail.js'), command, piped, '--data', client.dir], { timeout: 20_000 }).then(
      () => undefined,
      (err: { code: number; killed: boolean; stderr: string }) => err,
    );
    assert.ok(failed && !failed.killed, `cardtrail ${command} ends by itself`);
    assert.equal(failed.code, 1, `cardtrail ${command} exits 1`);
    assert.match(failed.stderr, /is not a regular file \(a pipe or a device\), so it is not read/, command);
  }
});
