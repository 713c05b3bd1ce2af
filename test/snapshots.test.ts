// Snapshots of folded states (app/log/states.ts) on real logs in temp folders, loaded by the real app: a long log
// leaves snapshot.json after a cold load, a new app resumes from it (and from it plus what was appended since),
// and a snapshot that no longer matches the log, has another version, is not JSON, is not sealed with the data
// folder's key or holds a state without the shape of a fold is ignored.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { nanoid } from 'nanoid';
import type { LogEvent, NewEvent } from '../app/log/events.ts';
import { fold, type SessionState } from '../app/log/fold.ts';
import { snapshotKey } from '../app/log/snapshot-key.ts';
import { SNAPSHOT_VERSION } from '../app/log/snapshot-seal.ts';
import { LogStore, type Head } from '../app/log/store.ts';
import type { Cardtrail } from '../app/server.ts';
import { tempDir, testApp } from './support/app.ts';

type Snapshot = { v: number; head: Head; state: SessionState; mac?: string };

/** A data folder with one session whose log was written through the real LogStore, before any app opened it. */
class Data {
  private app: Cardtrail | undefined;

  private constructor(
    readonly dir: string,
    readonly id: string,
  ) {}

  /** A session of `workflow` with these events after its session.started. */
  static async make(t: TestContext, workflow: string, events: NewEvent[]): Promise<Data> {
    const { dir, cleanup } = await tempDir('cardtrail-snapshots-');
    const data = new Data(dir, nanoid());
    t.after(async () => {
      data.close();
      await cleanup();
    });
    // The version the app would give the workflow, so the session is not held as "changed".
    const probe = await testApp({ dataDir: dir });
    const version = probe.engine.workflows.get(workflow)!.version;
    probe.close();
    const store = new LogStore(join(dir, 'sessions'));
    await store.create(data.id, { type: 'session.started', workflow, version, forkedFrom: null });
    await store.append(data.id, events);
    return data;
  }

  get sessionDir(): string {
    return join(this.dir, 'sessions', this.id);
  }
  get logPath(): string {
    return join(this.sessionDir, 'log.jsonl');
  }
  get snapshotPath(): string {
    return join(this.sessionDir, 'snapshot.json');
  }

  /** A new app on the folder (nothing in memory): a cold start. The previous one is closed. */
  async cold(): Promise<Cardtrail> {
    this.close();
    this.app = await testApp({ dataDir: this.dir });
    return this.app;
  }

  close(): void {
    this.app?.close();
    this.app = undefined;
  }

  /** The state as the app's engine has it now. */
  async appState(): Promise<SessionState> {
    return (await this.app!.engine.load(this.id)).state;
  }

  /** The state a full replay gives: every event read from the log by a fresh LogStore and folded. */
  async fullFold(): Promise<SessionState> {
    return fold(await this.read());
  }

  read(): Promise<LogEvent[]> {
    return new LogStore(join(this.dir, 'sessions')).read(this.id);
  }

  async snapshot(): Promise<Snapshot | undefined> {
    const text = await readFile(this.snapshotPath, 'utf8').catch(() => undefined);
    return text === undefined ? undefined : (JSON.parse(text) as Snapshot);
  }

  /** Writes a snapshot as text, or an object sealed with the data folder's key, as the server would seal it. */
  async writeSnapshot(snapshot: unknown): Promise<void> {
    await writeFile(this.snapshotPath, typeof snapshot === 'string' ? snapshot : this.sealed(snapshot as Snapshot));
  }

  /** A snapshot (whatever its fields) with the mac the server's key gives it. */
  sealed({ mac: _, ...signed }: Snapshot): string {
    const mac = createHmac('sha256', snapshotKey(this.dir)!).update(JSON.stringify(signed)).digest('hex');
    return JSON.stringify({ ...signed, mac });
  }

  /** The session page as the app renders it now. */
  async page(): Promise<string> {
    const res = await this.app!.app.request(`/s/${this.id}`);
    assert.equal(res.status, 200);
    return res.text();
  }
}

