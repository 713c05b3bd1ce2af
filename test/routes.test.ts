import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { appendFile, mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { serve } from '@hono/node-server';
import { chainHash } from '../app/log/chain.ts';
import type { Json } from '../app/log/events.ts';
import { Client, type Form, type Headers, hello, HTMX, MODES, paramsSet, withoutPlace } from './support/client.ts';
import { controlValue, decode, doneSteps, doneValue, escapeRe, notice, openStep, reverts } from './support/html.ts';

const idOf = (path: string) => `f-${path.replace(/\./g, '-')}`;

/** The message shown beside a field, tied to its control by aria-describedby. */
function fieldError(html: string, path: string): string | undefined {
  const id = `${idOf(path)}-error`;
  if (!new RegExp(`aria-describedby="(?:[^"]* )?${escapeRe(id)}[ "]`).test(html)) return undefined;
  const m = new RegExp(`<small id="${escapeRe(id)}" class="field-error">([^<]*)</small>`).exec(html);
  return m ? decode(m[1]) : undefined;
}

/** The home page's session table: id to [current step, status]. */
function sessionRows(html: string): Map<string, [string, string]> {
  const rows = new Map<string, [string, string]>();
  for (const m of html.matchAll(/<tr data-session="([^"]+)">(.*?)<\/tr>/g)) {
    const cells = [...m[2].matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((c) => decode(c[1]));
    rows.set(m[1], [cells[3], cells[4]]);
  }
  return rows;
}

const TRIP: [string, Form][] = [
  ['places', { places: ['Lisbon', 'Seville'], days: '5' }],
  ['traveller', { 'traveller.name': 'Ann', 'traveller.adults': '2', 'traveller.rail': 'on', pace: 'slow' }],
  ['budget', { budget: '1200', notes: 'Window seat,\n"please" & thanks' }],
];

/** A trip session with its first `steps` steps submitted. */
async function trip(client: Client, steps: number): Promise<string> {
  const id = await client.start('trip');
  for (const [step, form] of TRIP.slice(0, steps)) await client.submit(id, step, form);
  return id;
}

// ---- The pages ----

test('GET / lists the workflows with a start button each', async (t) => {
  const client = await Client.open(t);
  const res = await client.get('/');
  assert.equal(res.status, 200);
  const html = await res.text();
  for (const [id, title] of [
    ['hello', 'Hello'],
    ['trip', 'Plan a trip'],
  ])
    assert.match(html, new RegExp(`<form method="post" action="/start/${id}"><button type="submit">Start ${title}</button>`));
  assert.equal(sessionRows(html).size, 0, 'no sessions yet');
});

test('POST /start/hello redirects to the new session, whose log holds session.started', async (t) => {
  const client = await Client.open(t);
  const id = await client.start('hello');
  assert.deepEqual(await client.sessionIds(), [id]);
  const [started, ...rest] = await client.events(id);
  assert.deepEqual(rest, []);
  assert.deepEqual(withoutPlace(started), { type: 'session.started', workflow: 'hello', version: client.version('hello'), forkedFrom: null });
  assert.equal(started.seq, 1);
});

test('GET /s/<id> shows the first step’s form, empty, with the later step pending', async (t) => {
  const client = await Client.open(t);
  const id = await client.start('hello');
  const html = await client.page(id);
  assert.match(html, /^<!doctype html>/);
  assert.equal(openStep(html), 'name');
  assert.match(html, new RegExp(`<form method="post" action="/s/${id}/steps/name"`));
  assert.equal(controlValue(html, 'name'), '');
  assert.match(html, /class="card pending" data-step="greeting"/);
  assert.deepEqual(doneSteps(html), []);
});

for (const { mode, headers } of MODES) {
  test(`submitting the name (${mode}) records it and suggests the greeting "Hello <name>!"`, async (t) => {
    const client = await Client.open(t);
    const id = await client.start('hello');
    const res = await client.post(`/s/${id}/steps/name`, { name: 'Ada' }, headers);
    let html: string;
    if (mode === 'htmx') {
      assert.equal(res.status, 200);
      html = await res.text();
      assert.match(html, /^<section id="trail"/, 'a fragment: the trail alone');
      assert.doesNotMatch(html, /<html/);
    } else {
      assert.equal(res.status, 303);
      assert.equal(res.headers.get('location'), `/s/${id}`);
      html = await client.page(id);
    }
    assert.deepEqual(doneSteps(html), ['name']);
    assert.equal(doneValue(html, 'name'), 'Ada');
    assert.equal(openStep(html), 'greeting');
    assert.equal(controlValue(html, 'greeting'), 'Hello Ada!');
    const events = await client.events(id);
    assert.deepEqual(
      events.slice(1).map(withoutPlace),
      [
        { type: 'param.set', step: 'name', key: 'name', value: 'Ada', source: 'user' },
        { type: 'step.completed', step: 'name' },
      ],
    );
  });
}

/** Submits that must be refused: what to send, where the message goes, and which values must come back. */
const INVALID: { name: string; workflow: 'hello' | 'trip'; done: number; step: string; form: Form; path: string; message: string; kept: [string, string | string[]][] }[] = [
  { name: 'an empty required name', workflow: 'hello', done: 0, step: 'name', form: { name: '' }, path: 'name', message: 'Name is required.', kept: [] },
  { name: 'a blank required name', workflow: 'hello', done: 0, step: 'name', form: { name: '   ' }, path: 'name', message: 'Name is required.', kept: [] },
  {
    name: 'a name over its maxLength',
    workflow: 'hello',
    done: 0,
    step: 'name',
    form: { name: 'x'.repeat(101) },
    path: 'name',
    message: 'Name must be at most 100 characters.',
    kept: [['name', 'x'.repeat(101)]],
  },
  {
    name: 'a number above its max',
    workflow: 'trip',
    done: 0,
    step: 'places',
    form: { places: ['Lisbon', 'Porto'], days: '61' },
    path: 'days',
    message: 'Days must be at most 60.',
    kept: [
      ['places', ['Lisbon', 'Porto']],
      ['days', '61'],
    ],
  },
  {
    name: 'a fractional integer',
    workflow: 'trip',
    done: 0,
    step: 'places',
    form: { places: 'Madrid', days: '2.5' },
    path: 'days',
    message: 'Days must be a whole number.',
    kept: [
      ['places', ['Madrid']],
      ['days', '2.5'],
    ],
  },
  {
    name: 'a choice not in the options',
    workflow: 'trip',
    done: 0,
    step: 'places',
    form: { places: ['Lisbon', 'Atlantis'], days: '5' },
    path: 'places',
    message: 'Places to visit: "Atlantis" is not one of the choices.',
    kept: [
      ['places', ['Lisbon']],
      ['days', '5'],
    ],
  },
  {
    name: 'a select value not in the options',
    workflow: 'trip',
    done: 1,
    step: 'traveller',
    form: { 'traveller.name': 'Ann', 'traveller.adults': '2', pace: 'sprint' },
    path: 'pace',
    message: 'Pace: "sprint" is not one of the choices.',
    kept: [
      ['traveller.name', 'Ann'],
      ['traveller.adults', '2'],
    ],
  },
  {
    name: 'a missing required value inside a group',
    workflow: 'trip',
    done: 1,
    step: 'traveller',
    form: { 'traveller.name': '', 'traveller.adults': '3', 'traveller.rail': 'on', pace: 'packed' },
    path: 'traveller.name',
    message: 'Name is required.',
    kept: [
      ['traveller.adults', '3'],
      ['traveller.rail', 'on'],
      ['pace', 'packed'],
    ],
  },
  {
    name: 'a value the workflow’s validator refuses',
    workflow: 'trip',
    done: 2,
    step: 'budget',
    form: { budget: '10', notes: 'pack "light" <3' },
    path: 'budget',
    message: 'At least 150 euros for 5 days.',
    kept: [
      ['budget', '10'],
      ['notes', 'pack "light" <3'],
    ],
  },
];

for (const c of INVALID) {
  test(`an invalid submit (${c.name}) is refused with 422 beside the field, keeps the values, appends nothing`, async (t) => {
    const client = await Client.open(t);
    const id = c.workflow === 'hello' ? await client.start('hello') : await trip(client, c.done);
    const before = await client.logBytes(id);
    for (const { mode, headers } of MODES) {
      const res = await client.post(`/s/${id}/steps/${c.step}`, c.form, headers);
      assert.equal(res.status, 422, mode);
      const html = await res.text();
      assert.match(html, mode === 'htmx' ? /^<section id="trail"/ : /^<!doctype html>/, mode);
      assert.equal(openStep(html), c.step, mode);
      assert.equal(fieldError(html, c.path), c.message, mode);
      for (const [name, value] of c.kept) assert.deepEqual(controlValue(html, name), value, `${mode}: ${name}`);
      assert.deepEqual(await client.logBytes(id), before, `${mode}: nothing is appended`);
    }
  });
}

test('a default inside a group pre-fills its control (trip: traveller.adults defaults to 1)', async (t) => {
  const client = await Client.open(t);
  const id = await trip(client, 1);
  assert.equal(controlValue(await client.page(id), 'traveller.adults'), '1');
});

test('reverting the name reopens it pre-filled; a suggested greeting follows the new name, a typed one is kept', async (t) => {
  const cases: { typed: string | null; source: string; after: string }[] = [
    { typed: null, source: 'default', after: 'Hello Bob!' },
    { typed: 'Howdy, partner', source: 'user', after: 'Howdy, partner' },
  ];
  for (const { typed, source, after } of cases) {
    const client = await Client.open(t);
    const id = await hello(client, 'Ada', typed);
    assert.deepEqual(paramsSet(await client.events(id), 'greeting'), [{ value: typed ?? 'Hello Ada!', source }]);
    assert.deepEqual(doneSteps(await client.page(id)), ['name', 'greeting']);

    await client.act(`/s/${id}/steps/name/revert`);
    let html = await client.page(id);
    assert.equal(openStep(html), 'name');
    assert.deepEqual(doneSteps(html), [], 'the greeting, completed after the name, is reopened too');
    assert.equal(controlValue(html, 'name'), 'Ada');

    await client.submit(id, 'name', { name: 'Bob' });
    html = await client.page(id);
    assert.equal(openStep(html), 'greeting');
    assert.equal(controlValue(html, 'greeting'), after, `greeting typed: ${typed}`);

    const events = await client.events(id);
    assert.deepEqual(
      paramsSet(events, 'name').map((p) => p.value),
      ['Ada', 'Bob'],
      'the log keeps everything',
    );
    assert.equal(events.filter((e) => e.type === 'step.reverted').length, 1);
  }
});

test('finalize locks every card: no Revert buttons, submit and revert give 409 with a message; unfinalize unlocks', async (t) => {
  const client = await Client.open(t);
  const id = await hello(client, 'Ada', null);
  assert.deepEqual(reverts(await client.page(id)), ['name', 'greeting']);

  await client.act(`/s/${id}/finalize`);
  let html = await client.page(id);
  assert.deepEqual(reverts(html), []);
  assert.match(html, new RegExp(`action="/s/${id}/unfinalize"`));
  assert.equal((await client.events(id)).at(-1)?.type, 'session.finalized');

  const locked = await client.logBytes(id);
  const refused: [string, Form][] = [
    [`/s/${id}/steps/name/revert`, {}],
    [`/s/${id}/steps/greeting/revert`, {}],
    [`/s/${id}/steps/name`, { name: 'Eve' }],
    [`/s/${id}/steps/greeting`, { greeting: 'Hi' }],
  ];
  for (const [path, form] of refused)
    for (const { mode, headers } of MODES) {
      const res = await client.post(path, form, headers);
      assert.equal(res.status, 409, `${mode} ${path}`);
      html = await res.text();
      assert.match(notice(html), /finalized/i, `${mode} ${path}`);
      assert.deepEqual(reverts(html), [], `${mode} ${path}`);
    }
  assert.deepEqual(await client.logBytes(id), locked, 'nothing is appended to a finalized session');

  await client.act(`/s/${id}/unfinalize`);
  html = await client.page(id);
  assert.deepEqual(reverts(html), ['name', 'greeting']);
  assert.equal((await client.events(id)).at(-1)?.type, 'session.unfinalized');
  await client.act(`/s/${id}/steps/greeting/revert`);
  assert.equal(openStep(await client.page(id)), 'greeting');
});

test('finalizing before every step is done is refused with 409 and appends nothing', async (t) => {
  const client = await Client.open(t);
  const id = await client.start('hello');
  for (const [step, form] of [
    ['Your name', { name: 'Ada' }],
    ['Greeting', null],
  ] as const) {
    const before = await client.logBytes(id);
    const res = await client.post(`/s/${id}/finalize`);
    assert.equal(res.status, 409);
    assert.equal(notice(await res.text()), `Finish the step "${step}" before finalizing.`);
    assert.deepEqual(await client.logBytes(id), before);
    if (form) await client.submit(id, 'name', form);
  }
});

test('submitting a step that is not the open one is refused with 409 and appends nothing; an unknown step is 404', async (t) => {
  const client = await Client.open(t);
  const cases: { nameDone: boolean; step: string; form: Form; status: number; message: RegExp }[] = [
    { nameDone: false, step: 'greeting', form: { greeting: 'Hi' }, status: 409, message: /The step &quot;Greeting&quot; is not the open step/ },
    // A stale tab submitting a step already done.
    { nameDone: true, step: 'name', form: { name: 'Eve' }, status: 409, message: /The step &quot;Your name&quot; is not the open step/ },
    { nameDone: false, step: 'nope', form: { name: 'x' }, status: 404, message: /has no step &quot;nope&quot;/ },
  ];
  for (const { nameDone, step, form, status, message } of cases) {
    const id = nameDone ? await hello(client, 'Ada') : await client.start('hello');
    const before = await client.logBytes(id);
    const res = await client.post(`/s/${id}/steps/${step}`, form);
    assert.equal(res.status, status, step);
    assert.match(await res.text(), message);
    assert.deepEqual(await client.logBytes(id), before, step);
  }
});

test('trip: the list and the nested object round-trip through the log, the page and a reopened form', async (t) => {
  const client = await Client.open(t);
  const id = await trip(client, 3);
  const events = await client.events(id);
  const expected: [string, Json, string][] = [
    ['places', ['Lisbon', 'Seville'], 'user'],
    ['days', 5, 'user'],
    ['traveller', { name: 'Ann', adults: 2, rail: true }, 'user'],
    ['pace', 'slow', 'user'],
    ['budget', 1200, 'default'],
    ['notes', 'Window seat,\n"please" & thanks', 'user'],
  ];
  for (const [key, value, source] of expected) assert.deepEqual(paramsSet(events, key), [{ value, source }], key);

  const html = await client.page(id);
  assert.deepEqual(doneSteps(html), ['places', 'traveller', 'budget']);
  assert.equal(doneValue(html, 'places'), 'Lisbon, Seville');
  assert.equal(doneValue(html, 'traveller'), 'Name: Ann; Adults: 2; Rail pass: Yes');
  assert.equal(doneValue(html, 'budget'), '1200');

  // Reverting brings the values back into the form, list and nested object alike.
  await client.act(`/s/${id}/steps/places/revert`);
  assert.deepEqual(controlValue(await client.page(id), 'places'), ['Lisbon', 'Seville']);
  await client.submit(id, 'places', TRIP[0][1]);
  const reopened = await client.page(id);
  assert.equal(openStep(reopened), 'traveller');
  for (const [name, value] of [
    ['traveller.name', 'Ann'],
    ['traveller.adults', '2'],
    ['pace', 'slow'],
  ])
    assert.equal(controlValue(reopened, name), value, name);
  assert.equal(controlValue(reopened, 'traveller.rail'), 'on');
});

// ---- Pages that are not there ----

const UNKNOWN_ID = 'AAAAAAAAAAAAAAAAAAAAA';
const NOT_FOUND: [string, string][] = [
  ['GET', `/s/${UNKNOWN_ID}`],
  ['POST', `/s/${UNKNOWN_ID}/steps/name`],
  ['POST', `/s/${UNKNOWN_ID}/steps/name/revert`],
  ['POST', `/s/${UNKNOWN_ID}/finalize`],
  ['GET', '/s/abc'],
  ['GET', '/s/..%2Fetc'],
  ['GET', '/s/../etc'],
  ['GET', '/s/..%2F..%2Fcatalog.sqlite'],
  ['POST', '/s/..%2Fetc/steps/name'],
  ['POST', '/start/nope'],
  ['POST', '/start/..%2Fhello'],
  ['GET', '/nope'],
  ['GET', '/assets/nope.js'],
  ['GET', '/assets/..%2Fpackage.json'],
];

test('unknown sessions, malformed ids, unknown workflows and unknown paths are a plain 404 page with a link home', async (t) => {
  const client = await Client.open(t);
  for (const [method, path] of NOT_FOUND) {
    const res = method === 'GET' ? await client.get(path) : await client.post(path, { name: 'x' });
    assert.equal(res.status, 404, `${method} ${path}`);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
    const html = await res.text();
    assert.match(html, /<h1>Not found<\/h1>/, `${method} ${path}`);
    assert.match(html, /<a href="\/">Back to the home page<\/a>/);
    assert.doesNotMatch(html, /\bat \S+ \(|node_modules|\.tsx?:\d|Error\b/, `${method} ${path}: no stack`);
  }
  assert.deepEqual(await client.sessionIds(), [], 'nothing was created');
});

// ---- Security ----

test('user values are escaped wherever they are shown', async (t) => {
  const client = await Client.open(t);
  const evil = `<script>alert(1)</script>"'&x`;
  const id = await hello(client, evil);
  const html = await client.page(id);
  assert.doesNotMatch(html, /<script>alert/);
  assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;&quot;&#39;&amp;x/);
  assert.equal(doneValue(html, 'name'), evil);
  assert.equal(controlValue(html, 'greeting'), `Hello ${evil}!`);

  // And in a form sent back with an error.
  const res = await client.post(`/s/${id}/steps/greeting`, { greeting: '' }, HTMX);
  assert.equal(res.status, 422);
  assert.doesNotMatch(await res.text(), /<script>alert/);
});

/** A request as @hono/node-server hands it to the app: the URL is built from the Host header. */
const withHost = (client: Client, host: string, init: RequestInit = {}) =>
  client.request(`http://${host}/`, { ...init, headers: { ...init.headers, Host: host } });

test('a request whose Host is not this server’s is refused with 403', async (t) => {
  const client = await Client.open(t);
  const cases: [string, number][] = [
    ['evil.example:5001', 403],
    ['evil.example', 403],
    ['localhost.evil.example', 403],
    ['127.0.0.1.nip.io:5001', 403],
    ['localhost', 200],
    ['localhost:5001', 200],
    ['127.0.0.1:5001', 200],
    ['[::1]:5001', 200],
  ];
  for (const [host, status] of cases) assert.equal((await withHost(client, host)).status, status, host);
  const res = await client.request('http://evil.example:5001/start/hello', { method: 'POST', headers: { Host: 'evil.example:5001' } });
  assert.equal(res.status, 403);
  assert.deepEqual(await client.sessionIds(), []);
});

test('through the real Node adapter, a foreign Host header is refused with 403', async (t) => {
  const client = await Client.open(t);
  const server = serve({ fetch: (req: Request) => client.fetch(req), port: 0, hostname: '127.0.0.1' });
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  await new Promise<void>((resolve) => (server.listening ? resolve() : server.once('listening', () => resolve())));
  const { port } = server.address() as AddressInfo;
  const status = (host: string) =>
    new Promise<number>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path: '/', agent: false, headers: { Host: host } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
  assert.equal(await status('evil.example:5001'), 403);
  assert.equal(await status(`127.0.0.1:${port}`), 200);
  assert.equal(await status(`localhost:${port}`), 200);
});

test('a state-changing request from another origin is refused with 403; same-origin and non-browser ones pass', async (t) => {
  const client = await Client.open(t);
  const id = await client.start('hello');
  const cases: [Headers, number][] = [
    [{ Origin: 'http://evil.example' }, 403],
    [{ Origin: 'null' }, 403],
    [{ Origin: 'http://localhost:5001' }, 403],
    [{ Origin: 'https://localhost' }, 403],
    [{ Origin: 'http://evil.example', 'Sec-Fetch-Site': 'same-origin' }, 403],
    [{ 'Sec-Fetch-Site': 'cross-site' }, 403],
    [{ 'Sec-Fetch-Site': 'same-site' }, 403],
    [{ Origin: 'http://localhost' }, 303],
    [{ Origin: 'http://localhost', 'Sec-Fetch-Site': 'same-origin' }, 303],
    [{ 'Sec-Fetch-Site': 'same-origin' }, 303],
    [{ 'Sec-Fetch-Site': 'none' }, 303],
    [{}, 303],
  ];
  for (const [headers, status] of cases) {
    const sessions = (await client.sessionIds()).length;
    const log = await client.logBytes(id);
    const started = await client.post('/start/hello', {}, headers);
    assert.equal(started.status, status, `start with ${JSON.stringify(headers)}`);
    assert.equal((await client.sessionIds()).length, sessions + (status === 303 ? 1 : 0));
    const submitted = await client.post(`/s/${id}/steps/name`, { name: 'Mallory' }, headers);
    if (status === 403) {
      assert.equal(submitted.status, 403);
      assert.deepEqual(await client.logBytes(id), log, `nothing appended with ${JSON.stringify(headers)}`);
    } else {
      assert.equal(submitted.status, 303);
      await client.act(`/s/${id}/steps/name/revert`);
    }
  }
});

test('a request body over 1 MB is refused with 413 and nothing is written', async (t) => {
  const client = await Client.open(t);
  const id = await client.start('hello');
  const before = await client.logBytes(id);
  const MB = 1024 * 1024;
  // Just under the limit the body is read, and the name is refused for its length; just over, the body is not read.
  const cases: [number, number][] = [
    [MB - 'name='.length, 422],
    [MB - 'name='.length + 1, 413],
    [2 * MB, 413],
  ];
  for (const [length, status] of cases) {
    const res = await client.post(`/s/${id}/steps/name`, { name: 'a'.repeat(length) });
    assert.equal(res.status, status, `a name of ${length} bytes`);
    assert.deepEqual(await client.logBytes(id), before);
  }
  assert.equal((await client.post('/start/hello', { pad: 'a'.repeat(2 * MB) })).status, 413);
  assert.deepEqual(await client.sessionIds(), [id]);
});

test('an htmx form over 1 MB gets the message and a Reload link to the page it was on, not an empty answer', async (t) => {
  const client = await Client.open(t);
  const id = await client.start('hello');
  // htmx's SSE extension adds text/event-stream to every request's Accept; the form still needs its message.
  const headers = { ...HTMX, accept: 'text/html, text/event-stream', referer: `http://localhost/s/${id}` };
  const res = await client.post(`/s/${id}/steps/name`, { name: 'a'.repeat(2 * 1024 * 1024) }, headers);
  assert.equal(res.status, 413);
  const body = await res.text();
  assert.match(body, /<section id="trail">.*larger than 1 MB/);
  assert.match(body, new RegExp(`<a href="/s/${id}">Reload the page</a>`), 'the Reload link goes back to the session');
  // A job card's stream that fails gets its status alone, as before.
  const stream = await client.get(`/s/AAAAAAAAAAAAAAAAAAAAA/jobs/work/events`, { ...HTMX, accept: 'text/html, text/event-stream' });
  assert.equal(stream.status, 404);
  assert.equal(await stream.text(), '');
});

// ---- The catalog is derived from the logs ----

/** Three sessions in different states, and what the home page must say of each: [current step, status]. */
async function threeSessions(client: Client): Promise<Map<string, [string, string]>> {
  const greeting = await hello(client, 'Ada');
  const finalized = await hello(client, 'Bob', null);
  await client.act(`/s/${finalized}/finalize`);
  const fresh = await client.start('trip');
  return new Map([
    [greeting, ['Greeting', 'Open']],
    [finalized, ['All done', 'Finalized']],
    [fresh, ['Places', 'Open']],
  ]);
}

async function homeRows(client: Client): Promise<Map<string, [string, string]>> {
  const res = await client.get('/');
  assert.equal(res.status, 200);
  return sessionRows(await res.text());
}

test('a deleted catalog is rebuilt from the logs: the home page lists the same sessions as before', async (t) => {
  const client = await Client.open(t);
  const expected = await threeSessions(client);
  const before = await client.get('/').then((r) => r.text());
  assert.deepEqual(sessionRows(before), expected);

  await client.reopen({ deleteCatalog: true });
  const after = await client.get('/').then((r) => r.text());
  assert.deepEqual(sessionRows(after), expected);
  // Whole rows, times included (sessions changed within one millisecond may swap places, so not their order).
  const rows = (html: string) => [...html.matchAll(/<tr data-session=.*?<\/tr>/g)].map((m) => m[0]).sort();
  assert.deepEqual(rows(after), rows(before));
});

test('a log changed while the app was closed shows up changed after reopening', async (t) => {
  const client = await Client.open(t);
  const expected = await threeSessions(client);
  const [ada] = expected.keys();
  const last = (await client.events(ada)).at(-1)!;
  const byHand = { seq: last.seq + 1, at: new Date().toISOString(), type: 'step.reverted', step: 'name' } as const;
  const reverted = { ...byHand, hash: chainHash(last.hash, byHand) };

  await client.reopen({ beforeOpen: () => appendFile(client.logPath(ada), JSON.stringify(reverted) + '\n') });
  expected.set(ada, ['Your name', 'Open']);
  assert.deepEqual(await homeRows(client), expected);
  const html = await client.page(ada);
  assert.equal(openStep(html), 'name');
  assert.equal(controlValue(html, 'name'), 'Ada');
  assert.deepEqual((await client.events(ada)).at(-1), reverted);
});

test('a start finds a folder a cut-off start left without a log: it is removed and said so; a whole session stays', async (t) => {
  const client = await Client.open(t);
  const kept = await hello(client, 'Ada');
  const sessions = join(client.dir, 'sessions');
  const leftover = 'cutoffstartleftover01';
  const said: string[] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => void said.push(args.join(' '));
  try {
    await client.reopen({
      beforeOpen: async () => {
        await mkdir(join(sessions, leftover));
        await writeFile(join(sessions, leftover, 'log.jsonl.new'), '{"seq":1');
      },
    });
  } finally {
    console.log = log;
  }
  assert.deepEqual(await readdir(sessions), [kept], 'the leftover folder is gone, the session is not');
  assert.ok(said.some((line) => /Removed 1 session folder\(s\) that a stopped start left without a log/.test(line)), said.join('\n'));
});
