// Imports take in parsed values only, carry notes and the finalized state or say what was left out, stream the
// file line by line, and write the new session in one rename: through the real app and its disk.
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { foldStream, ImportRefused, MAX_LINE } from '../app/engine/import-reader.ts';
import type { LogEvent } from '../app/log/events.ts';
import { withUpload } from '../app/routes/upload.ts';
import { EngineError } from '../app/engine/errors.ts';
import { Client, sessionOf, withoutPlace } from './support/client.ts';
import { chained } from './support/forge.ts';
import { throughAccess } from './support/kitchen-sink.ts';
import { textOf } from './support/html.ts';

const started = (client: Client, workflow: string) => ({ type: 'session.started', workflow, version: client.version(workflow), forkedFrom: null });
const set = (step: string, key: string, value: unknown, source = 'user', extra: Record<string, unknown> = {}) => ({
  type: 'param.set',
  step,
  key,
  value,
  source,
  ...extra,
});
const done = (step: string) => ({ type: 'step.completed', step });
const params = (events: LogEvent[]) => events.flatMap((e) => (e.type === 'param.set' ? [withoutPlace(e) as Omit<typeof e, 'seq' | 'at' | 'hash'>] : []));

test('an import records values as parsed by the workflow, works out `was` anew, drops what the workflow does not define, and says so', async (t) => {
  const client = await Client.open(t);
  const file = chained([
    started(client, 'trip'),
    set('places', 'places', 'Lisbon', 'user', { was: 'job' }), // a string in a list field, and a `was` it never had
    set('places', 'days', '5'), // a string in a number field
    set('places', 'smuggled', { a: 1 }, 'job'), // not a field, and the step runs no job
    done('places'),
    set('traveller', 'traveller', { name: { first: 'Ann' }, adults: 2, rail: true, extra: '<b>x</b>' }), // an object in a text field, an unknown key
    set('traveller', 'pace', 'steady'),
    done('traveller'),
    set('gone', 'x', 1),
    done('gone'), // a step this workflow does not have
  ]);
  const id = sessionOf(await client.upload(file, 'forged.jsonl'));
  const events = await client.events(id);
  assert.deepEqual(params(events), [
    { type: 'param.set', step: 'places', key: 'places', value: ['Lisbon'], source: 'import', was: 'user', meta: { given: 'Lisbon' } },
    { type: 'param.set', step: 'places', key: 'days', value: 5, source: 'import', was: 'user', meta: { given: '5' } },
    {
      type: 'param.set',
      step: 'traveller',
      key: 'traveller',
      value: { name: '{"first":"Ann"}', adults: 2, rail: true },
      source: 'import',
      was: 'user',
      meta: { given: { name: { first: 'Ann' }, adults: 2, rail: true, extra: '<b>x</b>' } },
    },
    { type: 'param.set', step: 'traveller', key: 'pace', value: 'steady', source: 'import', was: 'default' },
  ]);
  const changes = (events[0].meta?.import ?? []) as string[];
  assert.equal(changes.length, 5, changes.join('\n'));
  assert.match(changes.join('\n'), /Places · places: given as "Lisbon", recorded as \["Lisbon"\]/);
  assert.match(changes.join('\n'), /Places · smuggled: left out/);
  assert.match(changes.join('\n'), /step "gone": left out/);
  const history = textOf(await client.html(`/s/${id}/history`));
  assert.match(history, /from an import, which changed this:\s*Places · places: .*Places · days: given as "5", recorded as 5/);
  assert.match(history, /Places to visit: Lisbon \(imported\) · the file had "Lisbon"/);
  assert.doesNotMatch(history, /smuggled =/, 'the dropped value is not shown as a value');
});

test('job results come across only from a job that finished, and only as results the step declares', async (t) => {
  const client = await Client.open(t);
  const base = [started(client, 'ticker'), set('simulate', 'ticks', 3), set('simulate', 'interval', 0), set('simulate', 'failAt', null)];
  const never = chained([...base, set('simulate', 'counted', 3, 'job'), done('simulate')]);
  const neverId = sessionOf(await client.upload(never, 'never-ran.jsonl'));
  const neverEvents = await client.events(neverId);
  assert.deepEqual(params(neverEvents).map((p) => p.key), ['ticks', 'interval', 'failAt'], 'no result of a job that never ran');
  assert.match(String(neverEvents[0].meta?.import), /Simulate · counted: left out/);

  const ran = chained([
    ...base,
    { type: 'job.started', step: 'simulate', job: 'j1' },
    set('simulate', 'counted', 3, 'job'),
    set('simulate', 'bogus', 'x', 'job'),
    { type: 'job.finished', step: 'simulate', job: 'j1' },
    done('simulate'),
  ]);
  const ranEvents = await client.events(sessionOf(await client.upload(ran, 'ran.jsonl')));
  assert.deepEqual(
    params(ranEvents).filter((p) => p.key === 'counted' || p.key === 'bogus'),
    [{ type: 'param.set', step: 'simulate', key: 'counted', value: 3, source: 'import', was: 'job' }],
  );
  assert.match(String(ranEvents[0].meta?.import), /Simulate · bogus: left out/);
});

