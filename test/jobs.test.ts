// Job steps end to end, in-process: the real engine and runner, real logs and checkpoints on disk in a temp folder,
// the real catalog (SQLite), and every page through app.request(). The fixture jobs in fixtures/jobs/workflows
// are driven by the test (fixtures/jobs/control.ts); waits poll for states, they never time anything.
import assert from 'node:assert/strict';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';
import { test, type TestContext } from 'node:test';
import type { LogEvent } from '../app/log/events.ts';
import type { Cardtrail } from '../app/server.ts';
import { freshTag, runsOf, type Run } from './fixtures/jobs/control.ts';
import { FAILURE } from './fixtures/jobs/workflows/failing.ts';
import { until } from './fixtures/jobs/wait.ts';
import { tempDir, testApp } from './support/app.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures/jobs/workflows');
/** Generous per-test deadline: a hang (a cancel that never answers, a job that never ends) fails instead. */
const T = { timeout: 60_000 };

type App = Cardtrail & { dataDir: string };

/** A fresh data folder, removed after the test. */
async function dataFolder(t: TestContext): Promise<string> {
  const { dir, cleanup } = await tempDir('cardtrail-jobs-');
  t.after(cleanup);
  return dir;
}

/** The real app with the fixture workflows on `dataDir` (a restart is another boot on it), closed after the test. */
async function boot(t: TestContext, dataDir: string, jobLimit?: number): Promise<App> {
  const built = await testApp({ dataDir, workflowsDir: FIXTURES, jobLimit });
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    built.close();
  };
  t.after(close);
  return { ...built, close, dataDir };
}

/** A GET, as the browser's plain page load. */
async function get(app: App, path: string): Promise<{ status: number; html: string }> {
  const res = await app.app.request(path);
  return { status: res.status, html: await res.text() };
}

/** A POST as htmx sends it: the answer is the trail fragment (or an error fragment), not a redirect. */
async function post(app: App, path: string, form: Record<string, string> = {}): Promise<{ status: number; html: string }> {
  const res = await app.app.request(path, { method: 'POST', body: new URLSearchParams(form), headers: { 'hx-request': 'true' } });
  return { status: res.status, html: await res.text() };
}

/** Starts a session of a fixture workflow through the start button's route; returns its id. */
async function startSession(app: App, workflow: string): Promise<string> {
  const res = await app.app.request(`/start/${workflow}`, { method: 'POST' });
  assert.equal(res.status, 303);
  const id = res.headers.get('location')?.match(/^\/s\/([A-Za-z0-9_-]{21})$/)?.[1];
  assert.ok(id, `start redirects to the session page (got ${res.headers.get('location')})`);
  return id;
}

/** Submits a step and expects it accepted. */
async function submit(app: App, id: string, step: string, form: Record<string, string>): Promise<string> {
  const { status, html } = await post(app, `/s/${id}/steps/${step}`, form);
  assert.equal(status, 200, `submitting ${step} is accepted: ${html}`);
  return html;
}

/** The session's log as it is on disk, parsed line by line by the test itself. */
async function logOnDisk(app: App, id: string): Promise<LogEvent[]> {
  const text = await readFile(join(app.dataDir, 'sessions', id, 'log.jsonl'), 'utf8');
  assert.ok(text.endsWith('\n'), 'the log ends with a whole line');
  return text
    .slice(0, -1)
    .split('\n')
    .map((line) => JSON.parse(line) as LogEvent);
}

/** Waits until the log on disk has an event of this type (after `afterSeq`), and returns the log. */
async function logUntil(app: App, id: string, type: LogEvent['type'], afterSeq = 0): Promise<LogEvent[]> {
  let last: LogEvent[] = [];
  await until(`${type} in the log of ${id}`, async () => {
    last = await logOnDisk(app, id);
    return last.some((e) => e.type === type && e.seq > afterSeq);
  });
  return last;
}

/**
 * Waits until the runner has forgotten a step's job. The log line comes first (settle appends it), the runner lets
 * go just after, so a test that acts on the end must wait for both.
 */
const runnerDone = (app: App, id: string, step = 'work') =>
  until(`the runner to forget the job of ${id}/${step}`, () => app.engine.jobs.snapshot(id, step) === undefined);

/** Waits for the n-th run of a fixture job with this tag to start. */
const nthRun = (tag: string, n = 1): Promise<Run> => until(`run ${n} of job ${tag} to start`, () => runsOf(tag)[n - 1]);

