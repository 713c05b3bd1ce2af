// The scripted commands (replay, export, verify) run as a real child process, `node bin/cardtrail.js ...`, against
// real logs written by the engine into a temp folder. stdout is a pipe here, never a TTY, as in a script.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { NewEvent } from '../app/log/events.ts';
import { fold, type SessionState } from '../app/log/fold.ts';
import { LogStore } from '../app/log/store.ts';
import { verifyLog } from '../app/log/verify.ts';
import { ROOT, tempDir, testApp } from './support/app.ts';
import { assertFails, BIN, run } from './support/cli.ts';
import { startServer } from './support/server-process.ts';

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The state as the test computes it from the same file, to compare with what the command printed. */
function pretty(state: SessionState): string {
  return JSON.stringify(state, null, 2) + '\n';
}

let base: string;
let data: string;
let id: string;
let logPath: string;
let log: Buffer;
let lines: string[];
let cleanup: () => Promise<void>;

before(async () => {
  ({ dir: base, cleanup } = await tempDir('cardtrail-cli-'));
  data = join(base, 'logs'); // named like the default, so a run with cwd = base finds it with no flag
  const ct = await testApp({ dataDir: data });
  try {
    id = await ct.engine.start('hello');
    assert.deepEqual(await ct.engine.submit(id, 'name', { name: 'Ada' }), { ok: true });
    assert.deepEqual(await ct.engine.submit(id, 'greeting', { greeting: 'Hi Ada' }), { ok: true });
  } finally {
    ct.close();
  }
  logPath = join(data, 'sessions', id, 'log.jsonl');
  log = await readFile(logPath);
  lines = log.toString('utf8').split('\n').slice(0, -1);
  assert.equal(lines.length, 5, 'started, name set and completed, greeting set and completed');
});

after(() => cleanup());

/** A copy of the log with its lines changed, written under the temp folder. */
async function variant(name: string, text: string): Promise<string> {
  const path = join(base, name);
  await writeFile(path, text);
  return path;
}

function eventsOf(bytes: Buffer) {
  const verdict = verifyLog(bytes);
  assert.ok(verdict.ok);
  return verdict.events;
}

test('replay <session> prints the folded state as pretty JSON', async () => {
  const r = await run(['replay', id, '--data', data]);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.err, '');
  assert.equal(r.out, pretty(fold(eventsOf(log))));
  const state = JSON.parse(r.out) as SessionState;
  assert.equal(state.workflow, 'hello');
  assert.equal(state.lastSeq, 5);
  assert.deepEqual(state.completed, ['name', 'greeting']);
  assert.equal(state.values.name.name.value, 'Ada');
});

test('replay finds the data folder as serve does: --data, then CARDTRAIL_DATA, then ./logs', async () => {
  const { dir: other, cleanup: drop } = await tempDir('cardtrail-cli-other-');
  try {
    const [byEnv, flagWins, envAlone, byDefault] = await Promise.all([
      run(['replay', id], { env: { CARDTRAIL_DATA: data } }),
      run(['replay', id, '--data', data], { env: { CARDTRAIL_DATA: other } }),
      run(['replay', id], { env: { CARDTRAIL_DATA: other } }),
      run(['replay', id], { cwd: base }),
    ]);
    const expected = pretty(fold(eventsOf(log)));
    assert.equal(byEnv.out, expected, byEnv.err);
    assert.equal(flagWins.out, expected, flagWins.err);
    assert.equal(byDefault.out, expected, byDefault.err);
    assertFails(envAlone, 1, new RegExp(`There is no session ${id} in ${escape(other)}`));
  } finally {
    await drop();
  }
});

test('replay <file> reads a .jsonl file given by path, relative or absolute', async () => {
  await copyFile(logPath, join(base, 'copy.jsonl'));
  const [relative, absolute] = await Promise.all([run(['replay', './copy.jsonl'], { cwd: base }), run(['replay', logPath])]);
  assert.equal(relative.code, 0, relative.err);
  assert.equal(relative.out, pretty(fold(eventsOf(log))));
  assert.equal(absolute.out, relative.out);
});

test('replay --at N prints the state as it was at seq N', async () => {
  const events = eventsOf(log);
  const runs = await Promise.all([1, 2, 3, 5].map((at) => run(['replay', id, '--data', data, '--at', String(at)])));
  for (const [i, at] of [1, 2, 3, 5].entries()) {
    assert.equal(runs[i].code, 0, runs[i].err);
    assert.equal(runs[i].out, pretty(fold(events, at)), `--at ${at}`);
  }
  const atTwo = JSON.parse(runs[1].out) as SessionState;
  assert.equal(atTwo.lastSeq, 2);
  assert.deepEqual(atTwo.completed, [], 'at seq 2 the name is set but the step not completed');
  assert.equal(atTwo.drafts.name.name.value, 'Ada');
  assert.deepEqual((JSON.parse(runs[2].out) as SessionState).completed, ['name']);
  assert.equal((JSON.parse(runs[0].out) as SessionState).drafts.name, undefined);
});

