import assert from 'node:assert/strict';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { serve } from '@hono/node-server';
import fc from 'fast-check';
import { Hono } from 'hono';
import { declaredWithin, formFields } from '../app/routes/form-body.ts';
import { Client, sessionOf } from './support/client.ts';

/**
 * A url-encoded body sent with its length is read straight from node's request; the same body sent chunked
 * (no length) goes through Hono's parser. Both must give the same fields, for any body.
 */
async function withServer(run: (post: (body: Buffer, chunked: boolean) => Promise<{ fields: [string, string[]][]; declared: boolean }>) => Promise<void>) {
  const app = new Hono();
  app.post('/', async (c) => c.json({ declared: declaredWithin(c, 1024 * 1024), fields: [...(await formFields(c))] }));
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((ready) => server.once('listening', ready));
  const { port } = server.address() as AddressInfo;
  const post = (body: Buffer, chunked: boolean) =>
    new Promise<{ fields: [string, string[]][]; declared: boolean }>((done, fail) => {
      const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
      if (!chunked) headers['content-length'] = String(body.length);
      const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/', headers }, (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (c) => (text += c));
        res.on('end', () => (res.statusCode === 200 ? done(JSON.parse(text)) : fail(new Error(`${res.statusCode} ${text}`))));
      });
      req.on('error', fail);
      // Sent in two pieces, so a character may be split between them.
      req.write(body.subarray(0, body.length >> 1));
      req.end(body.subarray(body.length >> 1));
    });
  try {
    await run(post);
  } finally {
    await new Promise((closed) => server.close(closed));
  }
}

test('a url-encoded form read straight from the request gives what the framework parser gives', async () => {
  await withServer(async (post) => {
    const known = Buffer.from('a=1&b=two+words&a=%C3%A9t%C3%A9&c%5B%5D=x&empty=&bad=%E0%A4%A&noval&%zz=1&=v');
    const direct = await post(known, false);
    const parsed = await post(known, true);
    assert.equal(direct.declared, true, 'a declared length is what the fast path needs');
    assert.equal(parsed.declared, false, 'a chunked body is left to the framework');
    assert.deepEqual(direct.fields, parsed.fields);
    assert.deepEqual(Object.fromEntries(direct.fields).a, ['1', 'été'], 'repeated names keep every value in order');
    assert.deepEqual(Object.fromEntries(direct.fields).b, ['two words']);

    const piece = fc.oneof(fc.string({ unit: 'grapheme' }), fc.constantFrom('=', '&', '+', '%', '%2', '%ZZ', '%C3', '[]', '.'));
    const body = fc.array(piece, { maxLength: 12 }).map((parts) => Buffer.from(parts.join(''), 'utf8'));
    await fc.assert(
      fc.asyncProperty(body, async (b) => {
        assert.deepEqual((await post(b, false)).fields, (await post(b, true)).fields);
      }),
      { numRuns: 60 },
    );
  });
});

test('through the real adapter, forms are read whole and held to 1 MB whether their length is declared or not', async (t) => {
  const client = await Client.open(t);
  const server = serve({ fetch: client.ct.app.fetch, port: 0, hostname: '127.0.0.1' });
  t.after(() => new Promise<void>((closed) => server.close(() => closed())));
  await new Promise((ready) => (server.listening ? ready(undefined) : server.once('listening', ready)));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const id = sessionOf(await client.request('/start/hello', { method: 'POST' }));
  // The body goes in 64 KB writes, each after the last is sent, so a server that answers early (413) is heard.
  const send = (text: string, chunked: boolean) =>
    new Promise<number>((done, fail) => {
      const body = Buffer.from(new URLSearchParams({ step: '', text }).toString());
      const headers: Record<string, string> = { origin, 'content-type': 'application/x-www-form-urlencoded' };
      if (!chunked) headers['content-length'] = String(body.length);
      let answered = false;
      const req = request(`${origin}/s/${id}/notes`, { method: 'POST', headers }, (res) => {
        answered = true;
        res.resume();
        res.on('end', () => done(res.statusCode ?? 0));
      });
      req.on('error', (err) => answered || fail(new Error(`${chunked ? 'chunked' : 'declared'} ${body.length} B: ${err.message}`)));
      const from = (at: number): void => {
        if (at >= body.length || answered) return void req.end();
        req.write(body.subarray(at, at + 65536), () => from(at + 65536));
      };
      from(0);
    });
  assert.equal(await send('déjà vu & more', false), 303);
  assert.equal(await send('sent in chunks', true), 303);
  const big = 'x'.repeat(1024 * 1024);
  assert.equal(await send(big, false), 413, 'a declared length over 1 MB');
  // A chunked body is counted as it arrives; the server answers 413 as it passes 1 MB and drops the rest, so
  // the client may see the connection cut before it reads the answer.
  assert.equal(await send(big, true).catch((err: Error) => (/socket hang up|ECONNRESET|EPIPE/.test(err.message) ? 413 : 0)), 413, 'a chunked body over 1 MB');
  const notes = (await client.events(id)).flatMap((e) => (e.type === 'note' ? [e.text] : []));
  assert.deepEqual(notes, ['déjà vu & more', 'sent in chunks'], 'both forms read whole; nothing of the large ones');
});