/** The HTML of one card (`<article id="card-<step>" ...>...</article>`); cards do not nest. */
function card(html: string, step: string): string {
  const at = html.indexOf(`id="card-${step}"`);
  assert.ok(at >= 0, `the page has a card for ${step}`);
  const start = html.lastIndexOf('<article', at);
  const end = html.indexOf('</article>', at);
  assert.ok(start >= 0 && end > at, `the card for ${step} is a whole <article>`);
  return html.slice(start, end + '</article>'.length);
}

/** The opening tag of the card's <article>, where its class and data-* attributes are. */
const cardTag = (html: string, step: string) => card(html, step).match(/^<article[^>]*>/)![0];

/** The value attribute of the input named `name` in some HTML, or undefined. */
function inputValue(html: string, name: string): string | undefined {
  const input = html.match(new RegExp(`<input[^>]*\\bname="${name}"[^>]*>`))?.[0];
  return input?.match(/\bvalue="([^"]*)"/)?.[1];
}

/** The label of the card's submit button. */
const submitLabel = (cardHtml: string) => cardHtml.match(/<button type="submit"[^>]*>([^<]*)<\/button>/)?.[1];

const eventsOf = (log: LogEvent[], type: LogEvent['type']) => log.filter((e) => e.type === type);
const jobOf = (e: LogEvent | undefined) => (e && 'job' in e ? e.job : undefined);

type GateJob = { id: string; tag: string; run: Run; html: string };

/** Reaches the gate workflow's job step and submits it; returns the session id, the tag and the first run. */
async function gateJob(app: App, opts: { label?: string; size?: string } = {}): Promise<GateJob> {
  const id = await startSession(app, 'gate');
  await submit(app, id, 'prepare', { label: opts.label ?? 'ada' });
  const tag = freshTag('gate');
  const html = await submit(app, id, 'work', { tag, size: opts.size ?? '4' });
  return { id, tag, run: await nthRun(tag), html };
}

/** On an app with one job slot: a running gate job `a`, and gate session `bId` whose job (tag `bTag`) is queued. */
async function queuedBehindGateJob(app: App): Promise<{ a: GateJob; bId: string; bTag: string }> {
  const a = await gateJob(app);
  const bId = await startSession(app, 'gate');
  await submit(app, bId, 'prepare', { label: 'b' });
  const bTag = freshTag('gate');
  await submit(app, bId, 'work', { tag: bTag });
  assert.equal(app.engine.jobs.snapshot(bId, 'work')?.status, 'queued');
  return { a, bId, bTag };
}

/**
 * Boots the app on a fresh data folder and runs a resumable job (5 units, pausing after unit 3) until checkpoint 3
 * is on disk; returns the folder, the app, the session, the job's tag and form, its first run and checkpoint file.
 */
async function resumableAtCheckpoint3(t: TestContext) {
  const dataDir = await dataFolder(t);
  const first = await boot(t, dataDir);
  const id = await startSession(first, 'resumable');
  const tag = freshTag('resumable');
  const form = { tag, total: '5', pauseAt: '3' };
  await submit(first, id, 'work', form);
  const run = await nthRun(tag);
  const checkpointFile = join(first.engine.store.sessionDir(id), 'checkpoints', 'work.json');
  await until('checkpoint 3 on disk', async () => JSON.parse(await readFile(checkpointFile, 'utf8')).data === 3);
  return { dataDir, first, id, tag, form, run, checkpointFile };
}

