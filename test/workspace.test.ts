// The workspace's server side without a browser: asset caching, the activity stream (through a real listening
// server), the help's markdown sanitising, labels instead of keys, changed suggestions, session titles, the
// tail read of recent entries, error pages' ways on, the first-run home and the header's menu.
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { appendFile } from 'node:fs/promises';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { serve } from '@hono/node-server';
import { recentEntries } from '../app/engine/recent.ts';
import { changedSuggestions } from '../app/engine/suggestions.ts';
import { displayValue, labelOf } from '../views/display.ts';
import { helpHtml } from '../views/help.tsx';
import { sessionTitle } from '../views/title.ts';
import hello from '../workflows/hello.ts';
import trip from '../workflows/trip.ts';
import { openSse } from './fixtures/jobs/sse.ts';
import { freshTag, runsOf } from './fixtures/jobs/control.ts';
import { until } from './fixtures/jobs/wait.ts';
import { Client, hello as helloSession } from './support/client.ts';
import { ROOT } from './support/app.ts';

const ASSET = /<script src="(\/assets\/cardtrail\.js\?v=([0-9a-f]{12}))">/;

test('asset URLs carry their content version: that URL is cached for good, others revalidate by ETag (304)', async (t) => {
  const client = await Client.open(t);
  const page = await client.html('/');
  const [, url, version] = ASSET.exec(page) ?? [];
  assert.ok(url, 'the page links cardtrail.js with a version');
  const pinned = await client.get(url);
  assert.equal(pinned.status, 200);
  assert.equal(pinned.headers.get('cache-control'), 'public, max-age=31536000, immutable');
  assert.equal(pinned.headers.get('etag'), `"${version}"`);
  const plain = await client.get('/assets/cardtrail.js');
  assert.equal(plain.headers.get('cache-control'), 'no-cache', 'an unversioned URL is revalidated');
  const stale = await client.get('/assets/cardtrail.js?v=000000000000');
  assert.equal(stale.headers.get('cache-control'), 'no-cache', 'an old version is not pinned to new bytes');
  const again = await client.get('/assets/cardtrail.js', { 'if-none-match': `"${version}"` });
  assert.equal(again.status, 304);
  assert.equal((await again.arrayBuffer()).byteLength, 0);
  assert.equal((await client.get('/assets/cardtrail.js', { 'if-none-match': '"other"' })).status, 200);
});

