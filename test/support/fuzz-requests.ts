// Generated bad input for every route (fast-check): ids, paths, bodies, content types, field names, nested and
// huge values, invalid UTF-8 and forged logs, sent to the real app on a real data folder. The fast run in
// test/fuzz.test.ts and the long one in test/reliability/fuzz.stress.ts share this; only the number of requests differs.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import fc from 'fast-check';
import { discoverWorkflows } from '../../app/engine/discover.ts';
import { createApp, type Cardtrail } from '../../app/server.ts';
import { ROOT } from './app.ts';
import { chained } from './forge.ts';

/** Put into every generated name: a file whose name holds it, anywhere, was written by the fuzz run. */
export const MARK = 'FUZZMARK';
const PASSPHRASE = 'fuzzing passphrase 123';
const OWN = 'http://localhost';

const nasty = fc.constantFrom(
  '',
  '..',
  '../..',
  `../../${MARK}`,
  `..%2f..%2f${MARK}`,
  '%2e%2e%2f%2e%2e%2f' + MARK,
  '%ff%fe%00',
  '%c3%28',
  '%e2%82',
  '%00',
  '__proto__',
  'constructor',
  'prototype',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  'AAAAAAAAAAAAAAAAAAAAA',
  '-'.repeat(21),
  'a'.repeat(5000),
  '😀',
  'name',
  'greeting',
  'places',
  'simulate',
  'hello',
  'trip',
  'ticker',
  `${MARK}\\..\\..\\x`,
);

/** A path segment: a real name, a nasty one, or noise (percent-encoded when it has to be). */
const segment = (real: fc.Arbitrary<string>) =>
  fc.oneof(
    { weight: 3, arbitrary: real },
    { weight: 3, arbitrary: nasty },
    { weight: 1, arbitrary: fc.string({ maxLength: 40 }).map((s) => encodeURIComponent(s)) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 12 }).map((b) => [...b].map((x) => `%${x.toString(16).padStart(2, '0')}`).join('')) },
  );

const value: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 50 }),
  fc.string({ unit: 'binary', maxLength: 50 }),
  nasty,
  fc.integer().map(String),
  fc.double().map(String),
  fc.constantFrom('on', 'off', 'true', '1e400', '-0', 'NaN', 'Infinity', 'Lisbon', 'slow', '5', '{"a":1}', '[1,2]'),
  fc.nat({ max: 300_000 }).map((n) => 'x'.repeat(n)),
);

const fieldName = fc.oneof(
  fc.constantFrom('name', 'greeting', 'places', 'days', 'traveller.name', 'traveller.adults', 'traveller.rail', 'traveller', 'pace', 'budget'),
  fc.constantFrom('notes', 'ticks', 'interval', 'failAt', 'verdict', 'step', 'text', 'seq', 'back', 'rendered-seq', 'log', 'passphrase', 'next'),
  fc.constantFrom('__proto__', 'constructor', 'traveller.__proto__', '__proto__.polluted', 'a.b.c.d', '', '[]', 'name[]'),
  fc.string({ maxLength: 20 }),
);

const form = fc.array(fc.tuple(fieldName, value), { maxLength: 8 });

/** A log a person could upload: a real-looking one with random values, a mutated one, or noise. */
const logFile = (version: string) =>
  fc.oneof(
    fc
      .record({ name: fc.jsonValue(), greeting: fc.jsonValue(), extra: fc.array(fc.object(), { maxLength: 3 }), final: fc.boolean() })
      .map(({ name, greeting, extra, final }) =>
        chained([
          { type: 'session.started', workflow: 'hello', version, forkedFrom: null },
          { type: 'param.set', step: 'name', key: 'name', value: name, source: 'user' },
          { type: 'step.completed', step: 'name' },
          ...extra.map((o) => ({ type: 'note', step: 'name', text: JSON.stringify(o), ...o })),
          { type: 'param.set', step: 'greeting', key: 'greeting', value: greeting, source: 'user', was: 'job' },
          { type: 'step.completed', step: 'greeting' },
          ...(final ? [{ type: 'session.finalized' }] : []),
        ]),
      ),
    fc.array(fc.object(), { maxLength: 5 }).map((lines) => chained(lines)),
    fc.array(fc.jsonValue(), { maxLength: 5 }).map((lines) => lines.map((l) => JSON.stringify(l)).join('\n')),
    fc.string({ unit: 'binary', maxLength: 400 }),
    fc.uint8Array({ maxLength: 400 }).map((b) => Buffer.from(b).toString('latin1')),
  );

type Body = { type?: string; body?: BodyInit };

