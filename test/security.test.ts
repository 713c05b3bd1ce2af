// Security end to end through the real app: the Host check, forged logs, framing and limits (the passphrase
// has its own file, security-signin.test.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chainHash } from '../app/log/chain.ts';
import { tempApp } from './support/app.ts';

test('without a passphrase, a Host that is not this server is refused', async (t) => {
  const ct = await tempApp(t, { hosts: ['127.0.0.1'] });
  assert.equal((await ct.app.request('http://rebound.example:5001/')).status, 403);
  assert.equal((await ct.app.request('http://127.0.0.1:5001/')).status, 200);
});

test('a forged log whose chain is valid but whose names reach the prototype is refused at import, and nothing is written', async (t) => {
  const ct = await tempApp(t);
  const forge = (lines: Record<string, unknown>[]) => {
    let previous = '';
    return lines
      .map((line, i) => {
        const event = { seq: i + 1, at: new Date().toISOString(), ...line };
        const sealed = { ...event, hash: chainHash(previous, event as never) };
        previous = sealed.hash;
        return JSON.stringify(sealed) + '\n';
      })
      .join('');
  };
  const start = { type: 'session.started', workflow: 'hello', version: 'x', forkedFrom: null };
  for (const [what, line] of [
    ['a step named __proto__', { type: 'param.set', step: '__proto__', key: 'default', value: 'PWNED', source: 'user' }],
    ['a key named __proto__', { type: 'param.set', step: 'name', key: '__proto__', value: { polluted: true }, source: 'user' }],
    ['a note on a step named constructor', { type: 'note', step: 'constructor', text: 'x' }],
    ['a source that does not exist', { type: 'param.set', step: 'name', key: 'name', value: 'Ada', source: 'admin' }],
  ] as const) {
    const form = new FormData();
    form.append('log', new File([forge([start, line, { type: 'step.completed', step: 'name' }])], 'forged.jsonl'));
    const res = await ct.app.request('/import', { method: 'POST', body: form });
    assert.equal(res.status, 422, what);
    assert.match(await res.text(), /forged\.jsonl was not imported: line 2/, what);
  }
  assert.equal(({} as Record<string, unknown>).default, undefined, 'Object.prototype untouched');
  assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype untouched');
  assert.deepEqual(await ct.engine.store.list(), [], 'no session was created');
  assert.equal((await ct.app.request('/')).status, 200, 'the server still answers');
});

test('pages forbid framing; a malformed form is a 400 and a body over the limit a 413, both answered so htmx can swap them', async (t) => {
  const ct = await tempApp(t);
  const home = await ct.app.request('/');
  assert.equal(home.headers.get('x-frame-options'), 'DENY');
  assert.equal(home.headers.get('content-security-policy'), "frame-ancestors 'none'");

  const id = (await ct.app.request('/start/hello', { method: 'POST' })).headers.get('location')!.slice('/s/'.length);
  const htmx = { 'hx-request': 'true' };
  const broken = await ct.app.request(`/s/${id}/steps/name`, {
    method: 'POST',
    headers: { ...htmx, 'content-type': 'multipart/form-data; boundary=x' },
    body: 'not a multipart body',
  });
  assert.equal(broken.status, 400);
  assert.match(await broken.text(), /^<section id="trail">.*The form could not be read\./s);

  const huge = await ct.app.request(`/s/${id}/steps/name`, {
    method: 'POST',
    headers: htmx,
    body: new URLSearchParams({ name: 'x'.repeat(1024 * 1024 + 1) }),
  });
  assert.equal(huge.status, 413);
  assert.match(await huge.text(), /^<section id="trail">.*larger than 1 MB/s, 'htmx gets a trail to swap in, not bare text');
  assert.equal((await ct.engine.store.read(id)).length, 1, 'nothing was appended');
});