test('notes and the finalized state come across; what cannot is named in the history', async (t) => {
  const client = await Client.open(t);
  const full = chained([
    started(client, 'hello'),
    set('name', 'name', 'Ada'),
    done('name'),
    { type: 'note', step: 'name', text: 'why Ada' },
    { type: 'note', step: null, text: 'about the session' },
    { type: 'note', step: 'nowhere', text: 'on a step that does not exist' },
    { type: 'note', step: 'name', text: 'x'.repeat(2001) },
    set('greeting', 'greeting', 'Hello Ada!'),
    done('greeting'),
    { type: 'session.finalized' },
    { type: 'session.archived' },
  ]);
  const id = sessionOf(await client.upload(full, 'full.jsonl'));
  const events = await client.events(id);
  const notes = events.flatMap((e) => (e.type === 'note' ? [[e.step, e.text, e.meta?.written]] : []));
  assert.deepEqual(notes, [
    ['name', 'why Ada', '2026-01-01T10:00:00.000Z'],
    [null, 'about the session', '2026-01-01T10:00:00.000Z'],
  ]);
  assert.equal(events.at(-1)!.type, 'session.finalized');
  assert.match(await client.page(id), /<strong>Finalized\.<\/strong>/);
  const changes = String(events[0].meta?.import);
  assert.match(changes, /2 note\(s\) left out/);
  assert.match(changes, /it was archived/);

  // Finalized, but today's workflow needs a step the file has no values for: left open, and said.
  const half = chained([started(client, 'hello'), set('name', 'name', 'Ada'), done('name'), { type: 'session.finalized' }]);
  const halfEvents = await client.events(sessionOf(await client.upload(half, 'half.jsonl')));
  assert.ok(!halfEvents.some((e) => e.type === 'session.finalized'));
  assert.match(String(halfEvents[0].meta?.import), /it was finalized; it is left open here, since it has no values for the step "Greeting"/);
});

test('an import of an exported session reproduces it without a word of change', async (t) => {
  const client = await Client.open(t);
  const id = await client.start('trip');
  await client.submit(id, 'places', { places: ['Lisbon', 'Porto'], days: '4' });
  await client.submit(id, 'traveller', { 'traveller.name': 'Ann', 'traveller.adults': '2', pace: 'slow' });
  await client.act(`/s/${id}/notes`, { step: 'places', text: 'by train' });
  const copy = sessionOf(await client.upload(await client.logBytes(id), 'trip.jsonl'));
  const [first, ...rest] = await client.events(copy);
  assert.equal(first.meta, undefined, 'nothing changed, nothing said');
  assert.deepEqual(
    params(rest).map((p) => [p.key, p.value, p.was]),
    [
      ['places', ['Lisbon', 'Porto'], 'user'],
      ['days', 4, 'user'],
      ['traveller', { name: 'Ann', adults: 2, rail: false }, 'user'],
      ['pace', 'slow', 'user'],
    ],
  );
  assert.deepEqual(await readdir(join(client.dir, 'importing')), [], 'nothing is left in the staging folder');
});

test('the reader checks line by line as the file arrives: a bad line stops it before the rest is read', async () => {
  let served = 0;
  async function* lines() {
    yield Buffer.from(chained([{ type: 'session.started', workflow: 'hello', version: 'v', forkedFrom: null }]));
    yield Buffer.from('not json\n');
    for (; served < 1_000_000; served++) yield Buffer.from('{"never":"read"}\n');
  }
  await assert.rejects(foldStream(lines()), (err) => err instanceof ImportRefused && err.message === 'line 2: not JSON');
  assert.equal(served, 0, 'nothing after the bad line was asked for');

  async function* endless() {
    const piece = Buffer.alloc(1024 * 1024, 'a');
    for (let i = 0; i < 64; i++) yield piece;
  }
  await assert.rejects(foldStream(endless()), (err) => err instanceof ImportRefused && /line 1 is longer than 16 MB/.test(err.message));
  assert.equal(MAX_LINE, 16 * 1024 * 1024);
  assert.equal(await foldStream([]), undefined, 'an empty file');
});