const body = (version: string): fc.Arbitrary<Body> =>
  fc.oneof(
    { weight: 4, arbitrary: form.map((pairs) => ({ type: 'application/x-www-form-urlencoded', body: new URLSearchParams(pairs).toString() })) },
    {
      weight: 2,
      arbitrary: fc.tuple(form, fc.option(logFile(version)), fc.string({ maxLength: 30 })).map(([pairs, log, name]) => {
        const data = new FormData();
        for (const [k, v] of pairs) data.append(k, v);
        if (log !== null) data.append('log', new File([log], `${name}${MARK}.jsonl`));
        return { body: data };
      }),
    },
    { weight: 1, arbitrary: fc.jsonValue().map((j) => ({ type: 'application/json', body: JSON.stringify(j) })) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 2000 }).map((b) => ({ type: 'application/x-www-form-urlencoded', body: Buffer.from(b) })) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom('multipart/form-data', 'multipart/form-data; boundary=', 'multipart/form-data; boundary=x', 'text/plain', 'application/xml', '*/*', 'application/x-www-form-urlencoded; charset=utf-16'), fc.string({ unit: 'binary', maxLength: 300 }))
        .map(([type, text]) => ({ type, body: text })),
    },
    { weight: 1, arbitrary: fc.constant({}) },
    { weight: 1, arbitrary: fc.constant({ type: 'application/x-www-form-urlencoded', body: `name=${'y'.repeat(1024 * 1024 + 10)}` }) },
  );

type Route = { method: 'GET' | 'POST'; path: (id: string, step: string, extra: string) => string };

const ROUTES: Route[] = [
  { method: 'GET', path: () => '/' },
  { method: 'GET', path: (_i, s, x) => `/?status=${x}&workflow=${s}&notice=${x}` },
  { method: 'GET', path: (_i, _s, x) => `/assets/${x}` },
  { method: 'GET', path: (i) => `/s/${i}` },
  { method: 'GET', path: (i, _s, x) => `/s/${i}/history?before=${x}` },
  { method: 'GET', path: (i, _s, x) => `/s/${i}/at/${x}` },
  { method: 'GET', path: (i) => `/s/${i}/log.jsonl` },
  { method: 'GET', path: (i) => `/s/${i}/summary.json` },
  { method: 'GET', path: (i) => `/s/${i}/delete` },
  { method: 'GET', path: (_i, _s, x) => `/login?next=${x}` },
  { method: 'GET', path: (_i, s, x) => `/${s}/${x}` },
  { method: 'POST', path: (_i, s) => `/start/${s}` },
  { method: 'POST', path: () => '/import' },
  { method: 'POST', path: (i, s) => `/s/${i}/steps/${s}` },
  { method: 'POST', path: (i, s) => `/s/${i}/steps/${s}/revert` },
  { method: 'POST', path: (i, s) => `/s/${i}/jobs/${s}/cancel` },
  { method: 'POST', path: (i) => `/s/${i}/notes` },
  { method: 'POST', path: (i) => `/s/${i}/finalize` },
  { method: 'POST', path: (i) => `/s/${i}/unfinalize` },
  { method: 'POST', path: (i) => `/s/${i}/fork` },
  { method: 'POST', path: (i) => `/s/${i}/migrate` },
  { method: 'POST', path: (i) => `/s/${i}/archive` },
  { method: 'POST', path: (i) => `/s/${i}/unarchive` },
  { method: 'POST', path: (i) => `/s/${i}/delete` },
  { method: 'POST', path: () => '/login' },
  { method: 'POST', path: () => '/logout' },
];

const headers = fc.record(
  {
    'hx-request': fc.constant('true'),
    'hx-current-url': fc.constantFrom('javascript:alert(1)', `${OWN}/s/x`, '//evil.example', '%ff'),
    accept: fc.constantFrom('text/event-stream', 'application/json', '*/*'),
    referer: fc.constantFrom(`${OWN}/`, 'http://evil.example/'),
  },
  { requiredKeys: [] },
);

/** A stack frame or a source path: what must never reach a page. */
const LEAK = /\n\s+at [^\n]*\(?[^\n]*:\d+:\d+\)?|node_modules|\/app\/[a-z/-]+\.tsx?|TypeError|ReferenceError|SyntaxError: /;

/**
 * Files anywhere under `dir` whose name holds the fuzz mark. Links are listed, never followed: Node 20's
 * recursive readdir follows them, and one link back to /tmp under /tmp made it walk forever.
 */
async function marked(dir: string, under = ''): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(join(dir, under), { withFileTypes: true }).catch(() => [])) {
    const name = join(under, entry.name);
    if (name.includes(MARK)) found.push(name);
    if (entry.isDirectory()) found.push(...(await marked(dir, name)));
  }
  return found;
}

