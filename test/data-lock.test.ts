// One server per data folder: a second `cardtrail serve` on it is refused before it reads or changes anything,
// so the first one's running job is neither marked interrupted nor cut off; a lock a killed server left behind
// is taken over.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { lstat, mkdir, readdir, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { FolderInUse, LOCK_FILE, lockDataFolder, THIS_PROCESS, type LockMoves } from '../app/data-lock.ts';
import { holds, LOCK_TRIES, nextMove } from '../app/data-lock-decision.ts';
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

test('what a start does when the lock\'s name is taken', () => {
  const stale = { holder: { pid: 999 }, held: false };
  const live = { holder: { pid: 1001 }, held: true };
  assert.deepEqual(nextMove(live, 1002, 1), { kind: 'in-use', pid: 1001 });
  assert.deepEqual(nextMove(live, 1002, 2), { kind: 'in-use', pid: 1001 }, 'the loser of a race for a stale lock, on its second try');
  assert.deepEqual(nextMove(live, 1002, LOCK_TRIES), { kind: 'in-use', pid: 1001 }, 'a live holder is always said, however many tries');
  assert.deepEqual(nextMove(stale, 1002, 1), { kind: 'take-over' });
  assert.deepEqual(nextMove(stale, 1002, LOCK_TRIES - 1), { kind: 'take-over' });
  assert.deepEqual(nextMove(stale, 1002, LOCK_TRIES), { kind: 'give-up' });
  assert.deepEqual(nextMove({ holder: undefined, held: false }, 1002, 1), { kind: 'take-over' }, 'something else at the name');
  assert.deepEqual(nextMove({ holder: { pid: 1002 }, held: true }, 1002, 1), { kind: 'own' });
});

// Two starts, A (pid 1001) and B (pid 1002), both live Cardtrail processes, race for a lock left by a dead one
// (pid 999), on the real disk; the moment of A's start inside B's is chosen, so the race runs the same every time.
const A = 1001;
const B = 1002;
function start(pid: number, between: Partial<Record<'judged' | 'removed', () => void>> = {}): LockMoves {
  return {
    ...THIS_PROCESS,
    pid,
    alive: (p) => p === A || p === B,
    commandOf: () => 'node bin/cardtrail.js serve --port 0',
    holder: (file) => {
      const holder = THIS_PROCESS.holder(file);
      between.judged?.();
      return holder;
    },
    removeStale: (file, judged) => {
      THIS_PROCESS.removeStale(file, judged);
      between.removed?.();
    },
  };
}
const once = (act: () => void) => {
  let done = false;
  return () => {
    if (!done) (done = true), act();
  };
};

for (const moment of ['removed', 'judged'] as const) {
  test(`two starts racing for a stale lock (the other one takes it once this one has ${moment === 'removed' ? 'removed the stale lock' : 'judged it stale'}): the loser is told the folder is served`, async (t) => {
    const { dir, cleanup } = await tempDir('cardtrail-lock-');
    t.after(cleanup);
    const lock = join(dir, LOCK_FILE);
    await symlink('999', lock);
    let releaseA: (() => void) | undefined;
    const rival = once(() => void (releaseA = lockDataFolder(dir, start(A))));
    assert.throws(
      () => lockDataFolder(dir, start(B, { [moment]: rival })),
      (err: Error) => err instanceof FolderInUse && err.message === `Another Cardtrail server (process ${A}) is serving the data folder ${dir}. Stop it first, or serve another folder with --data.`,
    );
    assert.ok(releaseA, 'the other start took the folder');
    assert.equal(await readlink(lock), String(A), 'the winner keeps its lock');
    assert.deepEqual((await readdir(dir)).sort(), [LOCK_FILE], 'nothing else is left beside it');
    releaseA();
    await assert.rejects(lstat(lock), /ENOENT/);
  });
}

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
