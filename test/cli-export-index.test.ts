// `cardtrail export` trusts a `lines.idx` that matches the log (verified before, unchanged since) instead of walking
// the hash chain again, and leaves one after a full check. These tests hold it to the rule that no edit, cut or
// forgery gets through either path: the real command as a child process, real logs written by the store.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { lstat, mkdir, open, readFile, readlink, rm, stat, symlink, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, beforeEach, test } from 'node:test';
import { checkExported } from '../app/cli/export-check.ts';
import type { NewEvent } from '../app/log/events.ts';
import { LineIndexes, lineStarts, type LineIndex } from '../app/log/line-index.ts';
import { LogStore } from '../app/log/store.ts';
import { indexVouches } from '../app/log/verify.ts';
import { ROOT, tempDir } from './support/app.ts';

const BIN = join(ROOT, 'bin', 'cardtrail.js');
const ID = 'exportIndexSession_01';
const OTHER = 'exportIndexSession_02';

type Run = { code: number | null; stdout: Buffer; err: string };

function run(args: string[]): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.NODE_TEST_CONTEXT;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => (err += b));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out), err }));
  });
}

let base: string;
let data: string;
let cleanup: () => Promise<void>;
let original: Buffer;

const dirOf = (id: string) => join(data, 'sessions', id);
const logOf = (id: string) => join(dirOf(id), 'log.jsonl');
const indexOf = (id: string) => join(dirOf(id), 'lines.idx');
const exportOf = (id: string) => run(['export', id, '--data', data]);

async function writeSession(id: string): Promise<Buffer> {
  const store = new LogStore(join(data, 'sessions'));
  await store.create(id, { type: 'session.started', workflow: 'hello', version: 'v', forkedFrom: null });
  const notes: NewEvent[] = ['Ada', 'Bob', 'Cy', 'Dee'].map((who) => ({ type: 'note', step: null, text: `note by ${who}` }));
  await store.append(id, notes);
  return readFile(logOf(id));
}

/** The session's log exported once (a full check), so a matching lines.idx is beside it. */
async function exportedOnce(id: string): Promise<void> {
  const first = await exportOf(id);
  assert.equal(first.code, 0, first.err);
  assert.ok((await lstat(indexOf(id))).isFile(), 'the first export left a line index');
}

/** The export of a log that is not intact: all its bytes, the warning, exit 1. */
function assertWarned(r: Run, bytes: Buffer, reason: RegExp): void {
  assert.equal(r.code, 1, `exit code 1 (stderr: ${r.err})`);
  assert.ok(r.stdout.equals(bytes), 'the bytes on disk, exactly');
  assert.match(r.err, /^Warning: session \S+ is not intact: .*It was exported as it is\.\n$/);
  assert.match(r.err, reason);
}

/** Rewrites bytes of the log where they are, so its size and inode stay those the index was made for. */
async function editInPlace(path: string, from: string, to: string): Promise<Buffer> {
  assert.equal(from.length, to.length);
  const bytes = await readFile(path);
  const at = bytes.indexOf(from);
  assert.ok(at > 0, `${from} is in the log`);
  const handle = await open(path, 'r+');
  await handle.write(Buffer.from(to), 0, to.length, at);
  await handle.close();
  return readFile(path);
}

before(async () => {
  ({ dir: base, cleanup } = await tempDir('cardtrail-export-index-'));
  data = join(base, 'logs');
});

beforeEach(async () => {
  await rm(join(data, 'sessions'), { recursive: true, force: true });
  original = await writeSession(ID);
});

after(() => cleanup());

test('the first export checks every line and leaves an index; the next one goes through it, and both write the log exactly', async () => {
  const session = { id: ID, path: logOf(ID) };
  const stats = await stat(logOf(ID), { bigint: true });
  const first = await checkExported(session, original, stats);
  assert.deepEqual({ ok: first.ok, through: first.through }, { ok: true, through: 'chain' });
  const saved = await new LineIndexes(() => dirOf(ID)).load(ID);
  assert.ok(saved, 'lines.idx reads back');
  assert.deepEqual([saved.size, saved.seq, saved.mtime, saved.ino], [original.length, 5, stats.mtimeNs, stats.ino]);
  assert.deepEqual([...saved.starts], [...lineStarts(original)]);
  const second = await checkExported(session, original, stats);
  assert.deepEqual({ ok: second.ok, through: second.through }, { ok: true, through: 'index' });

  for (const r of [await exportOf(ID), await exportOf(ID)]) {
    assert.equal(r.code, 0, r.err);
    assert.equal(r.err, '');
    assert.ok(r.stdout.equals(original));
  }
});

test('an edit in place that keeps the size: the index no longer matches (its modification time moved), the warning and exit 1', async () => {
  await exportedOnce(ID);
  const edited = await editInPlace(logOf(ID), 'note by Bob', 'note by Eve');
  assert.equal(edited.length, original.length);
  assertWarned(await exportOf(ID), edited, /line 3 was altered/);
  assertWarned(await exportOf(ID), edited, /line 3 was altered/); // and again: no index was left for it
});

