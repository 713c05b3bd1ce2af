// Every field kind through the real app on a real data folder: the kitchen-sink workflow filled, checked, skipped,
// reverted, edited, forked, exported and imported, with its secret kept out of every page, line and file but the
// secrets file, and its upload stored by content.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, HTMX, type Form } from './support/client.ts';
import { doneValue, openStep, textOf } from './support/html.ts';
import { ROOT } from './support/app.ts';
import type { Json, LogEvent } from '../app/log/events.ts';
import { namedUploads, UNNAMED_KEPT_MS } from '../app/uploads/sweep.ts';

const SECRET = 'tok_live_9c1b2e7f44a0d13f';
const KEYWORDS = 'alpha\nbeta\ngamma\n';

const BASICS: Form = {
  name: 'Ada Lovelace',
  bio: 'Engines.',
  budget: '12.5',
  depth: '2',
  level: '7',
  pace: 'fast',
  size: 'm',
  columns: ['id', 'url', 'score'],
  agree: 'on',
  dryRun: 'on',
};
const TIMES: Form = { start: '2026-03-07', at: '09:30', meeting: '2026-03-07T14:00', slot: '1 hour' };
const LINKS: Form = { site: 'HTTPS://Example.com/docs', contact: 'ada@Example.COM', code: 'ADA-123', config: '{"retries": 5, "tags": ["a"]}' };

/** Records every response body the test reads, so it can assert none of them holds the secret. */
class Watched {
  readonly bodies: string[] = [];
  constructor(readonly client: Client) {}

  async text(res: Response): Promise<string> {
    const body = await res.text();
    this.bodies.push(body);
    return body;
  }
  async page(id: string): Promise<string> {
    return this.text(await this.client.get(`/s/${id}`));
  }
  /** Posts a multipart form as a browser does for a step with a file field. */
  async multipart(id: string, step: string, fields: Form, files: Record<string, { name: string; type: string; body: string | Buffer }> = {}, headers: Record<string, string> = {}): Promise<Response> {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) for (const one of [v].flat()) form.append(k, one);
    for (const [k, f] of Object.entries(files)) form.append(k, new File([typeof f.body === 'string' ? f.body : new Uint8Array(f.body)], f.name, { type: f.type }));
    return this.client.request(`/s/${id}/steps/${step}`, { method: 'POST', body: form, headers });
  }
}

/** Runs the step's job and waits until its end is in the log. */
async function jobEnded(client: Client, id: string, step: string): Promise<string> {
  await client.submit(id, step, {});
  for (let i = 0; i < 200; i++) {
    const status = (await client.ct.engine.load(id)).state.jobs[step]?.status;
    if (status && status !== 'running') return status;
    await sleep(20);
  }
  throw new Error(`the job of ${step} did not end`);
}

/** Every file under a folder, as [path, bytes]. */
async function filesUnder(dir: string): Promise<[string, Buffer][]> {
  const out: [string, Buffer][] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true }))
    if (entry.isFile()) {
      const path = join(entry.parentPath, entry.name);
      out.push([path, await readFile(path)]);
    }
  return out;
}

test('kitchen sink: every kind recorded and shown in words; the details step is skipped at depth 2, with its reason', async (t) => {
  const client = await Client.open(t);
  const w = new Watched(client);
  const id = await client.start('kitchen-sink');
  await client.submit(id, 'basics', BASICS);
  await client.submit(id, 'times', TIMES);
  await client.submit(id, 'links', LINKS);
  const page = await w.page(id);
  assert.equal(openStep(page), 'access', 'details is skipped: access is open');
  assert.match(textOf(page), /Details — skipped: depth is 2, details are asked from depth 3/);

  const values = (await client.ct.engine.load(id)).state.values;
  assert.deepEqual(
    Object.fromEntries(Object.entries({ ...values.basics, ...values.times, ...values.links }).map(([k, p]) => [k, p.value])),
    {
      name: 'Ada Lovelace', bio: 'Engines.', budget: 12.5, depth: 2, level: 7, pace: 'fast', size: 'm', columns: ['id', 'url', 'score'],
      agree: true, dryRun: true, start: '2026-03-07', at: '09:30', meeting: '2026-03-07T14:00', slot: '1 hour',
      site: 'https://example.com/docs', contact: 'ada@example.com', code: 'ADA-123', config: { retries: 5, tags: ['a'] },
    },
  );
  const shown = Object.fromEntries(['level', 'size', 'dryRun', 'start', 'meeting', 'config', 'columns'].map((k) => [k, doneValue(page, k)]));
  assert.deepEqual(shown, {
    level: '7 of 10', size: 'Medium', dryRun: 'Dry run only', start: '7 Mar 2026', meeting: '7 Mar 2026, 14:00', config: '{"retries":5,"tags":["a"]}', columns: 'id, url, score',
  });
  // The slot's options came from the depth given in the first step.
  assert.match(page, /name="keywords"/);
});