test('an upload over the limit is refused with 413 after its body is drained, also when it is sent without a length', async () => {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const form = `--b\r\nContent-Disposition: form-data; name="log"; filename="big.jsonl"\r\n\r\n`;
      controller.enqueue(new TextEncoder().encode(form));
      for (let i = 0; i < 40; i++) controller.enqueue(new Uint8Array(64 * 1024).fill(0x61));
      controller.enqueue(new TextEncoder().encode('\r\n--b--\r\n'));
      controller.close();
    },
  });
  const req = new Request('http://localhost/import', { method: 'POST', body, headers: { 'content-type': 'multipart/form-data; boundary=b' }, duplex: 'half' } as RequestInit);
  let read = 0;
  await assert.rejects(
    withUpload(req, 'log', async (chunks) => {
      for await (const chunk of chunks) read += chunk.length;
    }, 1024 * 1024),
    (err) => err instanceof EngineError && err.status === 413 && /larger than 1 MB/.test(err.message),
  );
  assert.ok(read <= 1024 * 1024 + 64 * 1024, `the consumer saw at most the limit (${read})`);
  const tooLong = new Request('http://localhost/import', { method: 'POST', body: 'x', headers: { 'content-type': 'multipart/form-data; boundary=b', 'content-length': String(2 * 1024 * 1024) } });
  await assert.rejects(withUpload(tooLong, 'log', async () => 1, 1024 * 1024), (err) => err instanceof EngineError && err.status === 413);
});

test('an upload cut off mid-file through a real socket leaves no session, and the server goes on', async (t) => {
  const client = await Client.open(t);
  const { serve } = await import('@hono/node-server');
  const { request } = await import('node:http');
  const server = serve({ fetch: (req: Request) => client.fetch(req), hostname: '127.0.0.1', port: 0 });
  await new Promise((ok) => server.once('listening', ok));
  t.after(() => new Promise((ok) => server.close(ok)));
  const { port } = server.address() as import('node:net').AddressInfo;
  const good = chained([{ type: 'session.started', workflow: 'hello', version: client.version('hello'), forkedFrom: null }]);
  await new Promise<void>((ok) => {
    const req = request({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: '/import',
      headers: { origin: `http://127.0.0.1:${port}`, 'content-type': 'multipart/form-data; boundary=b', 'content-length': 10_000_000 },
    });
    req.on('error', () => ok());
    req.write(`--b\r\nContent-Disposition: form-data; name="log"; filename="cut.jsonl"\r\n\r\n${good}${good.slice(0, 40)}`);
    setTimeout(() => {
      req.destroy();
      ok();
    }, 200);
  });
  const home = await fetch(`http://127.0.0.1:${port}/`);
  assert.equal(home.status, 200);
  await new Promise((ok) => setTimeout(ok, 100));
  assert.deepEqual(await client.sessionIds(), [], 'no session from the cut-off upload');
});

test('an exported kitchen sink, imported into the same data folder, asks for its secret and its file again in one sentence', async (t) => {
  const client = await Client.open(t);
  const id = await client.start('kitchen-sink');
  await throughAccess(client, id);
  await client.submit(id, 'check', {});
  while ((await client.ct.engine.load(id)).state.jobs.check?.status === 'running') await new Promise((ok) => setTimeout(ok, 20));
  assert.equal((await client.ct.engine.load(id)).state.jobs.check?.status, 'finished');

  const exported = await client.get(`/s/${id}/log.jsonl`);
  assert.equal(exported.status, 200);
  const copy = sessionOf(await client.upload(Buffer.from(await exported.arrayBuffer()), 'kitchen.jsonl'));
  const changes = ((await client.events(copy))[0].meta?.import ?? []) as string[];
  assert.deepEqual(changes, ['Asked for again, since secrets and files do not travel in a log: "API token" and "Keyword list" (step "Access").']);
  const history = textOf(await client.html(`/s/${copy}/history`));
  assert.match(history, /which changed this:\s*Asked for again, since secrets and files do not travel in a log: "API token" and "Keyword list" \(step "Access"\)\./);
  assert.doesNotMatch(history, /must be given again|does not hold it/, 'no field’s form message in the sentence');
  assert.deepEqual((await client.ct.engine.load(copy)).state.completed, ['basics', 'times', 'links'], 'the step with the secret and the file opens');
});