test('a bad --at is a usage error: exit 2', async () => {
  const cases: [string[], RegExp][] = [
    [['--at', '0'], /--at must be a seq from 1 to 5/],
    [['--at', '6'], /--at must be a seq from 1 to 5 .*not 6/],
    [['--at', 'abc'], /--at takes a seq .*"abc"/],
    [['--at=-1'], /--at takes a seq .*"-1"/],
    [['--at', '2.5'], /--at takes a seq/],
    [['--at'], /^--at needs a value/],
  ];
  const runs = await Promise.all(cases.map(([flags]) => run(['replay', id, '--data', data, ...flags])));
  runs.forEach((r, i) => assertFails(r, 2, cases[i][1]));
});

test('an unknown session or a missing file: exit 1 with one line saying which', async () => {
  const ghost = 'A'.repeat(21);
  const runs = await Promise.all([
    run(['replay', ghost, '--data', data]),
    run(['verify', ghost, '--data', data]),
    run(['export', ghost, '--data', data]),
    run(['replay', 'nope.jsonl'], { cwd: base }),
    run(['verify', join(base, 'nope.jsonl')]),
    run(['verify', base]),
  ]);
  for (const r of runs.slice(0, 3)) assertFails(r, 1, new RegExp(`^There is no session ${ghost} in ${escape(join(data, 'sessions'))}\\.`));
  assertFails(runs[3], 1, /^There is no file nope\.jsonl\.$/m);
  assertFails(runs[4], 1, /^There is no file .*nope\.jsonl\.$/m);
  assertFails(runs[5], 1, /is a folder, not a log file/);
});

test('usage errors (unknown flag, missing or extra argument, unknown command): exit 2', async () => {
  const cases: [string[], RegExp][] = [
    [['replay', id, '--colour'], /^Unknown option --colour\. Usage: cardtrail replay <session-or-file>/],
    [['export', id, '--at', '2'], /^Unknown option --at\. Usage: cardtrail export <session>/],
    [['verify', id, '-x'], /^Unknown option -x\. Usage: cardtrail verify <file-or-session>/],
    [['replay'], /^Missing argument\. Usage: cardtrail replay/],
    [['export'], /^Missing argument\. Usage: cardtrail export/],
    [['verify'], /^Missing argument\. Usage: cardtrail verify/],
    [['verify', id, 'more'], /^Unexpected argument "more"/],
    [['export', 'not-an-id.jsonl'], /"not-an-id\.jsonl" is not a session id/],
    [['export', id, '--out'], /^--out needs a value/],
    [['replya', id], /^Unknown command "replya"/],
  ];
  const runs = await Promise.all(cases.map(([args]) => run([...args, '--data', data])));
  runs.forEach((r, i) => assertFails(r, 2, cases[i][1]));
});

test('export writes the log byte for byte, to stdout or to --out', async () => {
  const out = join(base, 'exported.jsonl');
  const [toStdout, toFile] = await Promise.all([run(['export', id, '--data', data]), run(['export', id, '--data', data, '--out', out])]);
  assert.equal(toStdout.code, 0, toStdout.err);
  assert.equal(toStdout.err, '');
  assert.ok(toStdout.stdout.equals(log), 'stdout holds exactly the log bytes');
  assert.equal(toFile.code, 0, toFile.err);
  assert.equal(toFile.out, '', 'nothing on stdout with --out');
  assert.ok((await readFile(out)).equals(log), '--out holds exactly the log bytes');
});

test('verify: an intact log, by session id or by file, exits 0', async () => {
  const [bySession, byFile] = await Promise.all([run(['verify', id, '--data', data]), run(['verify', logPath])]);
  for (const r of [bySession, byFile]) {
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, 'intact: 5 events, last seq 5\n');
    assert.equal(r.err, '');
  }
});

test('a session id that begins with "-" (one in 64 made before) is the argument, wherever it stands', async () => {
  const dashed = '-9pu3lhareQSXew7WCUSJ';
  await mkdir(join(data, 'sessions', dashed));
  await copyFile(logPath, join(data, 'sessions', dashed, 'log.jsonl'));
  const out = join(base, 'dashed.jsonl');
  for (const args of [['verify', dashed, '--data', data], ['verify', '--data', data, dashed], ['verify', '--data', data, '--', dashed]]) {
    const r = await run(args);
    assert.equal(r.code, 0, `${args.join(' ')}: ${r.err}`);
    assert.equal(r.out, 'intact: 5 events, last seq 5\n');
  }
  const exported = await run(['export', dashed, '--out', out, '--data', data]);
  assert.equal(exported.code, 0, exported.err);
  assert.ok((await readFile(out)).equals(log));
  assert.equal((await run(['replay', dashed, '--data', data])).code, 0);
  // An option's value stays its value: here --data is given none, which is still a usage error.
  assertFails(await run(['verify', '--data', dashed]), 2, /--data needs a value/);
  assertFails(await run(['verify', '-x', dashed, '--data', data]), 2, /Unknown option -x/);
});