/**
 * Sends `runs` generated requests to the real app (with and without a passphrase) and checks each answer: no
 * 5xx, no stack trace or source path in the body. Afterwards: no file named by the fuzz outside the data
 * folder, and both apps still serve their home page.
 */
export async function fuzzEveryRoute(t: TestContext, runs: number, seed?: number): Promise<{ requests: number; statuses: Record<number, number> }> {
  const box = await mkdtemp(join(tmpdir(), 'cardtrail-fuzz-'));
  const discovered = await discoverWorkflows(join(ROOT, 'workflows'));
  await mkdir(join(box, 'data'));
  const open = await createApp({ dataDir: join(box, 'data', 'open'), root: ROOT, discovered });
  const locked = await createApp({ dataDir: join(box, 'data', 'locked'), root: ROOT, discovered, hosts: ['0.0.0.0'], passphrase: PASSPHRASE });
  const quiet = t.mock.method(console, 'error', () => {});
  t.after(async () => {
    open.close();
    locked.close();
    await rm(box, { recursive: true, force: true });
  });
  const tmpBefore = await marked(tmpdir());
  const ids: string[] = [];
  for (const workflow of ['hello', 'trip', 'ticker']) {
    const res = await open.app.request(`/start/${workflow}`, { method: 'POST', headers: { origin: OWN } });
    ids.push(res.headers.get('location')!.slice(3));
  }
  const login = await locked.app.request('/login', { method: 'POST', headers: { origin: OWN }, body: new URLSearchParams({ passphrase: PASSPHRASE }) });
  const cookie = login.headers.get('set-cookie')!.split(';')[0];
  const version = discovered.workflows.get('hello')!.version;

  const statuses: Record<number, number> = {};
  const request = fc.record({
    route: fc.constantFrom(...ROUTES),
    id: segment(fc.constantFrom(...ids)),
    step: segment(fc.constantFrom('name', 'greeting', 'places', 'traveller', 'budget', 'simulate', 'review', 'hello', 'trip')),
    extra: segment(fc.constantFrom('1', '2', '99999999999999999', 'pico.min.css', 'htmx.min.js', 'archived', 'all', '-1', '0')),
    headers,
    // Mostly from our own pages, so the routes behind the CSRF check are reached too.
    origin: fc.oneof({ weight: 8, arbitrary: fc.constant(OWN) }, { weight: 1, arbitrary: fc.constantFrom('http://evil.example', 'null', undefined) }),
    body: body(version),
    passphrase: fc.oneof({ weight: 4, arbitrary: fc.constant('none' as const) }, { weight: 1, arbitrary: fc.constantFrom('signed-in' as const, 'signed-out' as const) }),
  });
  const property = fc.asyncProperty(request, async (r) => {
    const app: Cardtrail = r.passphrase === 'none' ? open : locked;
    const path = r.route.path(r.id, r.step, r.extra);
    const init: RequestInit = {
      method: r.route.method,
      headers: { ...r.headers, ...(r.origin && { origin: r.origin }), ...(r.passphrase === 'signed-in' && { cookie }) },
    };
    if (r.route.method === 'POST' && r.body.body !== undefined) {
      init.body = r.body.body;
      if (r.body.type) (init.headers as Record<string, string>)['content-type'] = r.body.type;
    }
    let res: Response;
    try {
      res = await app.app.request(`${OWN}${path}`, init);
    } catch (err) {
      // A URL the WHATWG parser itself rejects never reaches a server; anything else is a failure.
      if (err instanceof TypeError && /Invalid URL/.test(err.message)) return;
      throw err;
    }
    statuses[res.status] = (statuses[res.status] ?? 0) + 1;
    const text = await res.text();
    assert.ok(res.status < 500, `${r.route.method} ${path} answered ${res.status}: ${text.slice(0, 300)}`);
    assert.doesNotMatch(text, LEAK, `${r.route.method} ${path} leaked internals`);
  });
  await fc.assert(property, { numRuns: runs, seed, endOnFailure: true });
  assert.deepEqual(await marked(join(box)), (await marked(join(box, 'data'))).map((p) => join('data', p)), 'fuzz-named files only inside the data folder');
  assert.deepEqual(await marked(tmpdir()), tmpBefore, 'nothing fuzz-named in the temp folder outside the box');
  assert.deepEqual(quiet.mock.calls.map((c) => String(c.arguments[0])).filter((line) => line.includes('failed')), [], 'no unexpected error was logged');
  assert.equal((await open.app.request('/')).status, 200, 'still serving');
  // (The sign-in itself may have been ended by a generated POST /logout, and guesses throttled.)
  assert.equal((await locked.app.request('/login')).status, 200, 'still serving with a passphrase');
  return { requests: runs, statuses };
}
