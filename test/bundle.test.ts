// The files bundle: a session's files as a .tar beside its .jsonl, and import taking both back. Bundles that
// hold links, climbing names or junk are refused before anything is imported.
import assert from 'node:assert/strict';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import test from 'node:test';
import tar from 'tar-stream';
import { packFiles, readBundle } from '../app/files/bundle.ts';
import { SessionFiles } from '../app/files/session-files.ts';
import { spawnSync } from 'node:child_process';
import { ROOT, tempDir } from './support/app.ts';
import { Client, hello } from './support/client.ts';
import { startServer } from './support/server-process.ts';
import { tarEntries } from './support/tar.ts';
import { get as httpGet } from 'node:http';

type Entry = { name: string; type: 'file' | 'directory' | 'symlink' | 'link'; linkname?: string };

async function tarOf(entries: Entry[]): Promise<Buffer> {
  const pack = tar.pack();
  for (const h of entries) {
    if (h.type === 'file') pack.entry(h, Buffer.from(`content of ${h.name}`));
    else pack.entry(h);
  }
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks);
}

test('pack then read gives back every regular file byte for byte; links and temp files are left out', async (t) => {
  const { dir, cleanup } = await tempDir('cardtrail-bundle-');
  t.after(cleanup);
  await mkdir(join(dir, 'files/sub'), { recursive: true });
  const big = Buffer.alloc(300_000, 7);
  await writeFile(join(dir, 'files/a.csv'), 'a,b\n');
  await writeFile(join(dir, 'files/sub/big.bin'), big);
  await writeFile(join(dir, 'files/.cardtrail-tmp-x-1'), 'half');
  await writeFile(join(dir, 'secret'), 'secret');
  await symlink(join(dir, 'secret'), join(dir, 'files/link'));
  const bytes = await collect(packFiles(new SessionFiles(join(dir, 'files'))));
  const files = await readBundle(bytes);
  assert.deepEqual(files.map((f) => f.name), ['a.csv', 'sub/big.bin']);
  assert.equal(String(files[0].data), 'a,b\n');
  assert.deepEqual(files[1].data, big);
});