test('odd places and odd values get one plain line: a device, a missing or folder --out, an empty --data, a file as the data folder, a negative port, an extra folder', async () => {
  assertFails(await run(['verify', '/dev/zero']), 1, /^\/dev\/zero is not a regular file \(a pipe or a device\), so it is not read\.$/m);
  assertFails(await run(['replay', '/dev/null']), 1, /is not a regular file/);
  assertFails(await run(['export', id, '--data', data, '--out', join(base, 'no-such-folder', 'x.jsonl')]), 1, /^Cannot write \S+x\.jsonl: the folder \S+no-such-folder does not exist\.$/m);
  assertFails(await run(['export', id, '--data', data, '--out', base]), 1, /^Cannot write \S+: it is a folder\. Give --out a file name\.$/m);
  assertFails(await run(['check', join(base, 'no-workflows-here')]), 1, /^There is no folder \S+no-workflows-here to check\.$/m);
  assertFails(await run(['verify', id, '--data=']), 2, /^--data needs a folder name\.$/m);
  assertFails(await run(['serve', '--data', '', '--no-open']), 2, /^--data needs a folder name\.$/m);
  assertFails(await run(['serve', '--port', '-1', '--no-open']), 2, /^--port must be a number from 0 to 65535, not "-1"\.$/m);
  assertFails(await run(['verify', id, '--data', '/etc/passwd']), 1, /^The data folder \/etc\/passwd is not a folder\.$/m);
  assertFails(await run(['export', id, '--data', '/etc/passwd']), 1, /^The data folder \/etc\/passwd is not a folder\.$/m);
  assertFails(await run(['check', 'workflows', 'extra']), 2, /^Unexpected argument "extra"\. Usage: cardtrail check \[folder\]$/m);
  assertFails(await run(['serve', '--data', logPath, '--no-open', '--port', '0']), 1, /^The data folder \S+ cannot be used: it, or \S+ in it, is a file, not a folder\.$/m);
});

test('a value changed in line 2: verify names line 2 and exits 1; replay refuses it; --force replays line 1', async () => {
  const changed = lines[1].replace('"Ada"', '"Eve"');
  assert.notEqual(changed, lines[1]);
  JSON.parse(changed); // still a well-formed line: only the chain can tell
  const path = await variant('tampered.jsonl', [lines[0], changed, ...lines.slice(2)].join('\n') + '\n');
  const [verify, replay, forced] = await Promise.all([run(['verify', path]), run(['replay', path]), run(['replay', path, '--force'])]);
  assert.equal(verify.code, 1);
  assert.equal(verify.out, 'altered: line 2 was altered after it was written (its hash does not match the chain)\n');
  assertFails(replay, 1, /tampered\.jsonl is not intact: line 2 was altered/);
  assert.equal(forced.code, 0, forced.err);
  assert.equal(forced.out, pretty(fold(eventsOf(Buffer.from(lines[0] + '\n')))));
  assert.match(forced.err, /^Warning: .*line 2 .*Replaying its first 1 event\(s\)\.\n$/);
});

test('a truncated file: verify says where it is cut off and exits 1; replay refuses it', async () => {
  const path = await variant('truncated.jsonl', log.toString('utf8').slice(0, -20));
  const [verify, replay, forced] = await Promise.all([run(['verify', path]), run(['replay', path]), run(['replay', path, '--force'])]);
  assert.equal(verify.code, 1);
  assert.match(verify.out, /^altered: line 5 is cut off or unreadable .*\n$/);
  assertFails(replay, 1, /not intact: line 5 is cut off/);
  assert.equal(forced.code, 0, forced.err);
  assert.equal((JSON.parse(forced.out) as SessionState).lastSeq, 4);
});

test('reordered lines: verify names the first line out of place and exits 1; replay refuses them', async () => {
  const path = await variant('reordered.jsonl', [lines[0], lines[2], lines[1], ...lines.slice(3)].join('\n') + '\n');
  const [verify, replay] = await Promise.all([run(['verify', path]), run(['replay', path, '--at', '1'])]);
  assert.equal(verify.code, 1);
  assert.equal(verify.out, 'altered: line 2: seq is 3, expected 2\n');
  assertFails(replay, 1, /not intact: line 2: seq is 3, expected 2/);
});