test('a job step: fields then job.started in the log, a live card while it runs, results as source job, the next step open', T, async (t) => {
  const app = await boot(t, await dataFolder(t));
  const { id, tag, run, html: answer } = await gateJob(app, { label: 'ada', size: '4' });

  const started = await logOnDisk(app, id);
  const tail = started.slice(-3);
  assert.deepEqual(
    tail.map((e) => [e.type, 'key' in e ? e.key : undefined, 'source' in e ? e.source : undefined, 'step' in e ? e.step : undefined]),
    [
      ['param.set', 'tag', 'user', 'work'],
      ['param.set', 'size', 'user', 'work'],
      ['job.started', undefined, undefined, 'work'],
    ],
    'the fields are recorded, then job.started',
  );
  assert.deepEqual(tail.slice(0, 2).map((e) => 'value' in e && e.value), [tag, 4]);
  const jobId = jobOf(tail[2]);
  assert.match(jobId ?? '', /^[A-Za-z0-9_-]{21}$/, 'job.started names the job');
  assert.ok(!started.some((e) => e.type === 'step.completed' && e.step === 'work'), 'the step is not completed yet');

  // The answer to the submit and a plain reload both show the live card that connects to the job's stream.
  for (const html of [answer, (await get(app, `/s/${id}`)).html]) {
    const tag0 = cardTag(html, 'work');
    assert.match(tag0, /class="card job"/);
    assert.ok(card(html, 'work').includes(`hx-sse:connect="/s/${id}/jobs/work/events"`), 'the card connects to the job stream');
    assert.ok(card(html, 'work').includes(`/s/${id}/jobs/work/cancel`), 'the card has a Cancel action');
  }
  assert.equal(run.ctx.params.label, 'ada', 'the job sees earlier steps’ values');
  assert.equal(run.ctx.params.size, 4, 'the job sees its own fields, typed');

  // A reload mid-job shows where the job is now, not zero.
  run.ctx.progress(2, 4, 'two of four');
  await until('progress 2 in the runner', () => app.engine.jobs.snapshot(id, 'work')?.done === 2);
  const mid = card((await get(app, `/s/${id}`)).html, 'work');
  assert.match(mid, /data-status="running"/);
  assert.match(mid, /data-done="2"/);
  assert.ok(mid.includes('two of four'));

  // Submitting the step again while its job runs is refused, and nothing is written.
  const again = await post(app, `/s/${id}/steps/work`, { tag, size: '4' });
  assert.equal(again.status, 409);
  assert.equal((await logOnDisk(app, id)).length, started.length, 'a refused submit writes nothing');

  run.release();
  const log = await logUntil(app, id, 'step.completed', started.at(-1)!.seq);
  const after = log.slice(started.length);
  assert.deepEqual(
    after.map((e) => [e.type, 'key' in e ? e.key : null, 'value' in e ? e.value : null, 'source' in e ? e.source : null]),
    [
      ['param.set', 'count', 4, 'job'],
      ['param.set', 'shout', 'ADA', 'job'],
      ['job.finished', null, null, null],
      ['step.completed', null, null, null],
    ],
  );
  for (const e of after) assert.equal('step' in e && e.step, 'work');
  assert.equal(jobOf(after[2]), jobId, 'job.finished names the job that started');
  await runnerDone(app, id);

  const page = (await get(app, `/s/${id}`)).html;
  assert.match(cardTag(page, 'work'), /class="card done"/);
  assert.match(card(page, 'work'), /data-key="count">4</);
  assert.match(card(page, 'work'), /data-key="shout">ADA</);
  assert.ok(!/hx-sse:connect="[^"]*\/jobs\//.test(page), 'no live card is left');
  assert.match(cardTag(page, 'review'), /class="card open"/);
  assert.equal(inputValue(card(page, 'review'), 'verdict'), 'ADA x4', 'the next default is derived from the job results');
  assert.deepEqual(app.engine.catalog.jobCounts(), { finished: 1 });
  assert.deepEqual(app.engine.catalog.unfinishedJobs(), []);
});

test('with jobLimit 1 a second session’s job waits queued until the first ends; the catalog lists both', T, async (t) => {
  const app = await boot(t, await dataFolder(t), 1);
  const a = await gateJob(app, { label: 'first' });
  const b = await (async () => {
    const id = await startSession(app, 'gate');
    await submit(app, id, 'prepare', { label: 'second' });
    const tag = freshTag('gate');
    const html = await submit(app, id, 'work', { tag, size: '2' });
    return { id, tag, html };
  })();

  assert.equal(app.engine.jobs.snapshot(a.id, 'work')?.status, 'running');
  assert.equal(app.engine.jobs.snapshot(b.id, 'work')?.status, 'queued', 'the second job waits for a free slot');
  assert.equal(runsOf(b.tag).length, 0, 'the queued job’s code has not started');
  assert.equal(app.engine.jobs.active, 2);
  assert.match(card(b.html, 'work'), /data-status="queued"/, 'the queued job’s card says so');
  assert.match(card(b.html, 'work'), /Queued/);
  assert.deepEqual(app.engine.catalog.jobCounts(), { running: 1, queued: 1 });
  assert.match((await get(app, '/')).html, /Jobs: 1 running, 1 waiting for a free slot\./, 'the home page shows the queue');
  const unfinished = app.engine.catalog.unfinishedJobs();
  assert.deepEqual(
    unfinished.map((r) => [r.session, r.step, r.status]).sort(),
    [
      [a.id, 'work', 'running'],
      [b.id, 'work', 'queued'],
    ].sort(),
  );
  assert.ok(unfinished.every((r) => r.endedAt === null && r.error === null));

  // Progress of the running job does not let the queued one in.
  a.run.ctx.progress(1, 2, 'still busy');
  await until('progress of the first job', () => app.engine.jobs.snapshot(a.id, 'work')?.done === 1);
  assert.equal(app.engine.jobs.snapshot(b.id, 'work')?.status, 'queued');

  a.run.release();
  const bRun = await nthRun(b.tag);
  assert.ok(a.run.returned, 'the second job starts only after the first returned');
  assert.ok(eventsOf(await logOnDisk(app, a.id), 'job.finished').length === 1, '... and after its end was recorded');
  await until('the second job running', () => app.engine.jobs.snapshot(b.id, 'work')?.status === 'running');
  assert.deepEqual(app.engine.catalog.jobCounts(), { finished: 1, running: 1 });

  bRun.release();
  await logUntil(app, b.id, 'job.finished');
  await until('no unfinished jobs in the catalog', () => app.engine.catalog.unfinishedJobs().length === 0);
  assert.deepEqual(app.engine.catalog.jobCounts(), { finished: 2 });
  const rows = app.engine.catalog.db.prepare('SELECT session, status, ended_at AS endedAt FROM jobs').all() as { session: string; status: string; endedAt: string | null }[];
  assert.equal(rows.length, 2);
  assert.ok(rows.every((r) => r.status === 'finished' && r.endedAt !== null), 'both rows are finished with an end time');
});

