// A 50 MB upload through the real server over real HTTP: the file streams to disk while it arrives, so the
// server's memory stays flat (RSS is sampled in this process, which runs the server), and the 1 MB form limit
// does not apply to it while the field's own limit does.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, readdir, stat } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { serve } from '@hono/node-server';
import { Client } from './support/client.ts';

const MB = 1024 * 1024;

/** Posts a multipart form whose file part is `size` bytes made on the fly, never held whole. */
function postStreamed(port: number, path: string, fields: Record<string, string>, file: { field: string; name: string; size: number }): Promise<{ status: number; body: string; sha256: string }> {
  const boundary = '----cardtrail' + Math.random().toString(16).slice(2);
  const head =
    Object.entries(fields)
      .map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
      .join('') + `--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.name}"\r\nContent-Type: text/plain\r\n\r\n`;
  const tail = `\r\n--${boundary}--\r\n`;
  const chunk = Buffer.alloc(64 * 1024, 'keyword\n');
  const hash = createHash('sha256');
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: 'POST', headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': Buffer.byteLength(head) + file.size + Buffer.byteLength(tail) } },
      (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (text: string) => (body += text));
        res.on('end', () => resolve({ status: res.statusCode!, body, sha256: hash.digest('hex') }));
      },
    );
    req.on('error', reject);
    req.write(head);
    let sent = 0;
    const more = () => {
      while (sent < file.size) {
        const part = chunk.subarray(0, Math.min(chunk.length, file.size - sent));
        sent += part.length;
        hash.update(part);
        if (!req.write(part)) return void req.once('drain', more);
      }
      req.end(tail);
    };
    more();
  });
}

test('a 50 MB upload streams to disk with flat server memory; past the field’s limit it is refused with a message', { timeout: 120_000 }, async (t) => {
  const client = await Client.open(t);
  const server = serve({ fetch: (req) => client.fetch(req), hostname: '127.0.0.1', port: 0 });
  t.after(() => server.close());
  await new Promise((resolve) => server.once('listening', resolve));
  const port = (server.address() as AddressInfo).port;

  const id = await client.start('kitchen-sink');
  await client.submit(id, 'basics', { name: 'Ada', depth: '2', level: '5', pace: 'slow', size: 's', columns: ['id'], agree: 'on' });
  await client.submit(id, 'times', { start: '2026-01-01', at: '09:00', slot: '1 hour' });
  await client.submit(id, 'links', { site: 'https://example.com/', contact: 'a@example.com', code: 'ABC-123', config: '{}' });

  // A first, smaller upload warms the server up (heap spaces grown, code compiled), so what follows measures the
  // upload itself.
  const warm = await postStreamed(port, `/s/${id}/steps/access`, { token: 'tok_0123456789abcdef' }, { field: 'keywords', name: 'warm.txt', size: 8 * MB });
  assert.equal(warm.status, 303);
  await client.act(`/s/${id}/steps/access/revert`);
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  const sent = await postStreamed(port, `/s/${id}/steps/access`, { token: 'tok_0123456789abcdef' }, { field: 'keywords', name: 'big.txt', size: 50 * MB });
  clearInterval(sampler);
  assert.equal(sent.status, 303, 'accepted (the 1 MB form limit does not apply to uploads)');

  const stored = join(client.dir, 'sessions', id, 'uploads', sent.sha256);
  assert.equal((await stat(stored)).size, 50 * MB, 'stored whole under its sha256');
  const grew = (peak - baseline) / MB;
  console.log(`# RSS before ${(baseline / MB).toFixed(1)} MB, peak during a 50 MB upload ${(peak / MB).toFixed(1)} MB (+${grew.toFixed(1)} MB)`);
  // Buffering the body would need at least the file's 50 MB (a parsed copy doubles that); streaming needs buffers.
  assert.ok(grew < 40, `the server held the upload in memory: RSS grew ${grew.toFixed(1)} MB`);

  // Past the field's own limit (64 MB): refused with the field's message, the partial file not kept.
  await client.act(`/s/${id}/steps/access/revert`);
  const over = await postStreamed(port, `/s/${id}/steps/access`, { token: 'tok_0123456789abcdef' }, { field: 'keywords', name: 'huge.txt', size: 65 * MB });
  assert.equal(over.status, 422);
  assert.match(over.body, /Keyword list may be at most 64 MB\./);
  await assert.rejects(stat(join(client.dir, 'sessions', id, 'uploads', over.sha256)));
});

test('an upload onto a full disk is refused with a message, leaves no partial file, and records nothing', { timeout: 60_000 }, async (t) => {
  const client = await Client.open(t);
  const id = await client.start('kitchen-sink');
  await client.submit(id, 'basics', { name: 'Ada', depth: '2', level: '5', pace: 'slow', size: 's', columns: ['id'], agree: 'on' });
  await client.submit(id, 'times', { start: '2026-01-01', at: '09:00', slot: '1 hour' });
  await client.submit(id, 'links', { site: 'https://example.com/', contact: 'a@example.com', code: 'ABC-123', config: '{}' });
  // The session's uploads folder becomes a 1 MB tmpfs (root only; skipped elsewhere).
  const uploads = join(client.dir, 'sessions', id, 'uploads');
  await mkdir(uploads, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', uploads], { stdio: 'ignore' });
  } catch {
    t.skip('cannot mount a tmpfs here (needs root)');
    return;
  }
  try {
    await refusedOnFullDisk(client, id, uploads);
  } finally {
    execFileSync('umount', [uploads]);
  }
});

async function refusedOnFullDisk(client: Client, id: string, uploads: string): Promise<void> {
  const before = await client.logBytes(id);
  const form = new FormData();
  form.append('token', 'tok_0123456789abcdef');
  form.append('keywords', new File([new Uint8Array(3 * MB).fill(65)], 'big.txt', { type: 'text/plain' }));
  const res = await client.request(`/s/${id}/steps/access`, { method: 'POST', body: form, headers: { 'hx-request': 'true' } });
  const body = await res.text();
  assert.equal(res.status, 422, body.slice(0, 4000));
  assert.match(body, /There is no room left on the disk for the file, so nothing was recorded\./, body.slice(0, 3000));
  assert.deepEqual(await readdir(uploads), [], 'no partial file is left');
  assert.deepEqual(await client.logBytes(id), before);
}