/**
 * A hello session's life in `cycles` rounds: the name given, completed, noted and reverted, with archiving,
 * then the name and greeting done and finalized: 4 * cycles + 7 events after the start.
 */
function helloEvents(cycles: number): NewEvent[] {
  const events: NewEvent[] = [];
  for (let i = 1; i <= cycles; i++)
    events.push(
      { type: 'param.set', step: 'name', key: 'name', value: `Name ${i}`, source: 'user' },
      { type: 'step.completed', step: 'name' },
      i % 10 === 0 ? { type: i % 20 === 0 ? 'session.unarchived' : 'session.archived' } : { type: 'note', step: 'name', text: `note ${i}` },
      { type: 'step.reverted', step: 'name' },
    );
  events.push(
    { type: 'param.set', step: 'name', key: 'name', value: 'Ada', source: 'user' },
    { type: 'step.completed', step: 'name' },
    { type: 'param.set', step: 'greeting', key: 'greeting', value: 'Hello Ada!', source: 'default' },
    { type: 'step.completed', step: 'greeting' },
    { type: 'note', step: 'greeting', text: 'the last note before the snapshot' },
    { type: 'session.finalized' },
    { type: 'note', step: null, text: 'done' },
  );
  return events;
}

/** 1 + 4 * 300 + 7 = 1208 events. */
const LONG = helloEvents(300);

/** A marker only a used snapshot can put into a state: a note under a key no step has. */
const MARK = { text: 'came from the snapshot', at: '2026-01-01T00:00:00.000Z', seq: 0 };
const marked = (snapshot: Snapshot): Snapshot => ({ ...snapshot, state: { ...snapshot.state, notes: { ...snapshot.state.notes, __mark: [MARK] } } });
const hasMark = (state: SessionState) => '__mark' in state.notes;

/** A long session loaded once cold, so it has its snapshot; returns the snapshot written. */
async function withSnapshot(t: TestContext, events = LONG): Promise<{ data: Data; snapshot: Snapshot }> {
  const data = await Data.make(t, 'hello', events);
  await data.cold();
  await data.page();
  const snapshot = await data.snapshot();
  assert.ok(snapshot, 'a snapshot was written');
  data.close();
  return { data, snapshot };
}

test('a log needs 1,000 folded events to leave snapshot.json after a cold load', async (t) => {
  // session.started + 998 or 999 more events: (events - 7) / 4 cycles, padded with notes.
  const cases: [number, boolean][] = [
    [999, false],
    [1000, true],
    [LONG.length + 1, true],
  ];
  for (const [total, expected] of cases) {
    const events = helloEvents(Math.floor((total - 8) / 4));
    while (events.length < total - 1) events.unshift({ type: 'note', step: null, text: 'padding' });
    assert.equal(events.length + 1, total);
    const data = await Data.make(t, 'hello', events);
    assert.equal(await data.snapshot(), undefined, 'no snapshot before any app loaded the session');
    await data.cold();
    await data.page();
    const snapshot = await data.snapshot();
    assert.equal(snapshot !== undefined, expected, `${total} events`);
    if (!snapshot) continue;
    const all = await data.read();
    const last = all.at(-1)!;
    assert.equal(snapshot.v, SNAPSHOT_VERSION);
    assert.deepEqual(snapshot.head, { size: (await readFile(data.logPath)).length, seq: last.seq, hash: last.hash });
    assert.deepEqual(snapshot.state, fold(all), `${total} events: the snapshot holds the full fold`);
  }
});

test('a new app resumes from the snapshot: its state equals a full fold, and the snapshot is what it read', async (t) => {
  const { data, snapshot } = await withSnapshot(t);
  await data.cold();
  const state = await data.appState();
  assert.deepEqual(state, await data.fullFold());
  assert.equal(state.lastSeq, LONG.length + 1);
  assert.equal(state.finalized, true);
  const html = await data.page();
  assert.match(html, /<dd data-key="greeting">Hello Ada!<\/dd>/);

  // The same snapshot with a marker only it carries: a new app shows the marker, so it did not replay the log.
  await data.writeSnapshot(marked(snapshot));
  await data.cold();
  assert.ok(hasMark(await data.appState()), 'the state came from the snapshot');
});