test('cancelling a queued job ends it without ever running it; the running job is untouched', T, async (t) => {
  const app = await boot(t, await dataFolder(t), 1);
  const { a, bId, bTag } = await queuedBehindGateJob(app);

  const answer = await post(app, `/s/${bId}/jobs/work/cancel`);
  assert.equal(answer.status, 200);
  assert.match(card(answer.html, 'work'), /data-job-status="cancelled"/);
  assert.equal(eventsOf(await logOnDisk(app, bId), 'job.cancelled').length, 1);
  assert.equal(app.engine.jobs.snapshot(bId, 'work'), undefined);
  assert.equal(app.engine.jobs.snapshot(a.id, 'work')?.status, 'running');
  assert.equal(a.run.aborted, undefined, 'the running job was not touched');
  assert.deepEqual(app.engine.catalog.jobCounts(), { running: 1, cancelled: 1 });

  a.run.release();
  await logUntil(app, a.id, 'job.finished');
  await runnerDone(app, a.id);
  assert.equal(runsOf(bTag).length, 0, 'the cancelled job never ran, even once a slot was free');
  assert.equal(app.engine.jobs.active, 0);
});

test('cancel aborts the job’s signal, records job.cancelled, and the card offers Retry, which runs it to the end', T, async (t) => {
  const app = await boot(t, await dataFolder(t));
  const { id, tag, run } = await gateJob(app);
  const before = await logOnDisk(app, id);

  const answer = await post(app, `/s/${id}/jobs/work/cancel`);
  assert.equal(answer.status, 200);
  assert.ok(run.aborted, 'the job’s signal was aborted');
  assert.equal(run.aborted.afterReturn, false, 'the signal fired while the job ran');
  assert.equal(run.ctx.signal.aborted, true);

  const log = await logOnDisk(app, id);
  const added = log.slice(before.length);
  assert.deepEqual(added.map((e) => e.type), ['job.cancelled'], 'cancel appends exactly job.cancelled (by the time it answers)');
  assert.equal(jobOf(added[0]), jobOf(before.at(-1)));
  assert.equal(app.engine.jobs.snapshot(id, 'work'), undefined);
  assert.deepEqual(app.engine.catalog.jobCounts(), { cancelled: 1 });

  for (const html of [answer.html, (await get(app, `/s/${id}`)).html]) {
    const open = card(html, 'work');
    assert.match(cardTag(html, 'work'), /class="card open"/);
    assert.match(open, /data-job-status="cancelled"/);
    assert.ok(open.includes('The job was cancelled.'));
    assert.equal(submitLabel(open), 'Retry');
    assert.equal(inputValue(open, 'tag'), tag, 'the form keeps the values given');
    assert.ok(!/hx-sse:connect="[^"]*\/jobs\//.test(html), 'no live card after the cancel');
  }

  // Cancelling again: there is nothing left to cancel.
  const twice = await post(app, `/s/${id}/jobs/work/cancel`);
  assert.equal(twice.status, 409);
  assert.equal((await logOnDisk(app, id)).length, log.length);

  await submit(app, id, 'work', { tag, size: '4' });
  const retry = await nthRun(tag, 2);
  assert.equal(retry.aborted, undefined, 'the retry runs with a fresh signal');
  retry.release({ count: 11, shout: 'RETRIED' });
  const done = await logUntil(app, id, 'job.finished');
  const starts = eventsOf(done, 'job.started');
  assert.equal(starts.length, 2);
  assert.notEqual(jobOf(starts[0]), jobOf(starts[1]), 'the retry is a new job');
  assert.equal(jobOf(eventsOf(done, 'job.finished')[0]), jobOf(starts[1]));
  assert.equal(done.at(-1)?.type, 'step.completed');
  const page = (await get(app, `/s/${id}`)).html;
  assert.match(cardTag(page, 'work'), /class="card done"/);
  assert.equal(inputValue(card(page, 'review'), 'verdict'), 'RETRIED x11');
  assert.deepEqual(app.engine.catalog.jobCounts(), { cancelled: 1, finished: 1 });
});

