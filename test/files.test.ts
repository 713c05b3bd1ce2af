// Session files: the name rules (pure), the read side widgets use, atomic writes for jobs, and the
// GET /s/<id>/files/<name> route through the real Node adapter, which must refuse every way out of the folder.
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import test from 'node:test';
import { serve } from '@hono/node-server';
import { fileNameProblem } from '../app/files/names.ts';
import { attachment, contentTypeOf } from '../app/files/content-types.ts';
import { JobFiles } from '../app/files/job-files.ts';
import { SessionFiles } from '../app/files/session-files.ts';
import { requestedName } from '../app/routes/files.ts';
import { tempDir } from './support/app.ts';
import { smallTmpfs } from './support/small-disk.ts';
import { Client } from './support/client.ts';

test('file names: plain relative names pass; climbing, absolute, escaped, reserved and control names are refused', () => {
  for (const ok of ['links.csv', 'out/pages.json', 'a b/ü €.txt', '.hidden', '100%.csv'])
    assert.equal(fileNameProblem(ok), undefined, ok);
  const bad: [unknown, RegExp][] = [
    ['', /needed/],
    [undefined, /needed/],
    ['../log.jsonl', /climb/],
    ['a/../../log.jsonl', /climb/],
    ['./a', /climb/],
    ['..', /climb/],
    ['/etc/passwd', /relative/],
    ['C:/x', /relative/],
    ['a\\..\\b', /backslash/],
    ['a//b', /empty part/],
    ['a/', /empty part/],
    ['%2e%2e/log.jsonl', /percent-escapes/],
    ['..%2flog.jsonl', /percent-escapes/],
    ['a\u0000b', /control/],
    ['a\nb', /control/],
    ['.cardtrail-tmp-x-123', /reserved/],
    ['x'.repeat(256), /255 bytes/],
  ];
  for (const [name, why] of bad) assert.match(fileNameProblem(name) ?? '', why, JSON.stringify(name));
});

test('content types and Content-Disposition are chosen from the name alone', () => {
  assert.equal(contentTypeOf('a/pages.CSV'), 'text/csv; charset=utf-8');
  assert.equal(contentTypeOf('pic.jpeg'), 'image/jpeg');
  assert.equal(contentTypeOf('noext'), 'application/octet-stream');
  assert.equal(attachment('out/links.csv'), `attachment; filename="links.csv"; filename*=UTF-8''links.csv`);
  assert.equal(attachment('ü "x".txt'), `attachment; filename="_ _x_.txt"; filename*=UTF-8''%C3%BC%20%22x%22.txt`);
});

async function folder(t: test.TestContext): Promise<string> {
  const { dir, cleanup } = await tempDir('cardtrail-files-');
  t.after(cleanup);
  return dir;
}

test('the read side lists regular files only: links, temp files and what a link points at stay invisible', async (t) => {
  const dir = await folder(t);
  const files = join(dir, 'files');
  await mkdir(join(files, 'sub'), { recursive: true });
  await writeFile(join(files, 'a.csv'), 'x,y\n1,2\n');
  await writeFile(join(files, 'sub/b.txt'), 'hello');
  await writeFile(join(files, '.cardtrail-tmp-a.csv-123'), 'half');
  await writeFile(join(dir, 'secret.txt'), 'secret');
  await symlink(join(dir, 'secret.txt'), join(files, 'link.txt'));
  await symlink(dir, join(files, 'up'));
  const read = new SessionFiles(files);
  assert.deepEqual(read.list(), [
    { name: 'a.csv', size: 8 },
    { name: 'sub/b.txt', size: 5 },
  ]);
  assert.equal(read.readText('sub/b.txt'), 'hello');
  assert.equal(read.size('a.csv'), 8);
  assert.equal(read.has('link.txt'), false);
  assert.equal(read.has('up/secret.txt'), false);
  assert.throws(() => read.readText('link.txt'), /symbolic link/);
  assert.throws(() => read.readText('up/secret.txt'), /up is a symbolic link/);
  assert.throws(() => read.readText('../secret.txt'), /climb/);
  assert.throws(() => read.readText('missing.txt'), /no file/);
  assert.throws(() => read.readText('a.csv', 4), /more than the 4/);
  assert.equal(new SessionFiles(join(dir, 'nowhere')).list().length, 0);
  assert.equal(read.any(), true);
  assert.equal(new SessionFiles(join(dir, 'nowhere')).any(), false);
  // Only what list would show counts: a folder holding a link, a temp file and an empty sub-folder has none.
  const hidden = join(dir, 'hidden');
  await mkdir(join(hidden, 'empty'), { recursive: true });
  await writeFile(join(hidden, '.cardtrail-tmp-a.csv-123'), 'half');
  await symlink(join(dir, 'secret.txt'), join(hidden, 'link.txt'));
  assert.equal(new SessionFiles(hidden).any(), false);
  await writeFile(join(hidden, 'empty', 'deep.txt'), 'x');
  assert.equal(new SessionFiles(hidden).any(), true, 'a file in a sub-folder counts');
});

