// A job's live progress over Server-Sent Events, through a real listening server (@hono/node-server on
// 127.0.0.1, port 0) and real HTTP clients (fetch + a body reader). The fixture job is driven by the test; waits
// poll for states and never time anything.
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { serve } from '@hono/node-server';
import type { Cardtrail } from '../app/server.ts';
import { freshTag, runsOf, type Run } from './fixtures/jobs/control.ts';
import { openSse, type SseClient, type SseMessage } from './fixtures/jobs/sse.ts';
import { until } from './fixtures/jobs/wait.ts';
import { tempDir, testApp } from './support/app.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures/jobs/workflows');
const T = { timeout: 60_000 };

type Live = Cardtrail & { base: string; server: Server };

/** The real app on a temp data folder, listening on 127.0.0.1 on a free port; all of it torn down after the test. */
async function listening(t: TestContext, jobLimit?: number): Promise<Live> {
  const { dir, cleanup } = await tempDir('cardtrail-sse-');
  const built = await testApp({ dataDir: dir, workflowsDir: FIXTURES, jobLimit });
  const server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: built.app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s as Server)) as Server;
  });
  t.after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    built.close();
    await cleanup();
  });
  return { ...built, server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** Reaches the gate workflow's job step through app.request and submits it; the job may still be queued. */
async function submittedJob(live: Live): Promise<{ id: string; tag: string; url: string }> {
  const post = async (path: string, form: Record<string, string>) => {
    const res = await live.app.request(path, { method: 'POST', body: new URLSearchParams(form) });
    assert.equal(res.status, 303, `${path} accepted`);
    return res;
  };
  const id = (await post('/start/gate', {})).headers.get('location')!.slice('/s/'.length);
  await post(`/s/${id}/steps/prepare`, { label: 'sse' });
  const tag = freshTag('sse');
  await post(`/s/${id}/steps/work`, { tag, size: '10' });
  return { id, tag, url: `${live.base}/s/${id}/jobs/work/events` };
}

/** A submitted gate job once its code has started. */
async function runningJob(live: Live): Promise<{ id: string; run: Run; url: string }> {
  const job = await submittedJob(live);
  return { ...job, run: await until(`the job ${job.tag} to start`, () => runsOf(job.tag)[0]) };
}

/** `data-done` of a progress message, or undefined for other events. */
function doneOf(m: SseMessage): number | undefined {
  const found = m.event === 'message' ? m.data.match(/data-done="(\d+)"/) : null;
  return found ? Number(found[1]) : undefined;
}
const statusOf = (m: SseMessage) => m.data.match(/data-status="(\w+)"/)?.[1];

/** Waits for the server to end the stream: the reader reports done. */
async function endsCleanly(client: SseClient, what: string): Promise<void> {
  await until(`${what}: the server to close the stream`, () => client.done);
  await client.ended;
}

/** Waits until the runner's snapshot of the job has reached `done`. */
const progressed = (live: Live, id: string, done: number) =>
  until(`progress ${done} in the runner`, () => live.engine.jobs.snapshot(id, 'work')?.done === done);

test('a late joiner gets the current progress first, then live updates in order, then jobend, and the stream closes', T, async (t) => {
  const live = await listening(t);
  const { id, run, url } = await runningJob(live);
  for (let i = 1; i <= 3; i++) run.ctx.progress(i, 10, `unit ${i} of 10`);
  await progressed(live, id, 3);

  const client = await openSse(url);
  t.after(client.abort);
  assert.equal(client.status, 200);
  assert.match(client.contentType ?? '', /^text\/event-stream/);
  const first = await client.waitFor('the first message', () => true);
  assert.equal(first.event, 'message', 'the first message is a progress block');
  assert.equal(doneOf(first), 3, 'a late joiner starts from where the job is, not from zero');
  assert.ok(doneOf(first)! > 0);
  assert.equal(statusOf(first), 'running');
  assert.ok(first.data.includes('unit 3 of 10'), 'with the latest status line');
  assert.ok(!first.data.includes('\n'), 'one data line per message');

  // Updates spaced out (one per turn of the event loop, so none is coalesced away) arrive, in order.
  for (let i = 4; i <= 8; i++) {
    run.ctx.progress(i, 10, `unit ${i} of 10`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  await client.waitFor('progress 8', (m) => doneOf(m) === 8);
  const seen = client.messages.map(doneOf);
  assert.deepEqual(seen, [3, 4, 5, 6, 7, 8], 'every update, in the order sent');
  assert.ok(client.messages.every((m) => m.event === 'message'), 'no jobend while the job runs');
  assert.equal(client.done, false, 'the stream stays open while the job runs');

  run.release();
  const end = await client.waitFor('jobend', (m) => m.event === 'jobend');
  assert.equal(end.data, 'finished');
  const log = await live.engine.store.read(id);
  assert.ok(log.some((e) => e.type === 'job.finished'), 'the end is in the log by the time watchers hear of it');
  await endsCleanly(client, 'after jobend');
  const last = client.messages.at(-2)!;
  assert.equal(statusOf(last), 'finished', 'the last progress block says finished');
  assert.equal(client.messages.at(-1), end, 'nothing follows jobend');
  assert.equal(client.messages.filter((m) => m.event === 'jobend').length, 1);
});

test('a stream for a step without a running job sends jobend at once and closes', T, async (t) => {
  const live = await listening(t);
  const { id, run, url } = await runningJob(live);

  // A step that has no job (prepare is a plain step, already done).
  const plain = await openSse(`${live.base}/s/${id}/jobs/prepare/events`);
  t.after(plain.abort);
  assert.equal(plain.status, 200);
  await endsCleanly(plain, 'no job');
  assert.deepEqual(
    plain.messages.map((m) => [m.event, m.data]),
    [['jobend', 'ended']],
  );

  // The job step once its job has finished: a tab that reconnects late is told to reload, not left hanging.
  run.release();
  await until('the job to end', () => live.engine.jobs.snapshot(id, 'work') === undefined);
  const late = await openSse(url);
  t.after(late.abort);
  await endsCleanly(late, 'a finished job');
  assert.deepEqual(
    late.messages.map((m) => m.event),
    ['jobend'],
  );
});

test('two watchers both get every update and the end', T, async (t) => {
  t.mock.method(console, 'error', () => {}); // the failure below is reported to the server log on purpose
  const live = await listening(t);
  const { id, run, url } = await runningJob(live);
  run.ctx.progress(1, 10, 'one');
  await progressed(live, id, 1);
  const a = await openSse(url);
  const b = await openSse(url);
  t.after(a.abort);
  t.after(b.abort);
  for (const c of [a, b]) assert.equal(doneOf(await c.waitFor('the first message', () => true)), 1);

  for (let i = 2; i <= 4; i++) {
    run.ctx.progress(i, 10, `unit ${i}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  for (const c of [a, b]) await c.waitFor('progress 4', (m) => doneOf(m) === 4);
  assert.deepEqual(a.messages.map(doneOf), [1, 2, 3, 4]);
  assert.deepEqual(b.messages.map(doneOf), [1, 2, 3, 4]);

  run.fail('it broke');
  for (const c of [a, b]) {
    const end = await c.waitFor('jobend', (m) => m.event === 'jobend');
    assert.equal(end.data, 'failed');
    assert.equal(statusOf(c.messages.at(-2)!), 'failed');
    await endsCleanly(c, 'after a failure');
  }
});

test('a queued job streams its queued state, then running, and a cancel ends the stream with jobend cancelled', T, async (t) => {
  const live = await listening(t, 1);
  const first = await runningJob(live);
  const second = await submittedJob(live);
  assert.equal(live.engine.jobs.snapshot(second.id, 'work')?.status, 'queued');
  const client = await openSse(second.url);
  t.after(client.abort);
  assert.equal(statusOf(await client.waitFor('the first message', () => true)), 'queued');

  first.run.release();
  await client.waitFor('running', (m) => statusOf(m) === 'running');
  const res = await live.app.request(`/s/${second.id}/jobs/work/cancel`, { method: 'POST' });
  assert.equal(res.status, 303);
  const end = await client.waitFor('jobend', (m) => m.event === 'jobend');
  assert.equal(end.data, 'cancelled');
  await endsCleanly(client, 'after a cancel');
  assert.deepEqual(
    client.messages.map((m) => (m.event === 'jobend' ? 'jobend' : statusOf(m))),
    ['queued', 'running', 'cancelled', 'jobend'],
  );
});

test('a watcher that disconnects is dropped from the job’s listeners while the others keep receiving', T, async (t) => {
  const live = await listening(t);
  const { id, run, url } = await runningJob(live);

  // The runner exposes no count of its listeners, so count watch()/unwatch() pairs from outside.
  const jobs = live.engine.jobs;
  const watch = jobs.watch.bind(jobs);
  let watching = 0;
  t.mock.method(jobs, 'watch', (session: string, step: string, listener: Parameters<typeof watch>[2]) => {
    const unwatch = watch(session, step, listener);
    watching++;
    let once = false;
    return () => {
      if (!once) watching--;
      once = true;
      return unwatch();
    };
  });

  run.ctx.progress(1, 10, 'one');
  await progressed(live, id, 1);
  const leaving = await openSse(url);
  const staying = await openSse(url);
  t.after(staying.abort);
  for (const c of [leaving, staying]) await c.waitFor('the first message', () => true);
  assert.equal(watching, 2);

  leaving.abort();
  await assert.rejects(leaving.ended, 'the aborted reader stops');
  await until('the server to drop the watcher that left', () => watching === 1);
  assert.ok(live.engine.jobs.snapshot(id, 'work'), 'the job runs on: watchers do not own it');
  assert.equal(run.aborted, undefined);

  const countBefore = leaving.messages.length;
  run.ctx.progress(2, 10, 'two');
  await staying.waitFor('progress 2', (m) => doneOf(m) === 2);
  assert.equal(leaving.messages.length, countBefore);

  run.release();
  await staying.waitFor('jobend', (m) => m.event === 'jobend');
  await endsCleanly(staying, 'the remaining watcher');
  await until('no watcher left once the job ended', () => watching === 0);
});

test('the event stream of an unknown session is a 404, not a stream', T, async (t) => {
  const live = await listening(t);
  for (const id of ['AAAAAAAAAAAAAAAAAAAAA', 'not-a-session-id', '..%2F..%2Fetc']) {
    const res = await fetch(`${live.base}/s/${id}/jobs/work/events`);
    const body = await res.text();
    assert.equal(res.status, 404, `${id}: ${body.slice(0, 200)}`);
    assert.doesNotMatch(res.headers.get('content-type') ?? '', /event-stream/);
  }
});

test('stopping the app ends open streams with jobend interrupted, and the next start records the interruption', T, async (t) => {
  const live = await listening(t);
  const { id, url } = await runningJob(live);
  const client = await openSse(url);
  t.after(client.abort);
  await client.waitFor('the first message', () => true);

  live.engine.jobs.shutdown();
  const end = await client.waitFor('jobend', (m) => m.event === 'jobend');
  assert.equal(end.data, 'interrupted');
  await endsCleanly(client, 'after shutdown');
  assert.ok(!(await live.engine.store.read(id)).some((e) => e.type === 'job.interrupted'), 'a stop records nothing itself');
  assert.equal(await live.engine.recoverJobs(), 1, 'the next start marks the job interrupted');
});