test('a job that ignores its abort signal is given up on at its cancel: recorded cancelled, its slot freed, anything it does later ignored', T, async (t) => {
  const errors = t.mock.method(console, 'error', () => {});
  const app = await boot(t, await dataFolder(t), 1);
  const id = await startSession(app, 'stubborn');
  const tag = freshTag('stubborn');
  await submit(app, id, 'work', { tag });
  const run = await nthRun(tag);
  t.after(() => run.release());
  const bId = await startSession(app, 'gate');
  await submit(app, bId, 'prepare', { label: 'b' });
  const bTag = freshTag('gate');
  await submit(app, bId, 'work', { tag: bTag });
  assert.equal(app.engine.jobs.snapshot(bId, 'work')?.status, 'queued', 'the only slot is the stubborn job’s');
  const out = run.ctx.files.writeStream('late.csv');
  out.write('written before the cancel\n');

  const answer = await post(app, `/s/${id}/jobs/work/cancel`);
  assert.equal(answer.status, 200, 'cancel answers after its grace period');
  assert.equal(run.returned, false, 'the job still runs: it ignored its signal');
  assert.ok(run.aborted, 'the job was asked to stop');
  assert.match(card(answer.html, 'work'), /data-job-status="cancelled"/, 'the answer shows it stopped');
  assert.deepEqual(eventsOf(await logOnDisk(app, id), 'job.cancelled').length, 1, 'job.cancelled is recorded without the job ending');
  assert.equal(app.engine.jobs.snapshot(id, 'work'), undefined, 'the runner let go of it');
  assert.ok(errors.mock.calls.some((c) => /did not stop within/.test(String(c.arguments[0]))), 'the server log says it was given up on');
  const bRun = await nthRun(bTag);
  assert.equal(app.engine.jobs.snapshot(bId, 'work')?.status, 'running', 'its slot went to the waiting job');
  await assert.rejects(run.ctx.files.write('late.txt', 'too late'), /could not be written: the job had already ended/);
  assert.throws(() => run.ctx.files.writeStream('later.csv'), /the job had already ended/);
  await assert.rejects(out.done(), 'the stream it had open was dropped');
  run.ctx.progress(99, 100, 'still going');
  await run.ctx.checkpoint({ late: true });

  run.release({ smuggled: 'should not be recorded' });
  await until('the stubborn job to return', () => run.returned);
  bRun.release();
  await logUntil(app, bId, 'job.finished');
  const log = await logOnDisk(app, id);
  assert.deepEqual(eventsOf(log, 'job.finished'), []);
  assert.equal(eventsOf(log, 'job.cancelled').length, 1, 'one end only');
  assert.deepEqual(eventsOf(log, 'step.completed'), []);
  assert.ok(!log.some((e) => e.type === 'param.set' && e.source === 'job'), 'the late results are dropped');
  assert.deepEqual(await readdir(join(app.engine.store.sessionDir(id), 'files')), [], 'no file, and no temp file, from after its end');
  await assert.rejects(stat(join(app.engine.store.sessionDir(id), 'checkpoints', 'work.json')), 'no checkpoint from after its end');
  const page = (await get(app, `/s/${id}`)).html;
  assert.match(card(page, 'work'), /data-job-status="cancelled"/);
  assert.ok(card(page, 'work').includes('The job was cancelled.'));
  assert.equal(submitLabel(card(page, 'work')), 'Retry');
  assert.ok(!page.includes('should not be recorded'));
  await until('the catalog to count no running job', () => app.engine.catalog.jobCounts().running === undefined);
  assert.ok(!(await get(app, '/')).html.includes('Jobs: '), 'home shows no job running');
});

