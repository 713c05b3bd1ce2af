import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

/** The repository root, where `bin/cardtrail.js` lives and the server must run from. */
export const REPO_ROOT = resolve(import.meta.dirname, '../..');

const READY = 'Cardtrail is serving';

/** A real `cardtrail serve` child process. */
export type ServerProcess = {
  url: string;
  port: number;
  /** The child's process id (to read its memory and open files under /proc). */
  pid: number;
  dataDir: string;
  /** The variables the child was started with besides this process's own. */
  env: Record<string, string>;
  /** Sends a signal (SIGTERM by default) and waits for the child to exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Stops the child for good (SIGTERM, then SIGKILL if it lingers). */
  stop(): Promise<void>;
  /** What the child printed so far, for failure messages. */
  output(): string;
};

// Every child ever started, so an after() hook can kill whatever a failing test left behind.
const running = new Set<ChildProcess>();

/** A port nobody listens on right now: bind port 0, read the port the kernel chose, close. */
export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => (port ? ok(port) : fail(new Error('No free port found.'))));
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((ok) => child.once('exit', () => ok()));
}

/** Spawns `node bin/cardtrail.js serve` on a port and data folder, with its output piped. */
function spawnServe(dataDir: string, port: number, cwd = REPO_ROOT, env: Record<string, string> = {}): ChildProcess {
  const bin = resolve(REPO_ROOT, 'bin/cardtrail.js');
  const child = spawn(process.execPath, [bin, 'serve', '--port', String(port), '--data', dataDir, '--no-open'], {
    cwd,
    env: { ...process.env, CARDTRAIL_NO_OPEN: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

/** Starts the server and SIGKILLs it `afterMs` later, whether or not it is serving yet (a crash during recovery). */
export async function crashDuringStart(opts: { dataDir: string; port: number; afterMs: number }): Promise<void> {
  const child = spawnServe(opts.dataDir, opts.port);
  child.stdout!.resume();
  child.stderr!.resume();
  await new Promise((ok) => setTimeout(ok, opts.afterMs));
  child.kill('SIGKILL');
  await exited(child);
}

/**
 * Starts `node bin/cardtrail.js serve` on the given (or a free) port and data folder and resolves once it says
 * it is serving. Rejects, with what the child printed, if it exits first or takes longer than timeoutMs. `env`
 * adds to the child's environment (CARDTRAIL_PASSPHRASE).
 */
export async function startServer(opts: {
  dataDir: string;
  port?: number;
  timeoutMs?: number;
  cwd?: string;
  env?: Record<string, string>;
}): Promise<ServerProcess> {
  const port = opts.port ?? (await freePort());
  const timeoutMs = opts.timeoutMs ?? 20_000;
  const env = opts.env ?? {};
  const child = spawnServe(opts.dataDir, port, opts.cwd, env);

  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const output = () => `--- stdout ---\n${stdout}--- stderr ---\n${stderr}`;

  try {
    await new Promise<void>((ok, fail) => {
      const timer = setTimeout(() => fail(new Error(`The server did not say "${READY}" within ${timeoutMs} ms.\n${output()}`)), timeoutMs);
      const done = (err?: Error) => {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        child.off('exit', onExit);
        child.off('error', onError);
        err ? fail(err) : ok();
      };
      const onData = () => {
        if (stdout.includes(READY)) done();
      };
      const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
        done(new Error(`The server exited (code ${code}, signal ${signal}) before it was serving.\n${output()}`));
      const onError = (err: Error) => done(new Error(`Could not start the server: ${err.message}\n${output()}`));
      child.stdout!.on('data', onData);
      child.once('exit', onExit);
      child.once('error', onError);
      onData();
    });
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }

  const kill = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited(child);
  };
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const grace = setTimeout(() => child.kill('SIGKILL'), 3_000);
    await kill('SIGTERM');
    clearTimeout(grace);
  };
  return { url: `http://127.0.0.1:${port}`, port, pid: child.pid!, dataDir: opts.dataDir, env, kill, stop, output };
}

/** Kills the server without warning (as a crash or power loss would) and starts it again on the same port and data. */
export async function restartServer(server: ServerProcess, timeoutMs?: number): Promise<ServerProcess> {
  await server.kill('SIGKILL');
  return startServer({ dataDir: server.dataDir, port: server.port, timeoutMs, env: server.env });
}

/** Kills every server child still running; call it from an after() hook so no test leaves one behind. */
export async function killAllServers(): Promise<void> {
  await Promise.all(
    [...running].map((child) => {
      child.kill('SIGKILL');
      return exited(child);
    }),
  );
}

// A last resort if the test process ends without the after() hook running (an uncaught error, process.exit).
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});