test('events appended after the snapshot are replayed on top of it at the next cold load', async (t) => {
  const { data, snapshot } = await withSnapshot(t);
  // Append through the real app (unfinalize, revert, a new name, a note), then start cold again.
  const app = await data.cold();
  for (const [path, form] of [
    [`/s/${data.id}/unfinalize`, {}],
    [`/s/${data.id}/steps/name/revert`, {}],
    [`/s/${data.id}/steps/name`, { name: 'Bob' }],
    [`/s/${data.id}/notes`, { step: 'name', text: 'after the snapshot' }],
  ] as const) {
    const res = await app.app.request(path, { method: 'POST', body: new URLSearchParams(form) });
    assert.equal(res.status, 303, path);
  }
  assert.deepEqual(await data.snapshot(), snapshot, 'a few appends do not rewrite the snapshot');
  await data.cold();
  const state = await data.appState();
  const full = await data.fullFold();
  assert.deepEqual(state, full);
  assert.equal(state.lastSeq, snapshot.head.seq + 5);
  assert.deepEqual(state.values.name?.name?.value, 'Bob');
  assert.deepEqual(state.completed, ['name']);
  assert.equal(state.finalized, false);
  assert.match(await data.page(), /class="card open"[^>]*data-step="greeting"/);

  // With the marked snapshot the marker survives: the tail was folded onto the snapshot, not the log replayed.
  await data.writeSnapshot(marked(snapshot));
  await data.cold();
  const resumed = await data.appState();
  assert.ok(hasMark(resumed));
  const { __mark: _, ...notes } = resumed.notes;
  assert.deepEqual({ ...resumed, notes }, full);
});