test('a failing job: job.failed with its message, a readable notice and Retry on the card, the stack only in the server log', T, async (t) => {
  const errors = t.mock.method(console, 'error', () => {});
  const app = await boot(t, await dataFolder(t));
  const id = await startSession(app, 'failing');
  const tag = freshTag('failing');
  await submit(app, id, 'work', { tag });

  const log = await logUntil(app, id, 'job.failed');
  await runnerDone(app, id);
  const failed = eventsOf(log, 'job.failed');
  assert.equal(failed.length, 1);
  assert.equal('error' in failed[0] && failed[0].error, FAILURE, 'the log keeps the error message');
  assert.equal(jobOf(failed[0]), jobOf(eventsOf(log, 'job.started')[0]));
  assert.deepEqual(eventsOf(log, 'step.completed'), []);
  await runnerDone(app, id);
  await until('the catalog row failed', () => app.engine.catalog.jobCounts().failed === 1);
  const row = app.engine.catalog.db.prepare('SELECT error FROM jobs').get() as { error: string };
  assert.equal(row.error, FAILURE);

  const page = (await get(app, `/s/${id}`)).html;
  const open = card(page, 'work');
  assert.match(cardTag(page, 'work'), /class="card open"/);
  assert.match(open, /data-job-status="failed"/);
  assert.ok(open.includes('The job failed: The &lt;archive&gt; answered 503 &amp; gave up'), `the message, escaped: ${open}`);
  assert.ok(!page.includes('<archive>'), 'the message is never markup');
  assert.equal(submitLabel(open), 'Retry');
  assert.ok(!/\bat .+:\d+:\d+/.test(page), 'no stack frame on the page');
  assert.ok(!page.includes('failing.ts') && !page.includes('Error:'), 'no stack trace on the page');

  const logged = errors.mock.calls.flatMap((c) => c.arguments).find((a): a is Error => a instanceof Error && a.message === FAILURE);
  assert.ok(logged, 'the error goes to the server log');
  assert.match(logged.stack ?? '', /failing\.ts/, 'with its stack');

  await submit(app, id, 'work', { tag });
  await logUntil(app, id, 'job.finished');
  const done = await logOnDisk(app, id);
  assert.deepEqual(
    done.filter((e) => e.type === 'param.set' && e.source === 'job').map((e) => 'value' in e && [e.key, e.value]),
    [['attempt', 2]],
  );
  assert.match(cardTag((await get(app, `/s/${id}`)).html, 'work'), /class="card done"/);
});

test('a job cut off by a server stop is marked interrupted at the next start; a retry resumes from its checkpoint, which is then cleared', T, async (t) => {
  const { dataDir, first, id, tag, form, run: run1, checkpointFile } = await resumableAtCheckpoint3(t);
  assert.equal(run1.lastCheckpoint, undefined, 'a first run has no checkpoint');
  await until('progress 3', () => first.engine.jobs.snapshot(id, 'work')?.done === 3);
  const before = await logOnDisk(first, id);
  assert.equal(before.at(-1)?.type, 'job.started');

  first.close();
  await until('the job to see the stop', () => run1.returned);
  assert.ok(run1.aborted, 'stopping the server aborts the job’s signal');
  assert.equal(String((run1.aborted.reason as Error)?.message), 'server stopping');

  const second = await boot(t, dataDir);
  const log = await logOnDisk(second, id);
  assert.deepEqual(
    log.slice(before.length).map((e) => e.type),
    ['job.interrupted'],
    'the stop itself wrote nothing; the next start marks the job interrupted',
  );
  assert.equal(jobOf(log.at(-1)), jobOf(before.at(-1)));
  assert.deepEqual(second.engine.catalog.jobCounts(), { interrupted: 1 });
  assert.deepEqual(second.engine.catalog.unfinishedJobs(), []);
  assert.equal(second.engine.jobs.snapshot(id, 'work'), undefined, 'nothing runs it now');

  const page = (await get(second, `/s/${id}`)).html;
  const open = card(page, 'work');
  assert.match(cardTag(page, 'work'), /class="card open"/);
  assert.match(open, /data-job-status="interrupted"/);
  assert.ok(open.includes('The job was interrupted'));
  assert.equal(submitLabel(open), 'Retry');
  assert.ok(!/hx-sse:connect="[^"]*\/jobs\//.test(page));

  // A third start does not mark it again.
  second.close();
  const third = await boot(t, dataDir);
  assert.equal((await logOnDisk(third, id)).length, log.length, 'an interrupted job is marked once');

  await submit(third, id, 'work', form);
  const run2 = await nthRun(tag, 2);
  assert.equal(run2.lastCheckpoint, 3, 'the retry gets the last checkpoint');
  const done = await logUntil(third, id, 'job.finished');
  const results = Object.fromEntries(done.filter((e) => e.type === 'param.set' && e.source === 'job').map((e) => ('key' in e ? [e.key, e.value] : [])));
  assert.deepEqual(results, { resumedFrom: 3, unitsRun: 2, counted: 5 }, 'it resumed after unit 3');
  await until('the checkpoint to be cleared after success', async () => !(await stat(checkpointFile).catch(() => undefined)));
  assert.match(cardTag((await get(third, `/s/${id}`)).html, 'work'), /class="card done"/);
});