test('a bundle with a link, a climbing or absolute name, or that is not a tar is refused', async () => {
  await assert.rejects(readBundle(await tarOf([{ name: 'link', type: 'symlink', linkname: '/etc/passwd' }])), /link is a symlink, and only plain files/);
  await assert.rejects(readBundle(await tarOf([{ name: 'hard', type: 'link', linkname: 'x' }])), /only plain files/);
  await assert.rejects(readBundle(await tarOf([{ name: 'files/../escape.txt', type: 'file' }])), /climb out/);
  await assert.rejects(readBundle(await tarOf([{ name: '/etc/cron.d/x', type: 'file' }])), /not under files\//);
  await assert.rejects(readBundle(Buffer.alloc(1024, 1)), /not a readable tar/);
  await assert.rejects(readBundle(await tarOf([{ name: 'files//etc/x', type: 'file' }])), /must be relative/);
  await assert.rejects(readBundle(await tarOf([{ name: 'elsewhere.txt', type: 'file' }])), /not under files\//);
  assert.deepEqual((await readBundle(await tarOf([{ name: 'files/d', type: 'directory' }, { name: './files/d/ok.txt', type: 'file' }]))).map((f) => f.name), ['d/ok.txt']);
});

test('a session exports its files as a .tar; import takes the log and the bundle back into a new session', async (t) => {
  const client = await Client.open(t);
  const id = await hello(client, 'Ada', null);
  const files = join(client.dir, 'sessions', id, 'files');
  await mkdir(join(files, 'out'), { recursive: true });
  await writeFile(join(files, 'out/r.csv'), 'x\n1\n');
  assert.match(await client.page(id), /href="\/s\/[^"]+\/files.tar" download="">Download files \(.tar\)/);
  const res = await client.get(`/s/${id}/files.tar`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/x-tar');
  assert.match(res.headers.get('content-disposition') ?? '', /hello-.*-files\.tar/);
  const bundle = Buffer.from(await res.arrayBuffer());

  const form = new FormData();
  form.append('log', new File([new Uint8Array(await client.logBytes(id))], `hello-${id}.jsonl`));
  form.append('files', new File([new Uint8Array(bundle)], `hello-${id}-files.tar`));
  const imported = await client.request('/import', { method: 'POST', body: form });
  assert.equal(imported.status, 303, await imported.clone().text());
  const copy = /\/s\/(.+)$/.exec(imported.headers.get('location')!)![1];
  assert.notEqual(copy, id);
  assert.equal(await readFile(join(client.dir, 'sessions', copy, 'files/out/r.csv'), 'utf8'), 'x\n1\n');
});

test('the files download names the links it left out in a first entry, left-out.txt, which import passes over', async (t) => {
  const client = await Client.open(t);
  const id = await hello(client, 'Ada', null);
  const files = join(client.dir, 'sessions', id, 'files');
  await mkdir(join(files, 'out'), { recursive: true });
  await writeFile(join(files, 'out/r.csv'), 'x\n');
  await writeFile(join(client.dir, 'outside.txt'), 'outside');
  await symlink(join(client.dir, 'outside.txt'), join(files, 'out/linked.txt'));
  const bundle = Buffer.from(await (await client.get(`/s/${id}/files.tar`)).arrayBuffer());
  const entries = await tarEntries(bundle);
  assert.deepEqual(entries.map(([name]) => name), ['left-out.txt', 'files/out/r.csv']);
  assert.match(entries[0][1], /never followed.*\nleft out: files\/out\/linked\.txt is a symbolic link\n$/s);
  assert.deepEqual((await readBundle(bundle)).map((f) => f.name), ['out/r.csv']);
});

test('an import whose bundle is bad is refused whole: no session is made', async (t) => {
  const client = await Client.open(t);
  const id = await hello(client, 'Ada', null);
  const before = await client.sessionIds();
  for (const [bytes, why] of [
    [await tarOf([{ name: 'files/../../x', type: 'file' }]), /climb out/],
    [Buffer.from('not a tar at all'), /not a .tar bundle/],
  ] as const) {
    const form = new FormData();
    form.append('log', new File([new Uint8Array(await client.logBytes(id))], 'h.jsonl'));
    form.append('files', new File([new Uint8Array(bytes)], 'bad.tar'));
    const res = await client.request('/import', { method: 'POST', body: form });
    assert.equal(res.status, 422);
    assert.match(await res.text(), why);
  }
  assert.deepEqual(await client.sessionIds(), before);
});

test('cardtrail export --files writes the session\'s files bundle beside the log', async (t) => {
  const client = await Client.open(t);
  const id = await hello(client, 'Ada', null);
  await mkdir(join(client.dir, 'sessions', id, 'files'), { recursive: true });
  await writeFile(join(client.dir, 'sessions', id, 'files/report.txt'), 'report');
  const { dir, cleanup } = await tempDir('cardtrail-export-');
  t.after(cleanup);
  const env = { ...process.env };
  delete env.NODE_TEST_CONTEXT;
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/cardtrail.js'), 'export', id, '--data', client.dir, '--out', join(dir, 'log.jsonl'), '--files', join(dir, 'files.tar')], { env, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(await readFile(join(dir, 'log.jsonl')), await client.logBytes(id));
  const files = await readBundle(await readFile(join(dir, 'files.tar')));
  assert.deepEqual(files.map((f) => [f.name, String(f.data)]), [['report.txt', 'report']]);
});

test('a files download cancelled midway leaves the server serving', async (t) => {
  const client = await Client.open(t);
  const id = await hello(client, 'Ada', null);
  const files = join(client.dir, 'sessions', id, 'files');
  await mkdir(files, { recursive: true });
  // Several files larger than a socket's buffers, so the tar is mid-file when the reader goes.
  for (const n of [1, 2, 3]) await writeFile(join(files, `big-${n}.bin`), Buffer.alloc(8 * 1024 * 1024, n));
  client.ct.close();
  const server = await startServer({ dataDir: client.dir });
  t.after(() => server.stop());
  for (let round = 0; round < 3; round++) {
    const got = await new Promise<number>((resolve, reject) => {
      const req = httpGet(`${server.url}/s/${id}/files.tar`, (res) => {
        let bytes = 0;
        res.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          if (bytes > 64 * 1024) {
            req.destroy(); // the person cancels the download
            resolve(bytes);
          }
        });
      });
      req.on('error', () => undefined);
      req.setTimeout(10_000, () => reject(new Error('no bytes')));
    });
    assert.ok(got > 64 * 1024);
    await new Promise((r) => setTimeout(r, 200));
    const home = await fetch(`${server.url}/`, { signal: AbortSignal.timeout(10_000) });
    assert.equal(home.status, 200, `the server still answers after cancelled download ${round + 1}`);
  }
  const whole = await fetch(`${server.url}/s/${id}/files.tar`);
  assert.equal((await whole.arrayBuffer()).byteLength > 24 * 1024 * 1024, true, 'a download that is not cancelled is whole');
  assert.doesNotMatch(server.output(), /AbortError|ABORT_ERR|Unhandled/);
});