/** Ways the log or the snapshot can stop matching; each must make the app replay the whole log. */
const STALE: { name: string; spoil: (data: Data, snapshot: Snapshot) => Promise<void>; lastSeq: (snapshot: Snapshot) => number }[] = [
  {
    name: 'the line ending at the snapshot offset was altered (same length, hash kept)',
    spoil: async (data, snapshot) => {
      const bytes = await readFile(data.logPath);
      const text = bytes.toString('utf8', 0, snapshot.head.size);
      const start = text.lastIndexOf('\n', text.length - 2) + 1;
      const line = text.slice(start);
      assert.match(line, /"text":"done"/);
      await writeFile(data.logPath, Buffer.concat([bytes.subarray(0, start), Buffer.from(line.replace('"done"', '"DONE"')), bytes.subarray(snapshot.head.size)]));
    },
    lastSeq: (s) => s.head.seq,
  },
  {
    name: 'the log was cut shorter than the snapshot size',
    spoil: async (data, snapshot) => {
      const text = await readFile(data.logPath, 'utf8');
      const lines = text.split(/(?<=\n)/);
      await truncate(data.logPath, Buffer.byteLength(lines.slice(0, -10).join('')));
      assert.ok(Buffer.byteLength(lines.slice(0, -10).join('')) < snapshot.head.size);
    },
    lastSeq: (s) => s.head.seq - 10,
  },
  {
    name: 'the log was cut and other events appended past the old size',
    spoil: async (data, snapshot) => {
      const lines = (await readFile(data.logPath, 'utf8')).split(/(?<=\n)/);
      await truncate(data.logPath, Buffer.byteLength(lines.slice(0, -3).join('')));
      const notes: NewEvent[] = Array.from({ length: 20 }, (_, i) => ({ type: 'note', step: 'greeting', text: `rewritten ${i}` }));
      await new LogStore(join(data.dir, 'sessions')).append(data.id, notes);
      assert.ok((await readFile(data.logPath)).length > snapshot.head.size);
    },
    lastSeq: (s) => s.head.seq - 3 + 20,
  },
  {
    name: 'the snapshot names a head the log never had (another hash)',
    spoil: async (data, snapshot) => data.writeSnapshot(marked({ ...snapshot, head: { ...snapshot.head, hash: 'f'.repeat(64) } })),
    lastSeq: (s) => s.head.seq,
  },
  {
    name: 'the snapshot names another seq at its offset',
    spoil: async (data, snapshot) => data.writeSnapshot(marked({ ...snapshot, head: { ...snapshot.head, seq: snapshot.head.seq - 1 } })),
    lastSeq: (s) => s.head.seq,
  },
  ...[0, 1, SNAPSHOT_VERSION + 1, String(SNAPSHOT_VERSION), null].map((v) => ({
    name: `the snapshot has version v=${JSON.stringify(v)}`,
    spoil: async (data: Data, snapshot: Snapshot) => data.writeSnapshot(marked({ ...snapshot, v: v as number })),
    lastSeq: (s: Snapshot) => s.head.seq,
  })),
  {
    name: 'the snapshot has no version',
    spoil: async (data, snapshot) => {
      const { v: _, ...rest } = marked(snapshot);
      await data.writeSnapshot(rest);
    },
    lastSeq: (s) => s.head.seq,
  },
  {
    name: 'the snapshot is not sealed with the data folder\'s key (its values forged, no mac)',
    spoil: async (data, snapshot) => {
      const { mac: _, ...forged } = marked(snapshot);
      await data.writeSnapshot(JSON.stringify(forged));
    },
    lastSeq: (s) => s.head.seq,
  },
  {
    name: 'the snapshot\'s mac is not that of its contents (a value altered after sealing)',
    spoil: async (data, snapshot) => {
      const sealed = JSON.parse(data.sealed(snapshot)) as Snapshot;
      await data.writeSnapshot(JSON.stringify(marked(sealed)));
    },
    lastSeq: (s) => s.head.seq,
  },
  {
    name: 'the snapshot is sealed with another key',
    spoil: async (data, snapshot) => {
      const { mac: _, ...signed } = marked(snapshot);
      const mac = createHmac('sha256', Buffer.alloc(32)).update(JSON.stringify(signed)).digest('hex');
      await data.writeSnapshot(JSON.stringify({ ...signed, mac }));
    },
    lastSeq: (s) => s.head.seq,
  },
  ...['{"v":2,"head":', 'not json at all', '', 'null', '[]'].map((text) => ({
    name: `the snapshot file is corrupt (${JSON.stringify(text)})`,
    spoil: async (data: Data) => data.writeSnapshot(text),
    lastSeq: (s: Snapshot) => s.head.seq,
  })),
];

for (const c of STALE) {
  test(`a stale snapshot is ignored and the log replayed whole: ${c.name}`, async (t) => {
    const { data, snapshot } = await withSnapshot(t);
    // Every snapshot left in place carries the marker, so using it would show.
    await data.writeSnapshot(marked(snapshot));
    await c.spoil(data, snapshot);
    await data.cold();
    const state = await data.appState();
    assert.equal(hasMark(state), false, 'the snapshot was not used');
    assert.deepEqual(state, await data.fullFold());
    assert.equal(state.lastSeq, c.lastSeq(snapshot));
    await data.page();
    // The whole replay (over 1,000 events) left a fresh snapshot that matches the log as it now is.
    const fresh = await data.snapshot();
    const last = (await data.read()).at(-1)!;
    assert.deepEqual(fresh?.head, { size: (await readFile(data.logPath)).length, seq: last.seq, hash: last.hash });
    assert.equal(fresh?.v, SNAPSHOT_VERSION);
    assert.deepEqual(fresh?.state, state);
  });
}

