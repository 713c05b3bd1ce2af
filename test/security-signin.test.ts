// Passphrase mode: the slow-down schedule and its per-client memory on their own, then the real app signing in
// with a cookie, refusing a burst of guesses, and signing out; a real socket server telling clients apart; and a
// real `cardtrail serve` showing a visitor who has not signed in nothing but the sign-in form.
import assert from 'node:assert/strict';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { serve } from '@hono/node-server';
import { serveConfig, UsageError } from '../app/config.ts';
import { SignIns } from '../app/passphrase.ts';
import { FREE_FAILURES, MAX_WAIT_MS, Throttle, waitAfter } from '../app/throttle.ts';
import { discoverWorkflows } from '../app/engine/discover.ts';
import { escapeHtml } from '../app/widgets/html.ts';
import { ROOT, tempApp, tempDir, testApp } from './support/app.ts';
import { startServer } from './support/server-process.ts';

const PASSPHRASE = 'correct horse battery';
const LAN = 'http://192.0.2.7:5001';

test('the first wrong passphrases are free, then each makes the client wait twice as long, up to five minutes', () => {
  assert.deepEqual([1, 2].map(waitAfter), [0, 0]);
  assert.equal(waitAfter(FREE_FAILURES), 1000);
  assert.equal(waitAfter(FREE_FAILURES + 1), 2000);
  assert.equal(waitAfter(FREE_FAILURES + 5), 32_000);
  assert.equal(waitAfter(1000), MAX_WAIT_MS);
});

test('the throttle counts per client, lets the wait run out, and forgets a client that got it right', () => {
  let now = 0;
  const throttle = new Throttle(() => now);
  for (let i = 0; i < FREE_FAILURES - 1; i++) assert.equal(throttle.failed('a'), 0);
  assert.equal(throttle.failed('a'), 1000);
  assert.equal(throttle.wait('a'), 1000);
  assert.equal(throttle.wait('b'), 0, 'another client is not slowed by a');
  now += 600;
  assert.equal(throttle.wait('a'), 400);
  now += 400;
  assert.equal(throttle.wait('a'), 0);
  assert.equal(throttle.failed('a'), 2000);
  throttle.succeeded('a');
  assert.equal(throttle.wait('a'), 0);
  assert.equal(throttle.failed('a'), 0, 'counting starts again');
});

test('a passphrase shorter than 12 characters is refused, by the command line and by the app', async (t) => {
  assert.throws(() => serveConfig([], { CARDTRAIL_PASSPHRASE: 'a' }), (err) => err instanceof UsageError && /at least 12 characters.*has 1/.test(err.message));
  assert.throws(() => serveConfig([], { CARDTRAIL_PASSPHRASE: 'eleven char' }), UsageError);
  assert.equal(serveConfig([], { CARDTRAIL_PASSPHRASE: 'twelve chars' }).passphrase, 'twelve chars');
  assert.throws(() => new SignIns('short'), /at least 12/);
  await assert.rejects(tempApp(t, { hosts: ['0.0.0.0'], passphrase: 'x' }), /at least 12/);
});

test('signing in: a page leads to the sign-in page, the passphrase sets a strict HttpOnly cookie, signing out ends it', async (t) => {
  const ct = await tempApp(t, { hosts: ['0.0.0.0'], passphrase: PASSPHRASE });
  const get = (path: string, headers: Record<string, string> = {}) => ct.app.request(`${LAN}${path}`, { headers });
  const post = (path: string, form: Record<string, string>, headers: Record<string, string> = {}) =>
    ct.app.request(`${LAN}${path}`, { method: 'POST', headers: { origin: LAN, ...headers }, body: new URLSearchParams(form) });

  const home = await get('/');
  assert.equal(home.status, 303);
  assert.equal(home.headers.get('location'), '/login');
  const deep = await get('/s/AAAAAAAAAAAAAAAAAAAAA/history?before=3');
  assert.equal(deep.headers.get('location'), `/login?next=${encodeURIComponent('/s/AAAAAAAAAAAAAAAAAAAAA/history?before=3')}`);
  assert.equal((await get('/assets/pico.min.css')).status, 200, 'the sign-in page needs its styles');
  assert.equal(home.headers.get('www-authenticate'), null, 'no HTTP Basic challenge');
  const login = await get('/login');
  assert.equal(login.status, 200);
  assert.match(await login.text(), /<input type="password" name="passphrase"/);
  assert.equal((await post('/start/hello', {})).status, 401, 'a write without signing in');
  const swap = await post('/start/hello', {}, { 'hx-request': 'true' });
  assert.match(await swap.text(), /^<section id="trail">.*sign in/s, 'htmx gets a trail to swap in');
  assert.deepEqual(await ct.engine.store.list(), []);

  const wrong = await post('/login', { passphrase: 'correct horse batter' });
  assert.equal(wrong.status, 401);
  assert.match(await wrong.text(), /That is not the passphrase/);
  assert.equal(wrong.headers.get('set-cookie'), null);

  const right = await post('/login', { passphrase: PASSPHRASE, next: 'http://evil.example/' });
  assert.equal(right.status, 303);
  assert.equal(right.headers.get('location'), '/', 'next may only be a path of this server');
  const cookie = right.headers.get('set-cookie')!;
  assert.match(cookie, /^cardtrail_signin=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict$/);
  const session = { cookie: cookie.split(';')[0] };
  const page = await get('/', session);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /action="\/logout"/, 'signed-in pages offer to sign out');
  assert.equal((await post('/start/hello', {}, session)).status, 303);
  assert.equal((await post('/start/hello', {}, { ...session, origin: 'http://evil.example' })).status, 403, 'CSRF still applies');
  const again = await post('/login', { passphrase: PASSPHRASE, next: '/s/x?y=1' });
  assert.equal(again.headers.get('location'), '/s/x?y=1');

  const out = await post('/logout', {}, session);
  assert.equal(out.status, 303);
  assert.equal(out.headers.get('location'), '/login?out=1');
  assert.match(out.headers.get('set-cookie')!, /cardtrail_signin=; Max-Age=0/);
  assert.equal((await get('/', session)).status, 303, 'the old cookie no longer signs in');
  assert.match(await (await get('/login?out=1')).text(), /You are signed out/);
});