test('the commands only read: a session log with a torn tail is left exactly as it is', async () => {
  const { dir: other, cleanup: drop } = await tempDir('cardtrail-cli-torn-');
  try {
    const sessionDir = join(other, 'sessions', id);
    await mkdir(sessionDir, { recursive: true });
    const torn = Buffer.concat([log, Buffer.from('{"seq":6,"at":"20')]);
    await writeFile(join(sessionDir, 'log.jsonl'), torn);
    const runs = await Promise.all([
      run(['verify', id, '--data', other]),
      run(['replay', id, '--data', other]),
      run(['replay', id, '--data', other, '--force']),
      run(['export', id, '--data', other]),
    ]);
    assert.match(runs[0].out, /^altered: line 6 is cut off/);
    assertFails(runs[1], 1, /line 6 is cut off/);
    assert.equal((JSON.parse(runs[2].out) as SessionState).lastSeq, 5);
    assert.equal(runs[3].code, 1, 'an export of a log that is not intact says so by its exit code');
    assert.ok(runs[3].stdout.equals(torn), 'and still writes the bytes exactly');
    assert.match(runs[3].err, /^Warning: session .* is not intact: line 6/);
    assert.ok((await readFile(join(sessionDir, 'log.jsonl'))).equals(torn), 'the log is unchanged');
    assert.deepEqual(await readdir(sessionDir), ['log.jsonl'], 'no torn tail was set aside');
  } finally {
    await drop();
  }
});

test('no colour: with FORCE_COLOR set and stdout a pipe, nothing carries an ANSI escape', async () => {
  const tampered = await variant('tampered-colour.jsonl', [lines[0], lines[1].replace('Ada', 'Eve'), ...lines.slice(2)].join('\n') + '\n');
  const runs = await Promise.all([
    run(['replay', id, '--data', data]),
    run(['verify', tampered]),
    run(['replay', tampered, '--force']),
    run(['replay', id, '--data', data, '--at', '9']),
    run(['replay', id, '--nope']),
    run(['verify', 'nope.jsonl']),
    run(['--help']),
  ]);
  for (const r of runs) {
    assert.ok(r.out.length + r.err.length > 0, 'each run printed something');
    assert.ok(!r.out.includes('\x1b'), `stdout has no escape: ${JSON.stringify(r.out.slice(0, 80))}`);
    assert.ok(!r.err.includes('\x1b'), `stderr has no escape: ${JSON.stringify(r.err)}`);
  }
});

test('a reader that stops early (| head) ends the command quietly', async () => {
  const { dir: other, cleanup: drop } = await tempDir('cardtrail-cli-big-');
  try {
    const store = new LogStore(join(other, 'sessions'));
    await store.create(id, { type: 'session.started', workflow: 'hello', version: 'v', forkedFrom: null });
    const notes: NewEvent[] = Array.from({ length: 20_000 }, (_, i) => ({ type: 'note', step: null, text: `note ${i}` }));
    await store.append(id, notes); // several MB: far more than a pipe holds
    const env: NodeJS.ProcessEnv = { ...process.env, FORCE_COLOR: '1' };
    delete env.NODE_TEST_CONTEXT;
    const child = spawn(process.execPath, [BIN, 'export', id, '--data', other], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (b: Buffer) => (err += b));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise((resolve) => child.on('close', resolve));
    assert.equal(err, '', 'no EPIPE error or stack trace');
    assert.equal(code, 0);
  } finally {
    await drop();
  }
});

test('--help lists the scripted commands with their usage and exit codes', async () => {
  const [help, commandHelp] = await Promise.all([run(['--help']), run(['replay', '--help'])]);
  assert.equal(help.code, 0);
  for (const usage of ['cardtrail replay <session-or-file> [--at <seq>]', 'cardtrail export <session> [--out <file>]', 'cardtrail verify <file-or-session>'])
    assert.ok(help.out.includes(usage), usage);
  assert.match(help.out, /Exit codes: 0 ok; 1 .*; 2 usage error/);
  assert.equal(commandHelp.out, help.out);
});

test('cardtrail with no command shows the help on stderr and exits 2, as a usage error', async () => {
  const [bare, help] = await Promise.all([run([]), run(['--help'])]);
  assert.equal(bare.code, 2);
  assert.equal(bare.out, '');
  assert.equal(bare.err, help.out);
});

test('serve started from another folder renders pages (tsx is pointed at the project tsconfig)', async (t) => {
  const { dir, cleanup } = await tempDir('cardtrail-elsewhere-');
  t.after(cleanup);
  const server = await startServer({ dataDir: join(dir, 'data'), cwd: dir });
  t.after(() => server.stop());
  const res = await fetch(`${server.url}/`);
  assert.equal(res.status, 200, server.output());
  assert.match(await res.text(), /Start Hello/);
});
