// Cross-site writes (CSRF) and the link an error page builds from HX-Current-URL: the pure decisions, then the
// real app with requests exactly as sent (createApp, not the test support's browser-like wrapper).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { discoverWorkflows } from '../app/engine/discover.ts';
import { crossSiteWrite, sameOriginPath } from '../app/security.ts';
import { createApp } from '../app/server.ts';
import { ROOT, tempDir } from './support/app.ts';
import { join } from 'node:path';

const OWN = 'http://127.0.0.1:5001';

test('a write is accepted from its own origin, a same-origin or user-typed fetch, or a Referer of this server only', () => {
  assert.equal(crossSiteWrite({ origin: OWN }, OWN), undefined);
  assert.match(crossSiteWrite({ origin: 'http://evil.example' }, OWN)!, /evil\.example/);
  assert.match(crossSiteWrite({ origin: 'null' }, OWN)!, /null/, 'a sandboxed or file page sends Origin: null');
  assert.match(crossSiteWrite({ origin: 'http://127.0.0.1:5002' }, OWN)!, /5002/, 'another port is another origin');
  assert.equal(crossSiteWrite({ site: 'same-origin' }, OWN), undefined);
  assert.equal(crossSiteWrite({ site: 'none' }, OWN), undefined);
  assert.match(crossSiteWrite({ site: 'cross-site' }, OWN)!, /cross-site/);
  assert.match(crossSiteWrite({ site: 'same-site' }, OWN)!, /same-site/, 'another port of the same site is not us');
  assert.equal(crossSiteWrite({ referer: `${OWN}/s/abc` }, OWN), undefined);
  assert.match(crossSiteWrite({ referer: 'http://evil.example/page' }, OWN)!, /Referer/);
  assert.match(crossSiteWrite({ referer: 'not a url' }, OWN)!, /Referer/);
  assert.match(crossSiteWrite({}, OWN)!, /no Origin, Sec-Fetch-Site or Referer/);
  // Origin decides when present: a matching Referer does not rescue a foreign Origin.
  assert.ok(crossSiteWrite({ origin: 'http://evil.example', referer: `${OWN}/` }, OWN));
});

test('HX-Current-URL becomes a link only as a path of this origin', () => {
  assert.equal(sameOriginPath(`${OWN}/s/abc?x=1`, OWN), '/s/abc?x=1');
  assert.equal(sameOriginPath('/s/abc', OWN), '/s/abc');
  for (const bad of ['javascript:alert(1)', 'http://evil.example/', '//evil.example/x', 'data:text/html,<script>', 'http://127.0.0.1:5002/'])
    assert.equal(sameOriginPath(bad, OWN), undefined, bad);
  assert.equal(sameOriginPath(undefined, OWN), undefined);
  assert.equal(sameOriginPath('http://[bad', OWN), undefined);
});

test('the real app refuses a write with no Origin, Sec-Fetch-Site or Referer, and takes one with its own Referer', async (t) => {
  const { dir, cleanup } = await tempDir();
  const ct = await createApp({ dataDir: dir, root: ROOT, discovered: await discoverWorkflows(join(ROOT, 'workflows')) });
  t.after(async () => {
    ct.close();
    await cleanup();
  });
  const own = 'http://localhost';
  const post = (headers: Record<string, string>) => ct.app.request('/start/hello', { method: 'POST', headers });
  const bare = await post({});
  assert.equal(bare.status, 403);
  assert.match(await bare.text(), /no Origin, Sec-Fetch-Site or Referer/);
  assert.equal((await post({ referer: 'http://evil.example/' })).status, 403);
  assert.equal((await post({ 'sec-fetch-site': 'cross-site' })).status, 403);
  assert.equal((await post({ origin: 'http://evil.example' })).status, 403);
  assert.deepEqual(await ct.engine.store.list(), [], 'no refused write created a session');
  assert.equal((await post({ referer: `${own}/` })).status, 303, 'an old browser with our own Referer');
  assert.equal((await post({ origin: own })).status, 303);
  assert.equal((await post({ 'sec-fetch-site': 'same-origin' })).status, 303);
  assert.equal((await ct.engine.store.list()).length, 3);
  assert.equal((await ct.app.request('/')).status, 200, 'reads need no header');

  // An htmx error answer links back only to a page of ours, whatever HX-Current-URL claims.
  const htmx = { 'hx-request': 'true', origin: own };
  for (const [claimed, expected] of [
    ['javascript:alert(document.cookie)', '/'],
    ['http://evil.example/phish', '/'],
    [`${own}/s/somewhere`, '/s/somewhere'],
  ]) {
    const res = await ct.app.request('/s/AAAAAAAAAAAAAAAAAAAAA/finalize', { method: 'POST', headers: { ...htmx, 'hx-current-url': claimed } });
    assert.equal(res.status, 404);
    const link = /<a href="([^"]*)">Reload the page<\/a>/.exec(await res.text())?.[1];
    assert.equal(link, expected, claimed);
  }
});