test('a burst of 200 wrong guesses gets only a few checked; the rest are told to wait, even the right one', async (t) => {
  let now = 1_000_000;
  const ct = await tempApp(t, { hosts: ['0.0.0.0'], passphrase: PASSPHRASE, now: () => now });
  const guess = (passphrase: string) =>
    ct.app.request(`${LAN}/login`, { method: 'POST', headers: { origin: LAN }, body: new URLSearchParams({ passphrase }) });
  const statuses: number[] = [];
  for (let i = 0; i < 200; i++) statuses.push((await guess(`guess number ${i}`)).status);
  const checked = statuses.filter((s) => s === 401).length;
  assert.equal(checked, FREE_FAILURES, 'only the free guesses were checked before the first wait');
  assert.equal(statuses.filter((s) => s === 429).length, 200 - FREE_FAILURES);
  const right = await guess(PASSPHRASE);
  assert.equal(right.status, 429, 'a guess during the wait is not checked, so it cannot succeed');
  assert.equal(right.headers.get('retry-after'), '1');
  assert.match(await right.text(), /Too many wrong passphrases: wait 1 second/);
  now += 1000;
  assert.equal((await guess('one more wrong')).status, 401, 'once the wait is over a guess is checked again');
  assert.equal((await guess(PASSPHRASE)).status, 429, 'and the next wait is twice as long');
  now += 2000;
  assert.equal((await guess(PASSPHRASE)).status, 303, 'the right passphrase after the wait signs in');
  t.diagnostic(`200 guesses in a burst: ${checked} checked, ${200 - checked} told to wait`);
});

test('through a real socket, one client guessing does not slow another down', async (t) => {
  const ct = await tempApp(t, { hosts: ['0.0.0.0'], passphrase: PASSPHRASE, now: () => 0 }); // time stands still
  const server = serve({ fetch: ct.app.fetch, hostname: '127.0.0.1', port: 0 });
  await new Promise((ok) => server.once('listening', ok));
  t.after(() => new Promise((ok) => server.close(ok)));
  const { port } = server.address() as AddressInfo;
  const guess = (localAddress: string, passphrase: string) =>
    new Promise<number>((ok, fail) => {
      const body = new URLSearchParams({ passphrase }).toString();
      const req = request(
        { host: '127.0.0.1', port, localAddress, method: 'POST', path: '/login', headers: { origin: `http://127.0.0.1:${port}`, 'content-type': 'application/x-www-form-urlencoded' } },
        (res) => {
          res.resume();
          ok(res.statusCode!);
        },
      );
      req.on('error', fail);
      req.end(body);
    });
  const first: number[] = [];
  for (let i = 0; i < 10; i++) first.push(await guess('127.0.0.2', `wrong ${i}`));
  assert.deepEqual(first.slice(FREE_FAILURES), Array(10 - FREE_FAILURES).fill(429), 'the guessing client waits');
  assert.equal(await guess('127.0.0.3', PASSPHRASE), 303, 'another client signs in at once');
});