test('a checkpoint counts only for a retry with the same parameters', T, async (t) => {
  const { dataDir, first, id, tag } = await resumableAtCheckpoint3(t);
  first.close();

  const second = await boot(t, dataDir);
  await submit(second, id, 'work', { tag, total: '6', pauseAt: '3' });
  const run2 = await nthRun(tag, 2);
  assert.equal(run2.lastCheckpoint, undefined, 'other parameters: no checkpoint');
  await until('the retry to reach its pause', () => second.engine.jobs.snapshot(id, 'work')?.done === 3);
  run2.release();
  const done = await logUntil(second, id, 'job.finished');
  const resumed = done.find((e) => e.type === 'param.set' && e.key === 'resumedFrom' && e.source === 'job');
  assert.equal(resumed && 'value' in resumed && resumed.value, 0);
});

test('a server stop with a job queued behind a running one marks both interrupted', T, async (t) => {
  const dataDir = await dataFolder(t);
  const first = await boot(t, dataDir, 1);
  const { a, bId, bTag } = await queuedBehindGateJob(first);
  first.close();
  await until('the running job to see the stop', () => a.run.returned);

  const second = await boot(t, dataDir, 1);
  for (const id of [a.id, bId]) {
    const log = await logOnDisk(second, id);
    assert.equal(log.at(-1)?.type, 'job.interrupted', `session ${id === a.id ? 'A (running)' : 'B (queued)'} is marked`);
    assert.equal(submitLabel(card((await get(second, `/s/${id}`)).html, 'work')), 'Retry');
  }
  assert.equal(runsOf(bTag).length, 0, 'the queued job never ran');
  assert.deepEqual(second.engine.catalog.jobCounts(), { interrupted: 2 });
});

test('a job that ignores its signal at a server stop writes nothing afterwards and is marked interrupted at the next start', T, async (t) => {
  const dataDir = await dataFolder(t);
  const first = await boot(t, dataDir);
  const id = await startSession(first, 'stubborn');
  const tag = freshTag('stubborn');
  await submit(first, id, 'work', { tag });
  const run = await nthRun(tag);
  t.after(() => run.release());
  const out = run.ctx.files.writeStream('late.csv');
  out.write('written before the stop\n');

  first.close();
  assert.ok(run.aborted, 'the job was asked to stop');
  assert.equal(run.returned, false, 'it ignores its signal');
  await assert.rejects(out.done(), 'its open stream was dropped');
  await assert.rejects(run.ctx.files.write('late.txt', 'too late'), /the job had already ended/);
  run.release({ smuggled: 'should not be recorded' });
  await until('the stubborn job to return', () => run.returned);

  const second = await boot(t, dataDir);
  const log = await logOnDisk(second, id);
  assert.deepEqual(log.slice(log.findIndex((e) => e.type === 'job.started')).map((e) => e.type), ['job.started', 'job.interrupted']);
  assert.ok(!log.some((e) => e.type === 'param.set' && e.source === 'job'), 'the late results are dropped');
  assert.deepEqual(await readdir(join(second.engine.store.sessionDir(id), 'files')), [], 'no file, and no temp file, from after the stop');
});