test('secret and file: the log holds a reference and a fingerprint, the job the real value; no page, line or file but the secrets file holds it', async (t) => {
  const client = await Client.open(t);
  const w = new Watched(client);
  const id = await client.start('kitchen-sink');
  for (const [step, form] of [['basics', BASICS], ['times', TIMES], ['links', LINKS]] as const) await client.submit(id, step, form);

  // A bad file type and a short token: both messages at once, nothing recorded, the token not echoed.
  const before = (await client.events(id)).length;
  const bad = await w.multipart(id, 'access', { token: 'short' }, { keywords: { name: 'k.exe', type: 'application/x-msdownload', body: 'MZ' } }, HTMX);
  assert.equal(bad.status, 422);
  const badHtml = await w.text(bad);
  assert.match(badHtml, /API token must be at least 12 characters\./);
  assert.match(textOf(badHtml), /Keyword list must be \.txt, \.csv, text\/\*; "k\.exe" is not\./);
  assert.equal((await client.events(id)).length, before, 'nothing appended');

  const res = await w.multipart(id, 'access', { token: SECRET }, { keywords: { name: 'keywords.txt', type: 'text/plain', body: KEYWORDS } });
  assert.equal(res.status, 303, await res.clone().text());
  assert.equal(await jobEnded(client, id, 'check'), 'finished');

  const events = await client.events(id);
  const token = events.find((e) => e.type === 'param.set' && e.key === 'token');
  assert.ok(token && token.type === 'param.set');
  assert.match(JSON.stringify(token.value), /^\{"secret":"sec_[0-9a-f]{32}","fingerprint":"…3f"\}$/);
  const file = events.find((e) => e.type === 'param.set' && e.key === 'keywords');
  const sha = createHash('sha256').update(KEYWORDS).digest('hex');
  assert.deepEqual(file?.type === 'param.set' && file.value, { name: 'keywords.txt', size: KEYWORDS.length, type: 'text/plain', sha256: sha });
  assert.equal(await readFile(join(client.dir, 'sessions', id, 'uploads', sha), 'utf8'), KEYWORDS);

  // The job got the real token and the file's path.
  const results = (await client.ct.engine.load(id)).state.values.check;
  assert.equal(results.tokenLength.value, SECRET.length);
  assert.equal(results.lines.value, 3);

  const secrets = join(client.dir, 'secrets.json');
  assert.equal((await stat(secrets)).mode & 0o777, 0o600);
  const page = await w.page(id);
  assert.equal(doneValue(page, 'token'), 'set, ends in …3f');
  assert.equal(doneValue(page, 'keywords'), 'keywords.txt (17 bytes)');

  // Every way out: the history, the past, the log and values exports, and a fork's page.
  await w.text(await client.get(`/s/${id}/history`));
  await w.text(await client.get(`/s/${id}/at/${events.length}`));
  await w.text(await client.get(`/s/${id}/log.jsonl`));
  await w.text(await client.get(`/s/${id}/values.json`));
  await w.text(await client.get('/'));
  const forked = await client.post(`/s/${id}/fork`, {});
  const fork = forked.headers.get('location')!.split('/').pop()!;
  await w.page(fork);
  for (const body of w.bodies) assert.ok(!body.includes(SECRET), `a response holds the secret: ${body.slice(0, 200)}`);
  for (const [path, bytes] of await filesUnder(client.dir))
    if (path !== secrets) assert.ok(!bytes.includes(SECRET), `${path} holds the secret`);
  assert.ok((await readFile(secrets, 'utf8')).includes(SECRET), 'the secrets file holds it (so the test can fail)');
});