test('a files folder that is itself a link is refused', async (t) => {
  const dir = await folder(t);
  await mkdir(join(dir, 'elsewhere'));
  await writeFile(join(dir, 'elsewhere/x.txt'), 'x');
  await symlink(join(dir, 'elsewhere'), join(dir, 'files'));
  const read = new SessionFiles(join(dir, 'files'));
  assert.deepEqual(read.list(), []);
  assert.equal(read.any(), false);
  assert.throws(() => read.readText('x.txt'), /symbolic link/);
  await assert.rejects(new JobFiles(join(dir, 'files')).write('y.txt', 'y'), /symbolic link/);
});

test('write replaces a file whole and leaves no temp file; sub-folders are made; a link on the way is refused', async (t) => {
  const dir = await folder(t);
  const files = new JobFiles(join(dir, 'files'));
  await files.write('out/links.csv', 'a\n');
  await files.write('out/links.csv', 'b\nc\n');
  assert.equal(await readFile(join(dir, 'files/out/links.csv'), 'utf8'), 'b\nc\n');
  assert.deepEqual(await readdir(join(dir, 'files/out')), ['links.csv']);
  await writeFile(join(dir, 'target.txt'), 'untouched');
  await symlink(dir, join(dir, 'files/up'));
  await assert.rejects(files.write('up/target.txt', 'overwritten'), /up is a symbolic link/);
  await symlink(join(dir, 'target.txt'), join(dir, 'files/t.txt'));
  await assert.rejects(files.write('t.txt', 'overwritten'), /symbolic link/);
  assert.equal(await readFile(join(dir, 'target.txt'), 'utf8'), 'untouched');
  await assert.rejects(files.write('../target.txt', 'x'), /climb/);
  await assert.rejects(files.write('out', 'x'), /is a folder/);
});

test('writeStream: readers see the old content until done(); abort keeps the old content', async (t) => {
  const dir = await folder(t);
  const files = new JobFiles(join(dir, 'files'));
  await files.write('big.csv', 'old\n');
  const out = files.writeStream('big.csv');
  for (let i = 0; i < 1000; i++) out.write(`row ${i}\n`);
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(files.readText('big.csv'), 'old\n', 'not visible before done()');
  assert.deepEqual(files.list().map((f) => f.name), ['big.csv'], 'the temp file is not listed');
  await out.done();
  const text = files.readText('big.csv');
  assert.equal(text.split('\n').length, 1001);
  assert.ok(text.startsWith('row 0\n') && text.endsWith('row 999\n'));
  const dropped = files.writeStream('big.csv');
  dropped.write('half');
  await dropped.abort();
  assert.equal(files.readText('big.csv'), text);
  assert.deepEqual(await readdir(join(dir, 'files')), ['big.csv'], 'abort removed its temp file');
});

// ------------------------------------------------------------------------------------------------------------
// The route, through the real Node adapter (raw paths are sent as written, not normalised by a URL parser)
// ------------------------------------------------------------------------------------------------------------

test('the name a files URL asks for is decoded once, part by part; a decoded / or a leftover escape is refused', () => {
  const prefix = '/s/X/files/';
  assert.equal(requestedName(`${prefix}out/a%20b.csv`, prefix), 'out/a b.csv');
  assert.equal(requestedName(`${prefix}100%25.csv`, prefix), '100%.csv');
  for (const raw of ['../log.jsonl', 'a/../../x', '%2e%2e/log.jsonl', '..%2flog.jsonl', '%252e%252e%252fx', '%2fetc', '', 'a%00b', '%E0%A4%A'])
    assert.throws(() => requestedName(prefix + raw, prefix), /not a file of this session|hide a \/|not a valid URL/, raw);
});

type Raw = { status: number; headers: Record<string, string | string[] | undefined>; body: Buffer };

async function listening(t: test.TestContext, client: Client): Promise<(path: string) => Promise<Raw>> {
  const server = serve({ fetch: (req: Request) => client.fetch(req), port: 0, hostname: '127.0.0.1' });
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  await new Promise<void>((resolve) => (server.listening ? resolve() : server.once('listening', () => resolve())));
  const { port } = server.address() as AddressInfo;
  return (path) =>
    new Promise((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      });
      req.on('error', reject);
      req.end();
    });
}