test('reverting a completed job step reopens it and it can be run again', T, async (t) => {
  const app = await boot(t, await dataFolder(t));
  const { id, tag, run } = await gateJob(app, { label: 'ada', size: '4' });
  const before = (await logOnDisk(app, id)).at(-1)!.seq;
  run.release();
  await logUntil(app, id, 'step.completed', before);
  await runnerDone(app, id);

  const answer = await post(app, `/s/${id}/steps/work/revert`);
  assert.equal(answer.status, 200);
  const log = await logOnDisk(app, id);
  const reverted = log.at(-1)!;
  assert.deepEqual([reverted.type, 'step' in reverted ? reverted.step : null], ['step.reverted', 'work']);
  const open = card(answer.html, 'work');
  assert.match(cardTag(answer.html, 'work'), /class="card open"/);
  assert.ok(!open.includes('job-ending'), 'a reverted step shows no old job outcome');
  assert.equal(submitLabel(open), 'Run');
  assert.equal(inputValue(open, 'tag'), tag, 'the form is pre-filled with the last values');
  assert.match(cardTag(answer.html, 'review'), /class="card pending"/);
  assert.match(cardTag(answer.html, 'prepare'), /class="card done"/);

  await submit(app, id, 'work', { tag, size: '9' });
  const again = await nthRun(tag, 2);
  assert.equal(again.ctx.params.size, 9);
  again.release({ count: 9, shout: 'AGAIN' });
  const done = await logUntil(app, id, 'step.completed', log.at(-1)!.seq);
  assert.equal(eventsOf(done, 'job.started').length, 2);
  assert.equal(eventsOf(done, 'job.finished').length, 2);
  const page = (await get(app, `/s/${id}`)).html;
  assert.match(card(page, 'work'), /data-key="count">9</);
  assert.equal(inputValue(card(page, 'review'), 'verdict'), 'AGAIN x9', 'the next default follows the new results');
});

test('reverting an earlier step while a job runs is refused with 409 and writes nothing', T, async (t) => {
  const app = await boot(t, await dataFolder(t));
  const { id, run } = await gateJob(app);
  const before = await logOnDisk(app, id);

  const answer = await post(app, `/s/${id}/steps/prepare/revert`);
  assert.equal(answer.status, 409);
  assert.ok(answer.html.includes('A job is running in this session'), answer.html);
  assert.match(cardTag(answer.html, 'work'), /class="card job"/, 'the trail still shows the running job');
  assert.equal((await logOnDisk(app, id)).length, before.length);
  assert.equal(app.engine.jobs.snapshot(id, 'work')?.status, 'running');
  assert.equal(run.aborted, undefined, 'the job was not touched');

  run.release();
  await logUntil(app, id, 'job.finished');
  await runnerDone(app, id);
  assert.equal((await post(app, `/s/${id}/steps/prepare/revert`)).status, 200, 'once the job is done, the revert is allowed');
});

test('ctx.outputDir exists when the job starts and lies inside its own session’s folder', T, async (t) => {
  const app = await boot(t, await dataFolder(t));
  const one = await gateJob(app);
  const two = await gateJob(app);
  for (const { id, run } of [one, two]) {
    const dir = run.ctx.outputDir;
    assert.ok((await stat(dir)).isDirectory(), 'the folder exists');
    const sessionDir = app.engine.store.sessionDir(id);
    const inside = relative(sessionDir, dir);
    assert.ok(inside && !inside.startsWith('..') && !isAbsolute(inside), `${dir} is inside ${sessionDir}`);
    assert.ok(!relative(app.dataDir, sessionDir).startsWith('..'), 'the session folder is in the data folder');
    await writeFile(join(dir, 'result.txt'), id);
  }
  assert.notEqual(one.run.ctx.outputDir, two.run.ctx.outputDir, 'each session has its own');
  one.run.release();
  two.run.release();
  await logUntil(app, one.id, 'job.finished');
  assert.equal(await readFile(join(one.run.ctx.outputDir, 'result.txt'), 'utf8'), one.id, 'output files stay after the job');
});

test('a job that returns values no log line can hold fails with the reason instead of leaving its card waiting', T, async (t) => {
  const app = await boot(t, await dataFolder(t));
  const id = await startSession(app, 'unrecordable');
  await submit(app, id, 'work', {});
  const failed = await until('job.failed in the log', async () => (await logOnDisk(app, id)).find((e) => e.type === 'job.failed'));
  assert.match((failed as { error?: string }).error ?? '', /cannot be recorded: .*BigInt/);
  const { html } = await get(app, `/s/${id}`);
  assert.match(html, /The job failed: The job returned values that cannot be recorded/);
  assert.match(html, />Retry</);
});

test('a job the runner let go of without a recorded end shows as interrupted with Retry, not as a card that waits forever', T, async (t) => {
  const app = await boot(t, await dataFolder(t));
  const { id } = await gateJob(app);
  app.engine.jobs.shutdown(); // the runner forgets the job; the log still says job.started
  assert.equal((await logOnDisk(app, id)).at(-1)?.type, 'job.started');
  const { html } = await get(app, `/s/${id}`);
  assert.ok(!/hx-sse:connect="[^"]*\/jobs\//.test(html), 'no live card to wait on');
  assert.match(html, /The job was interrupted: it stopped without its end being recorded\./);
  assert.match(html, />Retry</);
});