test('re-opened steps keep the secret and the file unless replaced; a fork carries both; an import asks for them again', async (t) => {
  const client = await Client.open(t);
  const w = new Watched(client);
  const id = await client.start('kitchen-sink');
  for (const [step, form] of [['basics', BASICS], ['times', TIMES], ['links', LINKS]] as const) await client.submit(id, step, form);
  assert.equal((await w.multipart(id, 'access', { token: SECRET }, { keywords: { name: 'keywords.txt', type: 'text/plain', body: KEYWORDS } })).status, 303);
  await jobEnded(client, id, 'check');

  await client.act(`/s/${id}/steps/access/revert`);
  const reopened = await w.page(id);
  assert.match(reopened, /Given: <strong>keywords\.txt<\/strong> \(17 bytes\)\. Keep it, or choose another file/);
  assert.match(reopened, /placeholder="Set, ends in …3f\. Leave empty to keep it, or type a new one\."/);
  assert.doesNotMatch(reopened, new RegExp(SECRET));
  // Submitted as the page has it: the hidden references keep both.
  const keep = Object.fromEntries([...reopened.matchAll(/<input type="hidden" name="([^"]+:(?:keep|shown))" value="([^"]*)"/g)].map((m) => [m[1], m[2].replace(/&quot;/g, '"')]));
  assert.deepEqual(Object.keys(keep).sort(), ['keywords:keep', 'token:keep', 'token:shown']);
  assert.equal((await w.multipart(id, 'access', keep)).status, 303);
  await jobEnded(client, id, 'check');
  assert.equal((await client.ct.engine.load(id)).state.values.check.tokenLength.value, SECRET.length, 'the kept secret still reaches the job');

  // Replacing the file: a new content, a new sha256, both kept once.
  await client.act(`/s/${id}/steps/access/revert`);
  assert.equal((await w.multipart(id, 'access', { 'token:keep': keep['token:keep'] }, { keywords: { name: 'more.csv', type: 'text/csv', body: 'a\nb\nc\nd\n' } })).status, 303);
  await jobEnded(client, id, 'check');
  assert.equal((await readdir(join(client.dir, 'sessions', id, 'uploads'))).filter((n) => !n.startsWith('.')).length, 2);
  assert.equal((await client.ct.engine.load(id)).state.values.check.lines.value, 4);

  // A forged reference is refused with a message, not a crash.
  await client.act(`/s/${id}/steps/access/revert`);
  const forged = await w.multipart(id, 'access', { 'token:keep': 'sec_' + '0'.repeat(32), 'keywords:keep': JSON.stringify({ name: 'x', size: 1, type: 'text/plain', sha256: 'f'.repeat(64) }) });
  assert.equal(forged.status, 422);
  const forgedHtml = await w.text(forged);
  assert.match(forgedHtml, /API token must be typed again: the secret this form refers to was never stored/);
  assert.match(forgedHtml, /Keyword list must be given again: the file is not in this session&#39;s folder\./);
  assert.equal((await w.multipart(id, 'access', { 'token:keep': keep['token:keep'] }, { keywords: { name: 'k.txt', type: 'text/plain', body: KEYWORDS } })).status, 303);
  await jobEnded(client, id, 'check');

  const fork = (await client.post(`/s/${id}/fork`, {})).headers.get('location')!.split('/').pop()!;
  const forkState = (await client.ct.engine.load(fork)).state;
  assert.deepEqual(forkState.completed, ['basics', 'times', 'links', 'access', 'check']);
  assert.ok((await readdir(join(client.dir, 'sessions', fork, 'uploads'))).length >= 1, 'the fork has the uploads');

  const log = await client.logBytes(id);
  const imported = await client.upload(log, 'kitchen.jsonl');
  assert.equal(imported.status, 303, await imported.clone().text());
  const copy = imported.headers.get('location')!.split('/').pop()!;
  const copyPage = await w.page(copy);
  assert.equal(openStep(copyPage), 'access', 'the import opens the step whose secret and file must be given again');
  assert.deepEqual((await client.ct.engine.load(copy)).state.completed, ['basics', 'times', 'links']);
  for (const body of w.bodies) assert.ok(!body.includes(SECRET));
});

test('changing an earlier value makes the conditional step appear; its list rows are added, reordered and removed with what was typed kept', async (t) => {
  const client = await Client.open(t);
  const id = await client.start('kitchen-sink');
  for (const [step, form] of [['basics', { ...BASICS, depth: '4' }], ['times', { ...TIMES, slot: 'half a day' }], ['links', LINKS]] as const) await client.submit(id, step, form);
  let page = await client.page(id);
  assert.equal(openStep(page), 'details');
  assert.match(page, /name="stops:rows" value="1"/, 'a list with min 1 starts with a row');
  assert.match(page, /name="stops\.0\.nights"[^>]*value="1"/, 'with its fields’ defaults');

  const row = async (form: Form, action: string) => {
    const res = await client.post(`/s/${id}/steps/details`, { ...form, ':list': action }, HTMX);
    assert.equal(res.status, 200);
    return res.text();
  };
  const typed: Form = { 'owner.ownerName': 'Ann', 'stops:rows': '1', 'stops.0.place': 'Lisbon', 'stops.0.nights': '2' };
  let html = await row(typed, 'add:stops');
  assert.match(html, /name="stops:rows" value="2"/);
  assert.match(html, /name="stops\.0\.place"[^>]*value="Lisbon"/);
  assert.match(html, /name="owner\.ownerName"[^>]*value="Ann"/, 'other fields keep what was typed');
  html = await row({ ...typed, 'stops:rows': '2', 'stops.1.place': 'Porto', 'stops.1.nights': '3' }, 'up:stops.1');
  assert.match(html, /name="stops\.0\.place"[^>]*value="Porto"/);
  assert.match(html, /name="stops\.1\.place"[^>]*value="Lisbon"/);
  html = await row({ ...typed, 'stops:rows': '2', 'stops.1.place': 'Porto' }, 'remove:stops.0');
  assert.match(html, /name="stops:rows" value="1"/);
  assert.match(html, /name="stops\.0\.place"[^>]*value="Porto"/);
  assert.equal((await client.events(id)).filter((e) => e.type === 'step.completed').length, 3, 'row buttons record nothing');

  // Too few rows, and a bad row field: all messages at once.
  const bad = await client.post(`/s/${id}/steps/details`, { 'owner.ownerName': '', 'stops:rows': '0' }, HTMX);
  assert.equal(bad.status, 422);
  const badText = textOf(await bad.text());
  assert.match(badText, /2 values need attention/);
  assert.match(badText, /Owner name is required\./);
  assert.match(badText, /Stops needs at least 1 stop\./);

  await client.submit(id, 'details', { ...typed, 'stops:rows': '2', 'stops.1.place': 'Porto', 'stops.1.nights': '' });
  const details = (await client.ct.engine.load(id)).state.values.details;
  assert.deepEqual(details.stops.value, [{ place: 'Lisbon', nights: 2 }, { place: 'Porto', nights: null }]);
  assert.deepEqual(details.owner.value, { ownerName: 'Ann', team: '' });
  page = await client.page(id);
  assert.equal(doneValue(page, 'stops'), '1) Place: Lisbon, Nights: 2; 2) Place: Porto, Nights: —');

  // Depth back to 2: the details step is skipped again, and its values no longer count.
  await client.act(`/s/${id}/steps/basics/revert`);
  await client.submit(id, 'basics', BASICS);
  await client.submit(id, 'times', TIMES);
  await client.submit(id, 'links', LINKS);
  page = await client.page(id);
  assert.equal(openStep(page), 'access');
  assert.match(page, /data-skipped=""/);
  assert.equal((await client.ct.engine.load(id)).state.completed.includes('details'), false);
});

test('invalid input of every kind gets its message, all at once, the form keeps what was typed, and nothing is appended', async (t) => {
  const client = await Client.open(t);
  const id = await client.start('kitchen-sink');
  const before = await client.logBytes(id);
  const res = await client.post(
    `/s/${id}/steps/basics`,
    { name: '', budget: '1.25', depth: '9', level: '11', pace: 'sprint', size: 'xl', columns: ['nope'], dryRun: 'on' },
    HTMX,
  );
  assert.equal(res.status, 422);
  const text = textOf(await res.clone().text());
  for (const message of [
    'Name is required.',
    'Budget in euros must go in steps of 0.5.',
    'Depth must be at most 5.',
    'Level must be at most 10.',
    'Pace: "sprint" is not one of the choices.',
    'Size: "xl" is not one of the choices.',
    'Columns: "nope" is not one of the choices.',
    'I agree to the terms must be ticked.',
  ])
    assert.ok(text.includes(message), `${message} in ${text}`);
  assert.match(text, /8 values need attention/);
  assert.deepEqual(await client.logBytes(id), before);

  await client.submit(id, 'basics', BASICS);
  const times = await client.post(`/s/${id}/steps/times`, { start: '2019-12-31', at: '23:00', meeting: 'tomorrow', slot: '2 hours' }, HTMX);
  const timesText = textOf(await times.text());
  for (const message of ['Start date must be 1 Jan 2020 or later.', 'At must be 22:00 or earlier.', 'Meeting must be a date and time like 2026-12-31T14:30.', 'Slot: "2 hours" is not one of the choices.'])
    assert.ok(timesText.includes(message), `${message} in ${timesText}`);

  await client.submit(id, 'times', TIMES);
  const links = await client.post(`/s/${id}/steps/links`, { site: 'ftp://x.org', contact: 'ada', code: 'abc', config: '{"a": }' }, HTMX);
  const linksHtml = await links.text();
  const linksText = textOf(linksHtml);
  for (const message of ['Web site must start with http:// or https://.', 'Email must be an email address like name@example.com.', 'Project code: three capitals, a dash and three digits, like ABC-123.', 'Settings (JSON) is not JSON: expected a value at line 1, column 7.'])
    assert.ok(linksText.includes(message), `${message} in ${linksText}`);
  assert.match(linksHtml, /<textarea[^>]*name="config"[^>]*>\{&quot;a&quot;: \}<\/textarea>/, 'the JSON as typed comes back');
  assert.equal((await client.events(id)).filter((e) => e.type === 'step.completed').length, 2);
});

test('Standard Schema (zod) on a field and a step: issues are messages, outputs are recorded; async checks run together within their time limit', async (t) => {
  const client = await Client.open(t, { workflowsDir: join(ROOT, 'test/fixtures/fields') });
  const id = await client.start('schema');
  const post = (form: Form) => client.post(`/s/${id}/steps/account`, form, HTMX);
  const ok = { handle: '  Ada  ', 'limits.low': '1', 'limits.high': '5', site: 'https://example.com/', slow: 'quick' };

  const started = Date.now();
  const bad = await post({ handle: 'ab', 'limits.low': '5', 'limits.high': '1', site: 'https://down.example/', slow: 'hang' });
  const took = Date.now() - started;
  assert.equal(bad.status, 422);
  const text = textOf(await bad.text());
  for (const message of ['A handle has at least 3 letters.', 'High must be above low.', 'That site does not answer.', 'Slow check could not be checked in time (over 100 ms).'])
    assert.ok(text.includes(message), `${message} in ${text}`);
  assert.ok(took < 1500, `the slow check was cut off at its limit (took ${took} ms)`);

  assert.match(textOf(await (await post({ ...ok, handle: 'admin' })).text()), /That handle is taken\./, 'the step schema speaks once its fields pass');
  const res = await client.post(`/s/${id}/steps/account`, ok);
  assert.equal(res.status, 303);
  const values = (await client.ct.engine.load(id)).state.values.account;
  assert.equal(values.handle.value, 'ada', 'the schema’s output is what is recorded');
  assert.deepEqual(values.limits.value, { low: 1, high: 5 });
});

test('a secret given while another field is wrong comes back as a reference, is not asked again, and survives a restart', async (t) => {
  const client = await Client.open(t);
  const w = new Watched(client);
  const id = await client.start('kitchen-sink');
  for (const [step, form] of [['basics', BASICS], ['times', TIMES], ['links', LINKS]] as const) await client.submit(id, step, form);
  const bad = await w.multipart(id, 'access', { token: SECRET }, { keywords: { name: 'k.exe', type: 'application/x-msdownload', body: 'MZ' } }, HTMX);
  assert.equal(bad.status, 422);
  const html = await w.text(bad);
  assert.ok(!html.includes(SECRET));
  const ref = /name="token:keep" value="(sec_[0-9a-f]{32})"/.exec(html)?.[1];
  assert.ok(ref, 'the form carries the reference');
  assert.match(html, /placeholder="Set, ends in …3f\./);
  const ok = await w.multipart(id, 'access', { 'token:keep': ref }, { keywords: { name: 'k.txt', type: 'text/plain', body: KEYWORDS } });
  assert.equal(ok.status, 303);

  await client.reopen();
  assert.equal(await jobEnded(client, id, 'check'), 'finished');
  assert.equal((await client.ct.engine.load(id)).state.values.check.tokenLength.value, SECRET.length, 'the job got the value from the secrets file');
});

test('uploads no entry names go once they are a day old (a form sent back, never sent again); named ones stay', async (t) => {
  const client = await Client.open(t);
  const w = new Watched(client);
  const id = await client.start('kitchen-sink');
  for (const [step, form] of [['basics', BASICS], ['times', TIMES], ['links', LINKS]] as const) await client.submit(id, step, form);
  const dir = join(client.dir, 'sessions', id, 'uploads');
  // A form sent back (the token too short): its file is stored, and named by no entry.
  assert.equal((await w.multipart(id, 'access', { token: 'short' }, { keywords: { name: 'old.txt', type: 'text/plain', body: 'abandoned\n' } }, HTMX)).status, 422);
  const abandoned = createHash('sha256').update('abandoned\n').digest('hex');
  const fresh = 'f'.repeat(64);
  await writeFile(join(dir, fresh), 'sent back a minute ago');
  await writeFile(join(dir, '.incoming-1-2-x'), 'cut off');
  const twoDaysAgo = new Date(Date.now() - 2 * UNNAMED_KEPT_MS);
  for (const name of [abandoned, '.incoming-1-2-x']) await utimes(join(dir, name), twoDaysAgo, twoDaysAgo);

  assert.equal((await w.multipart(id, 'access', { token: SECRET }, { keywords: { name: 'keywords.txt', type: 'text/plain', body: KEYWORDS } })).status, 303);
  await jobEnded(client, id, 'check');
  const named = createHash('sha256').update(KEYWORDS).digest('hex');
  await utimes(join(dir, named), twoDaysAgo, twoDaysAgo);
  await client.ct.engine.note(id, null, 'after the sweep'); // waits its turn behind the sweep
  assert.deepEqual((await readdir(dir)).sort(), [fresh, named].sort(), 'the old unnamed upload and the cut-off one went; the named and the fresh stay');

  // A second accepted form sweeps again; the named upload, now two days old, still stays.
  await client.act(`/s/${id}/steps/access/revert`);
  assert.equal((await w.multipart(id, 'access', { token: SECRET }, { keywords: { name: 'k2.txt', type: 'text/plain', body: 'delta\n' } })).status, 303);
  await jobEnded(client, id, 'check');
  await client.ct.engine.note(id, null, 'after the second sweep');
  assert.ok((await readdir(dir)).includes(named), 'an upload an earlier entry names is kept (the history shows it)');
});

/** What a session's uploads folder holds, sorted (nothing when it was never made). */
const uploadsOf = (client: Client, id: string) => readdir(join(client.dir, 'sessions', id, 'uploads')).then((names) => names.sort(), () => [] as string[]);
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

test('a file refused for its type, or sent with a form that records nothing, leaves no bytes behind; one the form sent back carries stays', async (t) => {
  const client = await Client.open(t);
  const w = new Watched(client);
  const id = await client.start('kitchen-sink');
  for (const [step, form] of [['basics', BASICS], ['times', TIMES], ['links', LINKS]] as const) await client.submit(id, step, form);

  // Refused for its type (everything else right): nothing recorded, and its bytes are gone at once.
  const refused = await w.multipart(id, 'access', { token: SECRET }, { keywords: { name: 'k.exe', type: 'application/x-msdownload', body: 'MZ refused' } });
  assert.equal(refused.status, 422);
  assert.match(textOf(await w.text(refused)), /Keyword list must be \.txt, \.csv, text\/\*; "k\.exe" is not\./);
  assert.deepEqual(await uploadsOf(client, id), [], 'no upload and no temporary file left');

  // Sent back for another field: the form carries the file to be sent again, so it stays.
  const back = await w.multipart(id, 'access', { token: 'short' }, { keywords: { name: 'keywords.txt', type: 'text/plain', body: KEYWORDS } });
  assert.equal(back.status, 422);
  assert.match(await w.text(back), /Given: <strong>keywords\.txt<\/strong>/);
  assert.deepEqual(await uploadsOf(client, id), [sha256(KEYWORDS)]);

  // A form from a stale page is refused whole (409): its file is named by nothing and goes.
  const stale = await w.multipart(id, 'access', { token: SECRET, 'rendered-seq': '1' }, { keywords: { name: 'other.txt', type: 'text/plain', body: 'stale page\n' } });
  assert.equal(stale.status, 409);
  assert.deepEqual(await uploadsOf(client, id), [sha256(KEYWORDS)]);

  // Accepted: the file the entries name is kept.
  assert.equal((await w.multipart(id, 'access', { token: SECRET }, { keywords: { name: 'k.txt', type: 'text/plain', body: 'accepted\n' } })).status, 303);
  const file = (await client.events(id)).findLast((e) => e.type === 'param.set' && e.key === 'keywords');
  assert.equal(file?.type === 'param.set' && (file.value as { sha256: string }).sha256, sha256('accepted\n'));
  assert.deepEqual(await uploadsOf(client, id), [sha256(KEYWORDS), sha256('accepted\n')].sort());
});

test('an upload cut off mid-file (the request broke off) leaves no temporary file behind', async (t) => {
  const client = await Client.open(t);
  const id = await client.start('kitchen-sink');
  for (const [step, form] of [['basics', BASICS], ['times', TIMES], ['links', LINKS]] as const) await client.submit(id, step, form);
  const boundary = 'cut-off-boundary';
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="keywords"; filename="k.txt"\r\nContent-Type: text/plain\r\n\r\n`;
  const uploads = join(client.dir, 'sessions', id, 'uploads');
  const receiving = async () => (await readdir(uploads).catch(() => [] as string[])).some((n) => n.startsWith('.incoming-'));
  // The file's bytes come until the server is writing them to a file of its own; then the connection is gone.
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(head));
    },
    async pull(controller) {
      if (await receiving()) controller.error(new Error('the connection was lost'));
      else controller.enqueue(new TextEncoder().encode('x'.repeat(1024)));
    },
  });
  const res = await client.request(`/s/${id}/steps/access`, {
    method: 'POST',
    body,
    // As a browser marks it: the request is then passed on as it is, its body the stream itself.
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'sec-fetch-site': 'same-origin' },
    duplex: 'half',
  } as RequestInit);
  assert.equal(res.status, 400, textOf(await res.clone().text()));
  assert.deepEqual(await uploadsOf(client, id), [], 'nothing of the cut-off file is left');
  assert.equal((await client.events(id)).filter((e) => e.type === 'param.set' && e.key === 'keywords').length, 0);
});

test('namedUploads finds a file value alone, in a list and in a group, and nothing else', () => {
  const sha = (c: string) => c.repeat(64);
  const at = '2026-12-01T00:00:00.000Z';
  const set = (seq: number, value: Json): LogEvent => ({ seq, at, hash: '', type: 'param.set', step: 's', key: 'k', value, source: 'user' }) as LogEvent;
  const events = [
    set(1, { name: 'a', size: 1, type: 't', sha256: sha('a') }),
    set(2, [{ doc: { name: 'b', size: 1, type: 't', sha256: sha('b') } }]),
    set(3, { sha256: 'not a hash' }),
    set(4, 'c'.repeat(64)),
    { seq: 5, at, hash: '', type: 'note', step: null, text: sha('d') } as LogEvent,
  ];
  assert.deepEqual([...namedUploads(events)].sort(), [sha('a'), sha('b')]);
});
