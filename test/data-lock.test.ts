// One server per data folder: a second `cardtrail serve` on it is refused before it reads or changes anything,
// so the first one's running job is neither marked interrupted nor cut off; a lock a killed server left behind
// is taken over.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { lstat, mkdir, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { holds, LOCK_FILE } from '../app/data-lock.ts';
import { ROOT, tempDir } from './support/app.ts';
import { startServer } from './support/server-process.ts';

test('a lock is held by a live Cardtrail process only', () => {
  const alive = (pid: number) => pid !== 404;
  const command = (pid: number) => ({ 1: '/usr/bin/node bin/cardtrail.js serve --port 0', 2: 'bash', 3: undefined })[pid as 1 | 2 | 3];
  assert.equal(holds({ pid: 1 }, alive, command), true, 'a live cardtrail');
  assert.equal(holds({ pid: 2 }, alive, command), false, 'a pid reused by another program');
  assert.equal(holds({ pid: 3 }, alive, command), true, 'alive, command unknown: assume it holds');
  assert.equal(holds({ pid: 404 }, alive, command), false, 'a dead process');
  assert.equal(holds(undefined, alive, command), false, 'an unreadable lock');
});

async function post(url: string, origin: string, form: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { origin }, body: new URLSearchParams(form), redirect: 'manual' });
}

test('a second server on the same data folder is refused and changes nothing; the first one\'s job runs to its end', async (t) => {
  const { dir, cleanup } = await tempDir('cardtrail-lock-');
  t.after(cleanup);
  const first = await startServer({ dataDir: dir });
  t.after(() => first.stop());
  const id = (await post(`${first.url}/start/ticker`, first.url)).headers.get('location')!.split('/').pop()!;
  assert.equal((await post(`${first.url}/s/${id}/steps/simulate`, first.url, { ticks: '15', interval: '100', failAt: '' })).status, 303);
  const log = join(dir, 'sessions', id, 'log.jsonl');
  const before = await readFile(log, 'utf8');
  assert.match(before, /"job\.started"/);

  const second = spawnSync(process.execPath, [join(ROOT, 'bin/cardtrail.js'), 'serve', '--port', '0', '--data', dir, '--no-open'], { encoding: 'utf8', timeout: 20_000 });
  assert.equal(second.status, 1, second.stderr);
  assert.match(second.stderr, /^Another Cardtrail server \(process \d+\) is serving the data folder .+\. Stop it first, or serve another folder with --data\.\n$/);
  assert.doesNotMatch(second.stdout, /interrupted/);

  let events = '';
  for (let i = 0; i < 200 && !/"job\.finished"/.test(events); i++) {
    await new Promise((r) => setTimeout(r, 50));
    events = await readFile(log, 'utf8');
  }
  assert.match(events, /"job\.finished"/, 'the first server recorded its job');
  assert.doesNotMatch(events, /"job\.interrupted"/);
  assert.ok(events.startsWith(before), 'nothing but the first server wrote to the log');
});

test('a lock left by a killed server, or one not readable, is taken over', async (t) => {
  const { dir, cleanup } = await tempDir('cardtrail-lock-');
  t.after(cleanup);
  const killed = await startServer({ dataDir: dir });
  await killed.kill('SIGKILL');
  const lock = join(dir, LOCK_FILE);
  assert.equal(await readlink(lock), String(killed.pid), 'the kill left its lock');
  const next = await startServer({ dataDir: dir });
  assert.equal((await fetch(`${next.url}/`)).status, 200);
  await next.stop();
  await assert.rejects(lstat(lock), /ENOENT/, 'a server that stops lets the folder go');
  // Whatever else is found at the name is no lock: a file, or a link to a path (never followed, only removed).
  const outside = join(dir, 'outside.txt');
  await writeFile(outside, 'kept');
  for (const plant of [() => writeFile(lock, '{"pid":'), () => symlink(outside, lock)]) {
    await plant();
    const started = await startServer({ dataDir: dir });
    await started.stop();
  }
  assert.equal(await readFile(outside, 'utf8'), 'kept');
  await mkdir(lock);
  const refused = spawnSync(process.execPath, [join(ROOT, 'bin/cardtrail.js'), 'serve', '--port', '0', '--data', dir, '--no-open'], { encoding: 'utf8', timeout: 20_000 });
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /serving\.lock is not Cardtrail's lock and is in its way: remove it, then start again\./);
  await rm(lock, { recursive: true });
});