test('a cut log and a forged line appended: the warning and exit 1, with an index beside it', async () => {
  await exportedOnce(ID);
  await truncate(logOf(ID), original.length - 10);
  assertWarned(await exportOf(ID), original.subarray(0, original.length - 10), /line 5 is cut off/);

  await writeFile(logOf(ID), original);
  await exportedOnce(ID);
  const forged = Buffer.concat([original, Buffer.from(`{"seq":6,"at":"2026-01-01T00:00:00.000Z","type":"note","step":null,"text":"x","hash":"${'0'.repeat(64)}"}\n`)]);
  await writeFile(logOf(ID), forged);
  assertWarned(await exportOf(ID), forged, /line 6 was altered/);
});

test("an index stamped with the edited file's size, time and inode is still refused when its last hash or its lines do not fit", async () => {
  await exportedOnce(ID);
  const indexes = new LineIndexes(() => dirOf(ID));
  const made = (await indexes.load(ID))!;
  const restamp = async (index: LineIndex) => {
    const now = await stat(logOf(ID), { bigint: true });
    await indexes.save(ID, { ...index, size: Number(now.size), mtime: now.mtimeNs, ino: now.ino });
  };

  // The last line's hash replaced by another of the same length: the old index's hash no longer ends the file.
  const lastHash = made.hash;
  const rehashed = await editInPlace(logOf(ID), lastHash, [...lastHash].reverse().join(''));
  await restamp(made);
  assertWarned(await exportOf(ID), rehashed, /line 5 was altered/);

  // A line made one byte longer and the next one byte shorter: same size, the index's line starts are off by one.
  await writeFile(logOf(ID), original);
  const shifted = Buffer.from(original.toString('utf8').replace('note by Bob', 'note by Bobb').replace('note by Cy', 'note by C'));
  assert.equal(shifted.length, original.length);
  await writeFile(logOf(ID), shifted);
  await restamp(made);
  assertWarned(await exportOf(ID), shifted, /line 3 was altered/);
});

test('lines.idx as a link to another intact session\'s index is not followed: the log is checked, and the link replaced, its target untouched', async () => {
  await writeSession(OTHER);
  await exportedOnce(OTHER);
  const otherIndex = await readFile(indexOf(OTHER));
  const edited = await editInPlace(logOf(ID), 'note by Bob', 'note by Eve');
  await symlink(indexOf(OTHER), indexOf(ID));
  assertWarned(await exportOf(ID), edited, /line 3 was altered/);
  assert.equal(await readlink(indexOf(ID)), indexOf(OTHER), 'a log that is not intact leaves nothing in its place');

  await writeFile(logOf(ID), original);
  const r = await exportOf(ID);
  assert.equal(r.code, 0, r.err);
  assert.ok(!(await lstat(indexOf(ID))).isSymbolicLink(), 'the link was replaced by a file of its own');
  assert.ok((await readFile(indexOf(OTHER))).equals(otherIndex), 'the other session\'s index is untouched');
});

test('an index that cannot be written (lines.idx is a folder) costs nothing but the next fast export: exit 0, no message', async () => {
  await mkdir(indexOf(ID));
  const r = await exportOf(ID);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.err, '');
  assert.ok(r.stdout.equals(original));
  assert.ok((await lstat(indexOf(ID))).isDirectory());
});

test('the known limit: an edit inside a line whose file status is set back to the index\'s (touch -r, or a re-stamped index) passes export; verify still sees it', async () => {
  await exportedOnce(ID);
  const indexes = new LineIndexes(() => dirOf(ID));
  const made = (await indexes.load(ID))!;
  const edited = await editInPlace(logOf(ID), 'note by Bob', 'note by Eve');
  const now = await stat(logOf(ID), { bigint: true });
  await indexes.save(ID, { ...made, mtime: now.mtimeNs }); // what `touch -r` achieves when it restores the time exactly
  const r = await exportOf(ID);
  assert.equal(r.code, 0, 'export trusted the matching index: this is the documented limit, and the proof it was used');
  assert.ok(r.stdout.equals(edited));
  const verify = await run(['verify', ID, '--data', data]);
  assert.equal(verify.code, 1);
  assert.match(verify.stdout.toString(), /^altered: line 3 was altered/);
});

test('indexVouches: the index must fit the bytes line for line and end with their last hash', () => {
  const bytes = original;
  const starts = lineStarts(bytes);
  const hash = /"hash":"([0-9a-f]{64})"\}\n$/.exec(bytes.toString())![1];
  const index: LineIndex = { size: bytes.length, mtime: 1n, ino: 1n, seq: 5, hash, starts };
  assert.equal(indexVouches(index, bytes), true);
  assert.equal(indexVouches({ ...index, hash: 'f'.repeat(64) }, bytes), false, 'another last hash');
  assert.equal(indexVouches({ ...index, size: bytes.length + 1 }, bytes), false, 'another size');
  assert.equal(indexVouches({ ...index, seq: 4, starts: starts.slice(0, 5) }, bytes), false, 'a line fewer');
  const moved = starts.slice();
  moved[2] += 1;
  assert.equal(indexVouches({ ...index, starts: moved }, bytes), false, 'a start that is not after a line end');
  const joined = Buffer.from(bytes);
  joined[starts[2] - 1] = 0x20; // lines 2 and 3 made one, the size kept
  assert.equal(indexVouches(index, joined), false, 'a line end gone');
  const split = Buffer.from(bytes);
  split[starts[2] + 3] = 10; // a line end more, inside line 3
  assert.equal(indexVouches(index, split), false, 'a line end more');
});