test('sign-ins outlive a restart; a sign-out, an idle half day or a new passphrase end them; the file holds no token', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  let now = 5_000_000;
  const open = async (passphrase = PASSPHRASE) => {
    const ct = await testApp({ dataDir: dir, hosts: ['0.0.0.0'], passphrase, now: () => now });
    const get = (path: string, cookie: string) => ct.app.request(`${LAN}${path}`, { headers: { cookie } });
    const post = (path: string, form: Record<string, string>, cookie = '') =>
      ct.app.request(`${LAN}${path}`, { method: 'POST', headers: { origin: LAN, cookie }, body: new URLSearchParams(form) });
    const signIn = async () => (await post('/login', { passphrase })).headers.get('set-cookie')!.split(';')[0];
    return { ct, get, post, signIn };
  };
  let server = await open();
  const [first, second] = [await server.signIn(), await server.signIn()];
  server.ct.close();

  const file = join(dir, 'sign-ins.json');
  assert.equal((await stat(file)).mode & 0o777, 0o600, 'only its owner may read the sign-ins');
  const text = await readFile(file, 'utf8');
  for (const cookie of [first, second]) assert.ok(!text.includes(cookie.split('=')[1]), 'no token is written down');

  server = await open();
  assert.equal((await server.get('/', first)).status, 200, 'still signed in after the restart');
  assert.equal((await server.post('/logout', {}, first)).status, 303);
  server.ct.close();
  server = await open();
  assert.equal((await server.get('/', first)).status, 303, 'a sign-out outlives the restart too');
  assert.equal((await server.get('/', second)).status, 200, 'the other sign-in is untouched');
  now += 13 * 3600_000;
  assert.equal((await server.get('/', second)).status, 303, 'unused for half a day, it has ended');
  const third = await server.signIn();
  server.ct.close();

  await writeFile(file, '{"v":1,"signIns":{"not a key":1}} and garbage');
  server = await open();
  assert.equal((await server.get('/', third)).status, 303, 'a damaged file signs nobody in');
  const fourth = await server.signIn();
  server.ct.close();
  server = await open('another passphrase entirely');
  assert.equal((await server.get('/', fourth)).status, 303, 'a new passphrase matches no earlier sign-in');
  server.ct.close();
});

test('a real `cardtrail serve` with a passphrase shows a visitor not signed in the sign-in form only: no menu, no workflow', async (t) => {
  const { dir, cleanup } = await tempDir();
  const server = await startServer({ dataDir: dir, env: { CARDTRAIL_PASSPHRASE: PASSPHRASE } });
  t.after(async () => {
    await server.stop();
    await cleanup();
  });
  const titles = [...(await discoverWorkflows(join(ROOT, 'workflows'))).workflows.values()].map((w) => escapeHtml(w.title));
  assert.ok(titles.includes('Hello') && titles.length > 3, 'the shipped workflows are installed');
  const origin = { origin: server.url };
  const page = async (path: string, init: RequestInit = {}) => {
    const res = await fetch(`${server.url}${path}`, { redirect: 'manual', ...init });
    return { status: res.status, html: await res.text(), cookie: res.headers.get('set-cookie') };
  };
  /** What of the app a page shows: its menu, its links to start or list sessions, the workflows' titles. */
  const appShown = (html: string) => [
    ...['workflow-menu', 'Start a workflow', 'action="/start/', '>Sessions<'].filter((mark) => html.includes(mark)),
    ...titles.filter((title) => html.includes(`>${title}<`)),
  ];

  const signedOut = {
    'the sign-in page': await page('/login'),
    'the signed-out page': await page('/login?out=1'),
    'a wrong passphrase': await page('/login', { method: 'POST', headers: origin, body: new URLSearchParams({ passphrase: 'not the passphrase' }) }),
    'a missing asset': await page('/assets/no-such-file.js'),
  };
  assert.deepEqual(
    Object.values(signedOut).map((p) => p.status),
    [200, 200, 401, 404],
  );
  for (const [what, { html }] of Object.entries(signedOut)) {
    assert.match(html, /<title>/, `${what} is a page`);
    assert.deepEqual(appShown(html), [], `${what} shows nothing of the app`);
  }
  assert.match(signedOut['the sign-in page'].html, /<input type="password" name="passphrase"/);

  const signIn = await page('/login', { method: 'POST', headers: origin, body: new URLSearchParams({ passphrase: PASSPHRASE }) });
  assert.equal(signIn.status, 303);
  const home = await page('/', { headers: { cookie: signIn.cookie!.split(';')[0] } });
  assert.equal(home.status, 200);
  assert.deepEqual(appShown(home.html).slice(0, 4), ['workflow-menu', 'Start a workflow', 'action="/start/', '>Sessions<']);
  for (const title of titles) assert.ok(home.html.includes(`>${title}<`), `signed in, the menu offers ${title}`);
});
