// `cardtrail export --out/--files` never replaces a file unless --force is given, never writes inside the data
// folder (not even with --force), and says which symbolic links a files bundle left out. Real child processes.
import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { readBundle } from '../app/files/bundle.ts';
import { tempDir, testApp } from './support/app.ts';
import { assertFails, run } from './support/cli.ts';
import { tarEntries } from './support/tar.ts';
import { mountTmpfs, unmount } from './support/small-disk.ts';
import { LogStore } from '../app/log/store.ts';
import type { NewEvent } from '../app/log/events.ts';

let base: string;
let data: string;
let id: string;
let other: string;
let cleanup: () => Promise<void>;

before(async () => {
  ({ dir: base, cleanup } = await tempDir('cardtrail-export-safety-'));
  data = join(base, 'logs');
  const ct = await testApp({ dataDir: data });
  try {
    id = await ct.engine.start('hello');
    other = await ct.engine.start('hello');
  } finally {
    ct.close();
  }
});

after(() => cleanup());

async function entryNames(bundle: Buffer): Promise<string[]> {
  return (await tarEntries(bundle)).map(([name]) => name);
}

test('an existing --out or --files is refused with one line and left as it was; --force replaces it whole', async () => {
  const out = join(base, 'kept.jsonl');
  const bundle = join(base, 'kept.tar');
  await writeFile(out, 'mine');
  await writeFile(bundle, 'mine too');
  assertFails(await run(['export', id, '--data', data, '--out', out]), 2, /^\S+kept\.jsonl already exists; nothing was written\. Add --force to overwrite it\.$/m);
  assertFails(await run(['export', id, '--data', data, '--files', bundle]), 2, /kept\.tar already exists; nothing was written\. Add --force/);
  assert.equal(await readFile(out, 'utf8'), 'mine');
  assert.equal(await readFile(bundle, 'utf8'), 'mine too');
  const forced = await run(['export', id, '--data', data, '--out', out, '--files', bundle, '--force']);
  assert.equal(forced.code, 0, forced.err);
  assert.deepEqual(await readFile(out), await readFile(join(data, 'sessions', id, 'log.jsonl')));
  assert.deepEqual(await readBundle(await readFile(bundle)), []);
  assert.deepEqual((await readdir(base)).filter((name) => name.endsWith('.part')), [], 'no temporary file is left');
});

test('a path inside the data folder is refused, even with --force and through a link, and nothing there changes', async () => {
  const otherLog = join(data, 'sessions', other, 'log.jsonl');
  const before = await readFile(otherLog);
  await symlink(join(data, 'sessions', other), join(base, 'into-data'));
  for (const args of [
    ['--out', otherLog],
    ['--out', otherLog, '--force'],
    ['--files', join(data, 'sessions', other, 'new.tar'), '--force'],
    ['--out', join(base, 'into-data', 'log.jsonl'), '--force'],
  ]) assertFails(await run(['export', id, '--data', data, ...args]), 2, /is inside the data folder \S+, where export never writes \(not even with --force\)/);
  assert.deepEqual(await readFile(otherLog), before);
  assert.deepEqual((await readdir(join(data, 'sessions', other))).sort(), ['log.jsonl']);
});

test('a link inside the files folder is named on stderr and in the bundle; a linked files folder fails the export', async () => {
  const files = join(data, 'sessions', id, 'files');
  await mkdir(files, { recursive: true });
  await writeFile(join(files, 'report.txt'), 'report');
  await writeFile(join(base, 'secret'), 'secret');
  await symlink(join(base, 'secret'), join(files, 'linked.txt'));
  const bundle = join(base, 'with-link.tar');
  const r = await run(['export', id, '--data', data, '--files', bundle, '--out', join(base, 'with-link.jsonl')]);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.err, `left out: ${join(files, 'linked.txt')} is a symbolic link\n`);
  const bytes = await readFile(bundle);
  assert.deepEqual(await entryNames(bytes), ['left-out.txt', 'files/report.txt']);
  assert.deepEqual((await readBundle(bytes)).map((f) => f.name), ['report.txt'], 'the note is passed over by import');

  const linkedDir = join(data, 'sessions', other, 'files');
  await mkdir(join(base, 'elsewhere'));
  await writeFile(join(base, 'elsewhere', 'x.txt'), 'x');
  await symlink(join(base, 'elsewhere'), linkedDir);
  const whole = join(base, 'linked-folder.tar');
  assertFails(await run(['export', other, '--data', data, '--files', whole, '--out', join(base, 'linked-folder.jsonl')]), 1, new RegExp(`^left out: ${linkedDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is a symbolic link$`, 'm'));
  assert.deepEqual(await entryNames(await readFile(whole)), ['left-out.txt']);
});

test('an --out the system will not take names why, from the error', async () => {
  assertFails(await run(['export', id, '--data', data, '--out', '/proc/x']), 1, /^Cannot write \/proc\/x: the folder \/proc does not take new files \(ENOENT\)\.$/m);
});

test('an export that meets a full disk leaves no half file and no temporary file behind', async (t) => {
  const small = join(base, 'small');
  await mkdir(small);
  if (!mountTmpfs(small, '64k')) return void t.skip('cannot mount a tmpfs here (needs root)');
  t.after(() => unmount(small));
  const big = 'bigAAAAAAAAAAAAAAAAAA';
  const store = new LogStore(join(data, 'sessions'));
  await store.create(big, { type: 'session.started', workflow: 'hello', version: 'v', forkedFrom: null });
  const notes: NewEvent[] = Array.from({ length: 2_000 }, (_, i) => ({ type: 'note', step: null, text: `note ${i}` }));
  await store.append(big, notes); // far more than 64 KB
  for (const force of [[], ['--force']]) {
    assertFails(await run(['export', big, '--data', data, '--out', join(small, 'log.jsonl'), ...force]), 1, /^Cannot write \S+log\.jsonl: the disk is full\.$/m);
    assert.deepEqual(await readdir(small), [], 'nothing is left on the small disk');
  }
});
