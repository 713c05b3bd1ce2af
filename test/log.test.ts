import assert from 'node:assert/strict';
import { appendFile, mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { verifyLog } from '../app/log/verify.ts';
import { chainHash } from '../app/log/chain.ts';
import type { Json, LogEvent, NewEvent } from '../app/log/events.ts';
import { LogStopped, LogStore, parse, SessionNotFound, START as START_HEAD } from '../app/log/store.ts';
import { EVENT_TABLE } from '../app/log/event-table.ts';
import { ROOT, tempDir } from './support/app.ts';

const ID = 'session-under-test-01'; // 21 characters, the shape of a session id
const START: NewEvent = { type: 'session.started', workflow: 'hello', version: 'v1', forkedFrom: null };
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** A store on a fresh temp folder, removed when the test ends. */
async function freshStore(t: TestContext): Promise<LogStore> {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  return new LogStore(dir);
}

const set = (key: string, value: Json): NewEvent => ({ type: 'param.set', step: 'name', key, value, source: 'user' });

const logPath = (store: LogStore, id = ID) => join(store.sessionDir(id), 'log.jsonl');

/** Appends and returns the events as placed (numbered, stamped and chained). */
const append = async (store: LogStore, events: NewEvent[], at?: Date) => (await store.append(ID, events, at)).events;

/** A line as the log would write it after `previous`: the event with its seq, time and chained hash. */
function sealed(previous: LogEvent | undefined, event: NewEvent & { seq: number; at: string }): LogEvent {
  return { ...event, hash: chainHash(previous?.hash ?? '', event as LogEvent) } as LogEvent;
}

/** Every event's hash continues the one before it. */
function assertChained(events: readonly LogEvent[]): void {
  events.forEach((e, i) => assert.equal(e.hash, chainHash(i ? events[i - 1].hash : '', e), `hash of seq ${e.seq}`));
}

/** The log file as we read it ourselves: every line must end in a newline and hold one JSON object. */
async function linesOnDisk(store: LogStore, id = ID): Promise<Record<string, unknown>[]> {
  const text = await readFile(logPath(store, id), 'utf8');
  assert.ok(text.endsWith('\n'), 'the log ends with a newline');
  return text
    .slice(0, -1)
    .split('\n')
    .map((line) => {
      const value: unknown = JSON.parse(line);
      assert.ok(typeof value === 'object' && value !== null && !Array.isArray(value), `one JSON object per line: ${line}`);
      return value as Record<string, unknown>;
    });
}

/** A session with a start and `count` param.set events, made through the store. */
async function sessionWith(store: LogStore, count: number): Promise<LogEvent[]> {
  const first = await store.create(ID, START);
  const rest = count ? await append(store, Array.from({ length: count }, (_, i) => set(`k${i}`, `naïve ☃ 😀 ${i}`))) : [];
  return [first, ...rest];
}

test('create and append number events 1..n, stamp them with ISO times, chain them, and write one JSON object per line', async (t) => {
  const store = await freshStore(t);
  const at = new Date('2024-05-06T07:08:09.010Z');
  const placed = [
    await store.create(ID, START, at),
    ...(await append(store, [set('a', 1), set('b', 2)], at)),
    ...(await append(store, [{ type: 'step.completed', step: 'name' }])),
  ];
  assert.deepEqual(
    placed.map((e) => e.seq),
    [1, 2, 3, 4],
  );
  for (const e of placed) assert.match(e.at, ISO);
  assert.deepEqual(
    placed.slice(0, 3).map((e) => e.at),
    Array(3).fill(at.toISOString()),
  );
  assert.deepEqual(placed[1], sealed(placed[0], { seq: 2, at: at.toISOString(), type: 'param.set', step: 'name', key: 'a', value: 1, source: 'user' }));
  assertChained(placed);

  // The bytes are on disk once append resolves: read the file ourselves, and through a store with no cache.
  assert.deepEqual(await linesOnDisk(store), placed);
  assert.deepEqual(await new LogStore(store.root).read(ID), placed);
  assert.deepEqual(await store.read(ID), placed);
});

test('50 concurrent appends to one session never share or skip a seq', async (t) => {
  const store = await freshStore(t);
  await store.create(ID, START);
  // A second store on the same folder knows nothing of the log's end: it finds it inside the queue too.
  for (const writer of [store, new LogStore(store.root)]) {
    const before = (await writer.read(ID)).length;
    const results = await Promise.all(Array.from({ length: 50 }, async (_, i) => (await writer.append(ID, [set('x', i), set('y', i)])).events));
    for (const [i, placed] of results.entries()) {
      const [x, y] = placed;
      assert.equal(y.seq, x.seq + 1, `the two events of append ${i} are adjacent`);
      assert.deepEqual([x, y].map((e) => (e as { value: Json }).value), [i, i]);
    }
    const seqs = results.flat().map((e) => e.seq).sort((a, b) => a - b);
    assert.deepEqual(seqs, Array.from({ length: 100 }, (_, i) => before + 1 + i));
  }
  const lines = (await linesOnDisk(store)) as LogEvent[];
  assert.deepEqual(
    lines.map((e) => e.seq),
    Array.from({ length: 201 }, (_, i) => i + 1),
  );
  assertChained(lines);
});

const TORN_TAILS: { name: string; tail: string }[] = [
  { name: 'a partial line with no newline', tail: '{"seq":4,"at":"2024-01-01T00:00:00.000Z","type":"param.se' },
  { name: 'a whole event missing its newline', tail: '{"seq":4,"at":"2024-01-01T00:00:00.000Z","type":"step.completed","step":"name","hash":"00"}' },
  { name: 'a newline-terminated garbage line', tail: '#!garbage é \u0000 line\n' },
  {
    name: 'a newline-terminated line with a repeated seq',
    tail: '{"seq":3,"at":"2024-01-01T00:00:00.000Z","type":"step.completed","step":"x","hash":"00"}\n',
  },
];

for (const { name, tail } of TORN_TAILS) {
  test(`a torn tail (${name}) is set aside: whole events kept, log cut back, torn bytes saved beside it`, async (t) => {
    const store = await freshStore(t);
    const events = await sessionWith(store, 2);
    const good = await readFile(logPath(store));
    await appendFile(logPath(store), tail);

    const reopened = new LogStore(store.root);
    assert.deepEqual(await reopened.read(ID), events);
    assert.deepEqual(await readFile(logPath(store)), good, 'the log is cut back to its last whole line');
    const torn = (await readdir(store.sessionDir(ID))).filter((f) => f !== 'log.jsonl');
    assert.equal(torn.length, 1);
    assert.match(torn[0], /^torn-.*\.txt$/);
    assert.deepEqual(await readFile(join(store.sessionDir(ID), torn[0])), Buffer.from(tail));

    // The log goes on from the last whole event.
    const [next] = (await reopened.append(ID, [{ type: 'step.completed', step: 'name' }])).events;
    assert.deepEqual(await linesOnDisk(store), [...events, next]);
    assertChained([...events, next]);
  });
}

for (const { name, tail } of TORN_TAILS) {
  test(`an append to a log with a torn tail (${name}) sets the tail aside first and goes on from the last whole event`, async (t) => {
    const store = await freshStore(t);
    const events = await sessionWith(store, 2);
    await appendFile(logPath(store), tail);
    const [next] = (await new LogStore(store.root).append(ID, [set('after', 1)])).events;
    assert.equal(next.seq, 4);
    assert.deepEqual(await new LogStore(store.root).read(ID), [...events, next]);
    assert.equal((await readdir(store.sessionDir(ID))).filter((f) => f.startsWith('torn-')).length, 1);
  });
}

const DAMAGED_LINES: { name: string; line: string; reason: RegExp }[] = [
  { name: 'not JSON', line: '{"seq":2,"at":', reason: /not JSON/ },
  { name: 'not an object', line: '[2, "param.set"]', reason: /not a JSON object/ },
  { name: 'a skipped seq', line: '{"seq":5,"at":"2024-01-01T00:00:00.000Z","type":"note","step":null,"text":"x"}', reason: /seq is 5, expected 2/ },
  { name: 'an unknown type whose hash does not chain', line: '{"seq":2,"at":"2024-01-01T00:00:00.000Z","type":"param.nope","hash":"00"}', reason: /unknown event type "param.nope"/ },
  { name: 'a bad time', line: '{"seq":2,"at":"yesterday","type":"note","step":null,"text":"x","hash":"00"}', reason: /at is not a time/ },
  { name: 'no hash', line: '{"seq":2,"at":"2024-01-01T00:00:00.000Z","type":"note","step":null,"text":"x"}', reason: /hash is missing/ },
];

for (const { name, line, reason } of DAMAGED_LINES) {
  test(`a damaged middle line (${name}) stops the read there: the events before it, a stop naming the line, nothing set aside, no append`, async (t) => {
    const store = await freshStore(t);
    const events = await sessionWith(store, 2);
    const lines = (await readFile(logPath(store), 'utf8')).split('\n');
    lines[1] = line;
    const damaged = Buffer.from(lines.join('\n'));
    await writeFile(logPath(store), damaged);

    const reopened = new LogStore(store.root);
    const read = await reopened.readFrom(ID, START_HEAD);
    assert.deepEqual(read.events, events.slice(0, 1));
    assert.equal(read.stop?.kind, 'damaged');
    assert.equal(read.stop?.line, 2);
    assert.match(read.stop!.reason, reason);
    assert.deepEqual(await reopened.read(ID), events.slice(0, 1));
    assert.deepEqual(parse(damaged).stop, read.stop);
    await assert.rejects(reopened.append(ID, [set('after', 1)]), (err: unknown) => err instanceof LogStopped && /line 2/.test(err.message));
    assert.deepEqual(await readFile(logPath(store)), damaged, 'a damaged log is left as it is');
    assert.deepEqual(await readdir(store.sessionDir(ID)), ['log.jsonl']);
  });
}

test('verify: a line altered before an unknown one is reported as altered, not hidden behind the unknown type', async (t) => {
  const store = await freshStore(t);
  const events = await sessionWith(store, 2);
  await appendFile(logPath(store), foreign(events[2]));
  const lines = (await readFile(logPath(store), 'utf8')).split('\n');
  lines[1] = lines[1].replace('naïve', 'plain');
  assert.notEqual(lines[1], (await readFile(logPath(store), 'utf8')).split('\n')[1], 'the line was changed');
  const verdict = verifyLog(Buffer.from(lines.join('\n')));
  assert.ok(!verdict.ok && !verdict.unknown);
  assert.match(verdict.reason, /^line 2 was altered/);
});

/** A line of a type this version does not know, whole and chained after `previous`. */
function foreign(previous: LogEvent, extra: Record<string, Json> = {}): string {
  const event = { seq: previous.seq + 1, at: '2030-01-01T00:00:00.000Z', type: 'step.skipped', step: 'name', ...extra };
  return JSON.stringify({ ...event, hash: chainHash(previous.hash, event as unknown as LogEvent) }) + '\n';
}

for (const where of ['last', 'middle'] as const) {
  test(`a whole, chained line of an unknown type (${where}) is kept, never torn: the read stops there and the log takes no append`, async (t) => {
    const store = await freshStore(t);
    const events = await sessionWith(store, 2);
    const line3 = foreign(events[2]);
    let tail = line3;
    if (where === 'middle') {
      // A newer version went on writing after its own type: a known line chained to the unknown one.
      const unknown = JSON.parse(line3) as LogEvent;
      const next = sealed(unknown, { seq: 5, at: '2030-01-01T00:00:01.000Z', type: 'step.completed', step: 'name' });
      tail += JSON.stringify(next) + '\n';
    }
    await appendFile(logPath(store), tail);
    const before = await readFile(logPath(store));

    const reopened = new LogStore(store.root);
    const read = await reopened.readFrom(ID, START_HEAD);
    assert.deepEqual(read.events, events);
    assert.deepEqual(read.stop, { line: 4, kind: 'unknown', reason: 'type "step.skipped"' });
    // verify (the command line's) says the same: the lines before are intact, the unknown one is not judged.
    const verdict = verifyLog(before);
    assert.ok(!verdict.ok && verdict.unknown, 'an unknown type is not called altered');
    assert.match(verdict.reason, /^lines 1–3 are intact; line 4 is of a type "step\.skipped" that this version/);
    await assert.rejects(reopened.append(ID, [set('after', 1)]), LogStopped);
    assert.deepEqual(await readFile(logPath(store)), before, 'every line is kept, byte for byte');
    assert.deepEqual(await readdir(store.sessionDir(ID)), ['log.jsonl'], 'nothing is set aside as torn');
  });
}

test('a last line of an unknown type whose hash does not chain is torn (it is not whole)', async (t) => {
  const store = await freshStore(t);
  const events = await sessionWith(store, 2);
  const bad = JSON.stringify({ ...JSON.parse(foreign(events[2])), hash: 'f00d' }) + '\n';
  await appendFile(logPath(store), bad);
  const reopened = new LogStore(store.root);
  const read = await reopened.readFrom(ID, START_HEAD);
  assert.deepEqual(read.events, events);
  assert.equal(read.stop, undefined);
  assert.equal((await readdir(store.sessionDir(ID))).filter((f) => f.startsWith('torn-')).length, 1);
});

test('an append of an event the table does not know, or of a malformed one, is refused and writes nothing', async (t) => {
  const store = await freshStore(t);
  await sessionWith(store, 1);
  const before = await readFile(logPath(store));
  const forged = [
    { type: 'step.skipped', step: 'name' },
    { type: 'param.set', step: 'name', key: 'constructor', value: 1, source: 'user' },
    { type: 'param.set', step: 'name', key: 'a', source: 'user' },
    { type: 'note', step: null, text: 5 },
    { type: 'job.failed', step: 'name', job: 'j', error: { not: 'text' } },
  ] as unknown as NewEvent[];
  for (const e of forged) await assert.rejects(store.append(ID, [set('ok', 1), e]), /refused to append a malformed event/, JSON.stringify(e));
  assert.deepEqual(await readFile(logPath(store)), before);
});

test('the event table is the documented one: every type in docs/log-format.md has an entry, and every entry is documented', async () => {
  const doc = await readFile(join(ROOT, 'docs/log-format.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## Types'), doc.indexOf('\n## ', doc.indexOf('## Types') + 1));
  const documented = new Set([...section.matchAll(/^\| `([a-z.]+)`(?: \/ `([a-z.]+)`)?/gm)].flatMap((m) => [m[1], m[2]].filter(Boolean)));
  assert.deepEqual([...documented].sort(), Object.keys(EVENT_TABLE).sort());
  for (const [type, kind] of Object.entries(EVENT_TABLE)) {
    assert.equal(typeof kind.fold, 'function', type);
    assert.ok(kind.words.length <= 1, type);
  }
});

test('parse: an empty log has no events, a whole log is all good', async (t) => {
  assert.deepEqual(parse(Buffer.alloc(0)), { events: [], goodLength: 0 });
  const store = await freshStore(t);
  const events = await sessionWith(store, 3);
  const bytes = await readFile(logPath(store));
  assert.deepEqual(parse(bytes), { events, goodLength: bytes.length });
});

test('parse reads a log\'s text as it reads its bytes: the same events, stop and good length (in bytes), torn, damaged or of an unknown type', () => {
  let previous = '';
  const lines = (['session.started', 'note', 'note'] as const).map((type, i) => {
    const body = { seq: i + 1, at: '2026-01-01T00:00:00.000Z', type, ...(type === 'note' ? { step: null, text: `ünïcode ✓ ${i} 🙂` } : { workflow: 'hello', version: '1', forkedFrom: null }) };
    previous = chainHash(previous, body as unknown as LogEvent);
    return JSON.stringify({ ...body, hash: previous });
  });
  const whole = lines.map((l) => `${l}\n`).join('');
  const unknown = (() => {
    const body = { seq: 4, at: '2026-01-01T00:00:00.000Z', type: 'from.the.future' };
    return JSON.stringify({ ...body, hash: chainHash(previous, body as unknown as LogEvent) });
  })();
  const logs = {
    whole,
    torn: `${whole}{"seq":4,"ty`,
    'torn without a line end': `${whole}{"seq":4,"ty`.slice(0, -1),
    damaged: `${lines[0]}\nnot json ✓\n${lines[2]}\n`,
    'unknown type': `${whole}${unknown}\n${lines[1]}\n`,
    empty: '',
  };
  for (const [name, text] of Object.entries(logs)) {
    const bytes = Buffer.from(text);
    assert.deepEqual(parse(text), parse(bytes), name);
  }
  assert.equal(parse(logs.torn).goodLength, Buffer.byteLength(whole), 'a torn tail is cut at its first byte, not its first character');
  assert.equal(parse(logs.damaged).stop?.line, 2);
  assert.equal(parse(logs['unknown type']).stop?.kind, 'unknown');
});

test('values of every JSON kind round-trip through append and read', async (t) => {
  const store = await freshStore(t);
  const values: Record<string, Json> = {
    string: 'plain',
    empty: '',
    integer: 42,
    negative: -7,
    float: 3.25,
    big: 9007199254740991,
    yes: true,
    no: false,
    nothing: null,
    list: [1, 'two', false, null, [3], { four: 4 }],
    emptyList: [],
    nested: { a: { b: { c: [1, { d: 'deep' }] } }, e: null },
    emptyObject: {},
    unicode: 'Grüße, 東京, emoji 👩‍🚀, rtl עברית',
    loneSurrogate: 'half \ud800 pair',
    tricky: 'line one\nline "two"\r\n\ttab \\ backslash \u2028 separator \'single\'',
  };
  await store.create(ID, START);
  await append(store, Object.entries(values).map(([key, value]) => set(key, value)));

  const lines = await linesOnDisk(store);
  assert.equal(lines.length, 1 + Object.keys(values).length, 'newlines inside values do not split lines');
  for (const events of [await store.read(ID), await new LogStore(store.root).read(ID)]) {
    const read = Object.fromEntries(events.slice(1).map((e) => [(e as { key: string }).key, (e as { value: Json }).value]));
    assert.deepEqual(read, values);
  }
});

test('a log changed on disk behind the store’s back is read again, and appended to after the change', async (t) => {
  const store = await freshStore(t);
  const events = await sessionWith(store, 1); // the store now knows the log's end
  const byHand = (previous: LogEvent): LogEvent =>
    sealed(previous, { seq: previous.seq + 1, at: '2024-01-01T00:00:00.000Z', type: 'step.reverted', step: 'name' });

  const first = byHand(events[1]);
  await appendFile(logPath(store), JSON.stringify(first) + '\n');
  const [appended] = await append(store, [set('after', true)]);
  assert.equal(appended.seq, 4, 'the append goes on after the line written by hand');

  const second = byHand(appended);
  await appendFile(logPath(store), JSON.stringify(second) + '\n');
  const all = [...events, first, appended, second];
  assert.deepEqual(await store.read(ID), all);
  assert.deepEqual(await linesOnDisk(store), all);
  assertChained(all);
});

test('reading or appending to a session with no log is SessionNotFound; creating one twice fails', async (t) => {
  const store = await freshStore(t);
  await assert.rejects(store.read('nobody'), SessionNotFound);
  await assert.rejects(store.append('nobody', [set('a', 1)]), SessionNotFound);
  await store.create(ID, START);
  await assert.rejects(store.create(ID, START), { code: 'EEXIST' });
  assert.equal((await linesOnDisk(store)).length, 1);
  assert.deepEqual(await store.list(), [ID]);
});

test('removeUnfinished takes away only the folders a cut-off start left: empty, or holding just log.jsonl.new', async (t) => {
  const store = await freshStore(t);
  const [empty, pending, busy, linked, whole] = ['unfinished-empty-0001', 'unfinished-pending-01', 'unfinished-busy-00001', 'unfinished-linked-001', 'unfinished-whole-0001'];
  await store.create(whole, START);
  for (const id of [empty, pending, busy]) await mkdir(store.sessionDir(id), { recursive: true });
  await writeFile(join(store.sessionDir(pending), 'log.jsonl.new'), '{"half":');
  await writeFile(join(store.sessionDir(busy), 'log.jsonl.new'), '');
  await mkdir(join(store.sessionDir(busy), 'uploads'));
  // A folder of its own: beside the store would be the system's temp folder, shared with every other test run.
  const { dir: elsewhere, cleanup } = await tempDir();
  t.after(cleanup);
  await symlink(elsewhere, store.sessionDir(linked));

  assert.equal(await store.removeUnfinished([empty, pending, busy, linked, whole]), 2);
  const left = (await readdir(store.root)).sort();
  assert.deepEqual(left, [busy, linked, whole].sort(), 'a folder holding anything else, a link and a whole session stay');
  assert.deepEqual(await readdir(elsewhere), [], 'nothing behind the link was touched');
  assert.equal((await store.read(whole)).length, 1);
});
