// The command line as a script meets it: `node bin/cardtrail.js ...` in a child process, stdout a pipe.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './app.ts';

export const BIN = join(ROOT, 'bin', 'cardtrail.js');

export type Run = { code: number | null; stdout: Buffer; out: string; err: string };

/** Runs the command line in a child process (cwd: the repo root unless given) and collects what it printed. */
export function run(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, FORCE_COLOR: '1', ...opts.env };
  if (!opts.env?.CARDTRAIL_DATA) delete env.CARDTRAIL_DATA;
  delete env.NODE_TEST_CONTEXT;
  delete env.NO_COLOR; // FORCE_COLOR with no NO_COLOR: output must still carry no colour
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: opts.cwd ?? ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => {
      const stdout = Buffer.concat(out);
      resolve({ code, stdout, out: stdout.toString('utf8'), err: Buffer.concat(err).toString('utf8') });
    });
  });
}

/** A failure as scripts expect it: the exit code, nothing on stdout, one line on stderr, no stack trace. */
export function assertFails(r: Run, code: 1 | 2, message: RegExp): void {
  assert.equal(r.code, code, `exit code (stderr: ${r.err})`);
  assert.equal(r.out, '', 'nothing on stdout');
  assert.match(r.err, /^[^\n]+\n$/, `one line on stderr, got ${JSON.stringify(r.err)}`);
  assert.doesNotMatch(r.err, /\bat .+:\d+:\d+/, 'no stack trace');
  assert.match(r.err, message);
}