async function listening(t: TestContext, opts: { workflowsDir?: string } = {}): Promise<{ client: Client; base: string }> {
  const client = await Client.open(t, opts);
  const server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: client.ct.app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s as Server)) as Server;
  });
  t.after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  return { client, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

test('the activity stream sends the entries after ?after=, then each append, with seqs as ids and no doubles', async (t) => {
  const { client, base } = await listening(t);
  const id = await client.start('hello');
  const stream = await openSse(`${base}/s/${id}/activity/events?after=0`);
  t.after(() => stream.abort());
  assert.equal(stream.status, 200);
  await stream.waitFor('the start', (m) => m.data.includes('data-type="session.started"'));
  await client.submit(id, 'name', { name: 'Ada' });
  await stream.waitFor('the completion', (m) => m.data.includes('data-type="step.completed"'));
  const seqs = stream.messages.map((m) => Number(/data-seq="(\d+)"/.exec(m.data)?.[1]));
  assert.deepEqual(seqs, [1, 2, 3]);
  const value = stream.messages.find((m) => m.data.includes('param.set'))!.data;
  assert.match(value, /Your name<\/strong> · Name: <span class="value" dir="auto">Ada<\/span>/, 'the label, not the key');
  assert.match(value, new RegExp(`href="/s/${id}/history\\?before=3#e-2"`), 'a link to its row in the history');

  // A reconnect says which entry it has (Last-Event-ID) and gets only what came after.
  const resumed = await fetch(`${base}/s/${id}/activity/events?after=0`, { headers: { 'last-event-id': '2' } });
  const reader = resumed.body!.getReader();
  const first = new TextDecoder().decode((await reader.read()).value);
  await reader.cancel();
  assert.match(first, /^id: 3\n/);
  assert.equal((await client.get(`/s/${'x'.repeat(21)}/activity/events`)).status, 404);
});

test('a running job\'s lines reach the activity stream, throttled to the latest, and a reloaded page; never the log', async (t) => {
  const { client, base } = await listening(t, { workflowsDir: join(import.meta.dirname, 'fixtures/jobs/workflows') });
  const id = await client.start('gate');
  await client.submit(id, 'prepare', { label: 'x' });
  const tag = freshTag('milestone');
  await client.submit(id, 'work', { tag, size: '3' });
  const run = await until('the job to start', () => runsOf(tag)[0]);
  const stream = await openSse(`${base}/s/${id}/activity/events?after=0`);
  t.after(() => stream.abort());
  await stream.waitFor('the job\'s start', (m) => m.data.includes('data-type="job.started"'));
  await until('the stream to follow the job\'s lines', async () => {
    run.ctx.log('warming up');
    await new Promise((resolve) => setTimeout(resolve, 20));
    return stream.messages.some((m) => m.data.includes('data-milestone'));
  });
  const before = stream.messages.length;
  // A burst of fifty lines in one turn: the first goes at once (or after the warm-up's half second), then only
  // the latest.
  for (let i = 1; i <= 50; i++) run.ctx.log(`tick ${i} of 50`);
  const last = await stream.waitFor('the burst\'s last line', (m) => m.data.includes('tick 50 of 50'));
  const burst = stream.messages.slice(before).map((m) => /· (tick \d+)/.exec(m.data)?.[1]);
  assert.ok(burst.length <= 2, `a burst of 50 sent as ${burst.length}: ${burst.join(', ')}`);
  assert.equal(burst.at(-1), 'tick 50');
  assert.match(last.data, new RegExp(`^<li data-milestone="[^"]+" class="activity-milestone">`));
  assert.match(last.data, /<strong>Work<\/strong> · tick 50 of 50/, 'marked as the job\'s, by its step\'s title');
  assert.doesNotMatch(last.data, /href=/, 'no link: it has no entry in the history');

  // A reload shows the job's recent lines from the runner, newest first, above the log's entries.
  const page = await client.page(id);
  const items = [...page.matchAll(/<li data-(milestone|seq)="[^"]+"[^>]*>([\s\S]*?)<\/li>/g)].map((m) => (m[1] === 'seq' ? 'entry' : /tick \d+/.exec(m[2])?.[0]));
  assert.deepEqual(items.slice(0, 9), ['tick 50', 'tick 49', 'tick 48', 'tick 47', 'tick 46', 'tick 45', 'tick 44', 'tick 43', 'entry']);
  assert.doesNotMatch(await client.logBytes(id).then(String), /tick|warming/, 'the log holds no milestone');

  run.release();
  await stream.waitFor('the job\'s end', (m) => m.data.includes('data-type="job.finished"'));
  // The runner lets the job go just after its end is in the log (and on the stream): a reload soon after has none.
  await until('an ended job\'s lines gone after a reload', async () => !/data-milestone/.test(await client.page(id)), 5_000);
});

test('help markdown is rendered and sanitised: no raw HTML, no script links, headings kept under the pane\'s', () => {
  const html = helpHtml('# Title\n\n**bold** <script>alert(1)</script> <img src=x onerror=alert(1)>\n\n[a](javascript:alert(1)) [b](https://example.org)');
  assert.match(html, /<h3>Title<\/h3>/);
  assert.match(html, /<strong>bold<\/strong>/);
  assert.doesNotMatch(html, /<script|<img|href="javascript/i);
  assert.match(html, /&lt;script&gt;/, 'raw HTML shows as text');
  assert.match(html, /<a href="https:\/\/example.org" rel="noopener noreferrer">b<\/a>/);
});

test('values read by their labels: a group by its fields, options by their labels; unknown keys as they are', () => {
  const traveller = trip.steps[1].fields[0];
  assert.equal(displayValue(traveller, { name: 'Ann', adults: 2, rail: true }), 'Name: Ann; Adults: 2; Rail pass: Yes');
  assert.equal(displayValue(traveller, { name: 'Ann', extra: 1 }), 'Name: Ann; extra: 1');
  const select = { key: 'k', kind: 'select' as const, label: 'K', options: [{ value: 'a', label: 'Apple' }] };
  assert.equal(displayValue(select, 'a'), 'Apple');
  assert.equal(displayValue(select, 'zz'), 'zz');
  assert.equal(displayValue(undefined, [1, 2]), '1, 2');
  assert.equal(labelOf(trip, 'places', 'days'), 'Days');
  assert.equal(labelOf(trip, 'places', 'gone'), 'gone');
});

test('a kept value gets the changed suggestion offered; a value equal to the suggestion gets none', () => {
  const greeting = hello.steps[1];
  assert.deepEqual(changedSuggestions(greeting, { greeting: 'Hi there' }, { name: 'Grace' }), [{ key: 'greeting', raw: 'Hello Grace!' }]);
  assert.deepEqual(changedSuggestions(greeting, { greeting: 'Hello Grace!' }, { name: 'Grace' }), []);
  assert.deepEqual(changedSuggestions(hello.steps[0], { name: 'x' }, {}), [], 'no derived default, no offer');
});

test('a session is titled by its workflow and the first text given in it', async (t) => {
  const client = await Client.open(t);
  const id = await helloSession(client, 'Ada Lovelace');
  const { state } = await client.ct.engine.load(id);
  assert.equal(sessionTitle({ workflow: hello, state }), 'Hello — Ada Lovelace');
  assert.match(await client.page(id), /<title>Hello — Ada Lovelace · Cardtrail<\/title>/);
  assert.match(await client.page(id), /<h1 id="session-title">Hello — Ada Lovelace<\/h1>/);
  const fresh = await client.ct.engine.load(await client.start('trip'));
  assert.equal(sessionTitle({ workflow: trip, state: fresh.state }), 'Plan a trip');
  const long = await client.ct.engine.load(await helloSession(client, 'A'.repeat(80)));
  assert.equal(sessionTitle({ workflow: hello, state: long.state }), `Hello — ${'A'.repeat(59)}…`);
  // A title of nothing visible, as an older version kept or an import brings, counts as none.
  assert.equal(sessionTitle({ workflow: hello, state: { ...state, title: '\u200B\u200D' } }), 'Hello — Ada Lovelace');
  const invisibleName = { ...state, drafts: {}, values: { name: { name: { ...state.values.name.name, value: '\u200B' } } } };
  assert.equal(sessionTitle({ workflow: hello, state: invisibleName }), 'Hello', 'an invisible name gives no title either');
});

test('the recent entries come from the log\'s end, oldest first, and a torn last line is passed over', async (t) => {
  const client = await Client.open(t);
  const id = await helloSession(client, 'Ada', 'Hi');
  const dir = client.ct.engine.store.sessionDir(id);
  assert.deepEqual((await recentEntries(dir, 5, 3)).map((e) => e.seq), [3, 4, 5]);
  assert.deepEqual((await recentEntries(dir, 3, 10)).map((e) => e.seq), [1, 2, 3], 'up to an entry');
  await appendFile(client.logPath(id), '{"seq":6,"ty');
  assert.deepEqual((await recentEntries(dir, 5, 2)).map((e) => e.seq), [4, 5]);
  assert.deepEqual(await recentEntries(`${dir}-missing`, 5, 2), []);
  // The session page shows them in its Activity tab, newest first.
  const page = await client.page(id);
  const shown = [...page.matchAll(/<li data-seq="(\d+)" data-type/g)].map((m) => Number(m[1]));
  assert.deepEqual(shown, [5, 4, 3, 2, 1]);
});

test('error pages offer ways on: the session and its history for a page inside one, always home', async (t) => {
  const client = await Client.open(t);
  const id = await helloSession(client, 'Ada');
  const res = await client.get(`/s/${id}/at/99`);
  assert.equal(res.status, 404);
  const html = await res.text();
  assert.match(html, new RegExp(`<a href="/s/${id}">Open the session</a>`));
  assert.match(html, new RegExp(`<a href="/s/${id}/history">The session&#39;s history</a>`));
  assert.match(html, /<a href="\/">Back to the home page<\/a>/);
  const other = await (await client.get('/nowhere')).text();
  assert.doesNotMatch(other, /Open the session/);
  assert.match(other, /<a href="\/">Back to the home page<\/a>/);
});

test('the first run points at the workflows; every page has the skip link and a menu that starts each workflow', async (t) => {
  const client = await Client.open(t);
  const home = await client.html('/');
  assert.match(home, /No sessions yet\./);
  assert.doesNotMatch(home, /No sessions match/);
  assert.match(home, /<a href="#main" class="skip-link">/);
  const menu = /<details class="dropdown workflow-menu">(.*?)<\/details>/.exec(home)?.[1] ?? '';
  // One start button for each workflow file in workflows/.
  const installed = readdirSync(join(ROOT, 'workflows')).filter((f) => f.endsWith('.ts')).map((f) => `/start/${f.slice(0, -3)}`);
  assert.deepEqual([...menu.matchAll(/action="([^"]+)"/g)].map((m) => m[1]).sort(), installed.sort());
  assert.match(await client.html('/?workflow=trip'), /No sessions match\./, 'a chosen filter that matches nothing says so');
});

test('renaming a session is logged; the list, tab and history show it; empty goes back; too long is refused', async (t) => {
  const client = await Client.open(t);
  const id = await helloSession(client, 'Ada', 'Hi Ada');
  const other = await helloSession(client, 'Grace');
  const row = (html: string, session: string) => new RegExp(`<tr data-session="${session}">(.*?)</tr>`).exec(html)?.[1] ?? '';
  let home = await client.html('/');
  assert.match(row(home, id), />Hello — Ada<\/a><small class="preview">Name: Ada · Greeting: Hi Ada<\/small>/);
  assert.match(row(home, id), new RegExp(`<code>${id}</code>`));
  assert.match(row(home, other), />Hello — Grace<\/a><small class="preview">Name: Grace<\/small>/);

  assert.equal((await client.post(`/s/${id}/title`, { title: '  Letters   to Ada ' })).status, 303);
  const titled = (await client.events(id)).at(-1)!;
  assert.equal(titled.type, 'session.titled');
  assert.equal((titled as { title: string }).title, 'Letters to Ada');
  assert.match(await client.page(id), /<title>Letters to Ada · Cardtrail<\/title>/);
  assert.match(await client.page(id), /<input type="text" id="title-field" name="title" value="Letters to Ada" placeholder="Hello — Ada"/);
  home = await client.html('/');
  assert.match(row(home, id), />Letters to Ada<\/a>/);
  assert.match(await client.html(`/s/${id}/history`), /Named the session “<bdi>Letters to Ada<\/bdi>”/);

  const count = (await client.events(id)).length;
  await client.post(`/s/${id}/title`, { title: 'Letters to Ada' });
  assert.equal((await client.events(id)).length, count, 'the same title again writes nothing');
  const long = await client.post(`/s/${id}/title`, { title: 'x'.repeat(121) });
  assert.equal(long.status, 422);
  assert.match(await long.text(), /A title can be at most 120 characters\./);
  await client.post(`/s/${id}/title`, { title: '' });
  assert.match(await client.page(id), /<title>Hello — Ada · Cardtrail<\/title>/, 'empty: the derived title again');
  await client.ct.engine.states.forget(id);
  assert.equal((await client.ct.engine.load(id)).state.title, undefined, 'replayed from the log, the same');
});
