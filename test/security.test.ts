// Serving beyond loopback: the passphrase guards every request, in place of the Host check.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { discoverWorkflows } from '../app/engine/discover.ts';
import { createApp } from '../app/server.ts';
import { ROOT, tempDir } from './support/app.ts';

const basic = (password: string) => ({ authorization: `Basic ${Buffer.from(`cardtrail:${password}`).toString('base64')}` });

test('with a passphrase, every request needs it, and any Host name may carry it', async (t) => {
  const { dir, cleanup } = await tempDir();
  const discovered = await discoverWorkflows(join(ROOT, 'workflows'));
  const ct = await createApp({ dataDir: dir, root: ROOT, discovered, hosts: ['0.0.0.0'], passphrase: 'open sesame' });
  t.after(async () => {
    ct.close();
    await cleanup();
  });
  const lan = 'http://192.0.2.7:5001';
  assert.equal((await ct.app.request(`${lan}/`)).status, 401, 'no passphrase');
  assert.equal((await ct.app.request(`${lan}/`, { headers: basic('wrong') })).status, 401, 'a wrong passphrase');
  assert.equal((await ct.app.request(`${lan}/`, { headers: basic('open sesame') })).status, 200, 'the passphrase, from a LAN address');
  assert.equal((await ct.app.request(`${lan}/assets/htmx.min.js`)).status, 401, 'assets too');
  const start = await ct.app.request(`${lan}/start/hello`, { method: 'POST', headers: { ...basic('open sesame'), origin: 'http://evil.example' } });
  assert.equal(start.status, 403, 'a cross-origin write is still refused');
});

test('without a passphrase, a Host that is not this server is refused', async (t) => {
  const { dir, cleanup } = await tempDir();
  const discovered = await discoverWorkflows(join(ROOT, 'workflows'));
  const ct = await createApp({ dataDir: dir, root: ROOT, discovered, hosts: ['127.0.0.1'] });
  t.after(async () => {
    ct.close();
    await cleanup();
  });
  assert.equal((await ct.app.request('http://rebound.example:5001/')).status, 403);
  assert.equal((await ct.app.request('http://127.0.0.1:5001/')).status, 200);
});