test('a snapshot with the right head but a state without the shape of a fold is ignored: every page of the session answers', async (t) => {
  const { data, snapshot } = await withSnapshot(t);
  for (const write of [(text: string) => data.writeSnapshot(text), (text: string) => data.writeSnapshot(JSON.parse(text))]) {
    // As found: the real head, a state whose values are a string; once as written by hand, once sealed.
    await write(JSON.stringify({ v: SNAPSHOT_VERSION, head: snapshot.head, state: { values: 'x' } }));
    const app = await data.cold();
    for (const path of [`/s/${data.id}`, `/s/${data.id}/history`, `/s/${data.id}/at/3`, `/s/${data.id}/summary.json`]) {
      const res = await app.app.request(path);
      assert.equal(res.status, 200, path);
    }
    assert.deepEqual(await data.appState(), await data.fullFold());
    assert.deepEqual((await data.snapshot())?.state, await data.fullFold(), 'a fresh snapshot replaced it');
  }
});

test('a value altered behind the snapshot shows in the replayed state', async (t) => {
  const { data, snapshot } = await withSnapshot(t);
  const text = await readFile(data.logPath, 'utf8');
  const lines = text.split(/(?<=\n)/);
  const i = lines.findLastIndex((l) => l.includes('"value":"Ada"'));
  lines[lines.length - 1] = lines[lines.length - 1].replace('"done"', '"DONE"'); // the line at the snapshot offset
  lines[i] = lines[i].replace('"Ada"', '"Eve"');
  await writeFile(data.logPath, lines.join(''));
  assert.equal(Buffer.byteLength(lines.join('')), snapshot.head.size);
  await data.cold();
  const state = await data.appState();
  assert.equal(state.values.name?.name?.value, 'Eve');
  assert.deepEqual(state.notes['']?.map((n) => n.text), ['DONE']);
  assert.match(await data.page(), /<dd data-key="name">Eve<\/dd>/);
});

test(
  'a snapshot of a log with job events gives the same state as a full fold',
  async (t) => {
    const events: NewEvent[] = [];
    for (let i = 1; events.length < 1100; i++)
      events.push(
        { type: 'param.set', step: 'simulate', key: 'ticks', value: i, source: 'user' },
        { type: 'job.started', step: 'simulate', job: `job-${i}` },
        { type: 'param.set', step: 'simulate', key: 'counted', value: i, source: 'job' },
        { type: 'job.finished', step: 'simulate', job: `job-${i}` },
        { type: 'step.completed', step: 'simulate' },
        { type: 'step.reverted', step: 'simulate' },
      );
    // The last run fails, is retried and finishes: the step's job status is the finished one, with no error.
    events.push(
      { type: 'param.set', step: 'simulate', key: 'ticks', value: 1, source: 'user' },
      { type: 'job.started', step: 'simulate', job: 'failing' },
      { type: 'job.failed', step: 'simulate', job: 'failing', error: 'Tick 1 failed on purpose.' },
      { type: 'job.started', step: 'simulate', job: 'last' },
      { type: 'param.set', step: 'simulate', key: 'counted', value: 1, source: 'job' },
      { type: 'job.finished', step: 'simulate', job: 'last' },
      { type: 'step.completed', step: 'simulate' },
    );
    const data = await Data.make(t, 'ticker', events);
    await data.cold();
    await data.page();
    assert.ok(await data.snapshot());
    await data.cold();
    assert.deepEqual(await data.appState(), await data.fullFold());
  },
);

test('cold loads of a long session arriving together all answer, each writing its snapshot under its own name', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  let ct = await testApp({ dataDir: dir });
  const id = await ct.engine.start('hello');
  const events = Array.from({ length: 1500 }, (_, i) => ({ type: 'note', step: 'name', text: `note ${i}` }) as const);
  await ct.engine.store.append(id, events);
  await ct.engine.syncCatalog();
  ct.close();
  for (let round = 0; round < 5; round++) {
    await rm(join(dir, 'sessions', id, 'snapshot.json'), { force: true });
    ct = await testApp({ dataDir: dir });
    const statuses = await Promise.all(Array.from({ length: 4 }, async () => (await ct.app.request(`/s/${id}`)).status));
    ct.close();
    assert.deepEqual(statuses, [200, 200, 200, 200], `round ${round}`);
  }
  const left = (await readdir(join(dir, 'sessions', id))).filter((f) => f.endsWith('.tmp'));
  assert.deepEqual(left, [], 'no temporary files left behind');
});