test('GET /s/<id>/files/<name> serves the file with its type, length and an attachment disposition', async (t) => {
  const client = await Client.open(t);
  const id = await client.start('hello');
  const dir = join(client.dir, 'sessions', id, 'files');
  await mkdir(join(dir, 'out'), { recursive: true });
  const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 255]);
  await writeFile(join(dir, 'out/pic.png'), bytes);
  await writeFile(join(dir, 'ü x.csv'), 'a,b\n');
  const get = await listening(t, client);
  const png = await get(`/s/${id}/files/out/pic.png`);
  assert.equal(png.status, 200);
  assert.deepEqual(png.body, bytes);
  assert.equal(png.headers['content-type'], 'image/png');
  assert.equal(png.headers['content-length'], String(bytes.length));
  assert.equal(png.headers['content-disposition'], `attachment; filename="pic.png"; filename*=UTF-8''pic.png`);
  assert.equal(png.headers['x-content-type-options'], 'nosniff');
  assert.match(String(png.headers['content-security-policy']), /default-src 'none'.*sandbox.*frame-ancestors 'none'/);
  assert.equal(png.headers['x-frame-options'], 'DENY', 'a file answered as a stream carries the frame rule too');
  const csv = await get(`/s/${id}/files/${encodeURIComponent('ü x.csv')}`);
  assert.equal(csv.status, 200);
  assert.equal(String(csv.body), 'a,b\n');
  const missing = await get(`/s/${id}/files/missing.csv`);
  assert.equal(missing.status, 404);
  assert.equal(missing.headers['x-frame-options'], 'DENY', 'an error page carries the frame rule');
  const tar = await get(`/s/${id}/files.tar`);
  assert.equal(tar.headers['x-frame-options'], 'DENY');
  assert.equal(tar.headers['content-type'], 'application/x-tar');
  assert.equal((await get(`/s/AAAAAAAAAAAAAAAAAAAAA/files/out/pic.png`)).status, 404);
});

test('the files route refuses traversal, encoded traversal, links and other sessions, and never sends their bytes', async (t) => {
  const client = await Client.open(t);
  const id = await client.start('hello');
  const other = await client.start('hello');
  const mine = join(client.dir, 'sessions', id, 'files');
  const theirs = join(client.dir, 'sessions', other, 'files');
  await mkdir(mine, { recursive: true });
  await mkdir(theirs, { recursive: true });
  await writeFile(join(theirs, 'secret.txt'), 'THEIR SECRET');
  await writeFile(join(mine, 'ok.txt'), 'mine');
  await symlink(join(theirs, 'secret.txt'), join(mine, 'link.txt'));
  await symlink(theirs, join(mine, 'theirs'));
  await symlink(join(client.dir, 'sessions', id, 'log.jsonl'), join(mine, 'log.txt'));
  const get = await listening(t, client);
  // Plain and %2e dot segments are resolved by the URL parser before routing (they reach the page they name,
  // outside the files route); the requestedName test covers them. These survive parsing and reach the route:
  const attempts = [
    `/s/${id}/files/%2E%2E%2Flog.jsonl`,
    `/s/${id}/files/..%2f..%2f${other}%2ffiles%2fsecret.txt`,
    `/s/${id}/files/%252e%252e%252flog.jsonl`,
    `/s/${id}/files/..%5c..%5c${other}%5cfiles%5csecret.txt`,
    `/s/${id}/files/%2fetc%2fpasswd`,
    `/s/${id}/files//etc/passwd`,
    `/s/${id}/files/ok.txt%00.png`,
    `/s/${id}/files/link.txt`,
    `/s/${id}/files/log.txt`,
    `/s/${id}/files/theirs/secret.txt`,
  ];
  for (const path of attempts) {
    const res = await get(path);
    assert.ok([400, 404].includes(res.status), `${path}: ${res.status}`);
    assert.ok(!String(res.body).includes('THEIR SECRET') && !String(res.body).includes('session.started'), `${path} leaked`);
  }
  assert.equal((await get(`/s/${id}/files/link.txt`)).status, 400, 'a link is refused as such');
  assert.match(String((await get(`/s/${id}/files/theirs/secret.txt`)).body), /theirs is a symbolic link/);
  assert.equal(String((await get(`/s/${id}/files/ok.txt`)).body), 'mine', 'the folder still serves its own file');
  assert.equal(String((await get(`/s/${other}/files/secret.txt`)).body), 'THEIR SECRET', 'and the other session its own');
});

test('a full disk fails a write with its reason and leaves the previous file whole and no temp file behind', async (t) => {
  const dir = await smallTmpfs(t, '1m');
  if (!dir) return;
  const files = new JobFiles(join(dir, 'files'));
  await files.write('report.csv', 'old\n');
  await assert.rejects(files.write('report.csv', Buffer.alloc(2 * 1024 * 1024, 1)), /^Error: the disk is full: report.csv could not be written$/);
  assert.equal(files.readText('report.csv'), 'old\n');
  const out = files.writeStream('report.csv');
  out.on('error', () => {});
  for (let i = 0; i < 40; i++) out.write(Buffer.alloc(64 * 1024, 2));
  await assert.rejects(out.done(), /^Error: the disk is full: report.csv could not be written$/);
  assert.equal(files.readText('report.csv'), 'old\n');
  assert.deepEqual(await readdir(join(dir, 'files')), ['report.csv'], 'no temp file left');
});
