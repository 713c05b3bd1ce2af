// Crash: the real server as a child process, SIGKILLed at random moments while a workload of steps, notes,
// reverts, finalizes, jobs and imports runs against it. After every restart every acknowledged write is in its
// log and on its pages, every log verifies, and the catalog agrees with the logs. `npm test` runs a short form;
// `npm run test:stress` runs it with CARDTRAIL_CRASH_KILLS=200 (docs/reliability.md has the last figures).
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { tempDir } from '../support/app.ts';
import { crashDuringStart, killAllServers, startServer, type ServerProcess } from '../support/server-process.ts';
import { checkAfterRestart, logBytes } from './after-crash.ts';
import { random, Workload } from './workload.ts';

test.after(killAllServers);

const KILLS = Number(process.env.CARDTRAIL_CRASH_KILLS ?? 20);
const SEED = Number(process.env.CARDTRAIL_CRASH_SEED ?? Date.now() % 2 ** 31);
/** Servers killed side by side, each on its own data folder (a restart takes about a second of mostly waiting). */
const LANES = 2;
/** One kill in this many lands while the server is still starting (recovering from the kill before). */
const DURING_START = 5;

type Figures = { kills: number; duringStart: number; checks: number; tornFiles: number; logs: number; kb: number };

/** One server and its data folder, killed `kills` times; returns what it saw. */
async function lane(t: TestContext, kills: number, seed: number): Promise<{ figures: Figures; workload: Workload; output: string[] }> {
  const { dir, cleanup } = await tempDir('cardtrail-crash-');
  t.after(cleanup);
  const rand = random(seed);
  let server: ServerProcess = await startServer({ dataDir: dir });
  const workload = new Workload(server.url, rand);
  const figures: Figures = { kills: 0, duringStart: 0, checks: 0, tornFiles: 0, logs: 0, kb: 0 };
  const output: string[] = [];
  while (figures.kills < kills) {
    const stop = new AbortController();
    const running = workload.run(3, stop.signal);
    await new Promise((ok) => setTimeout(ok, 30 + rand() * 700));
    await server.kill('SIGKILL');
    figures.kills++;
    stop.abort();
    await running;
    output.push(server.output());
    if (figures.kills < kills && rand() < 1 / DURING_START) {
      await crashDuringStart({ dataDir: dir, port: server.port, afterMs: 100 + rand() * 1200 });
      figures.kills++;
      figures.duringStart++;
    }
    server = await startServer({ dataDir: dir, port: server.port });
    workload.retarget(server.url);
    const check = await checkAfterRestart(server.url, dir, workload);
    figures.checks++;
    Object.assign(figures, { tornFiles: check.tornFiles, logs: check.logs });
  }
  output.push(server.output());
  await server.stop();
  figures.kb = (await logBytes(dir)) / 1024;
  return { figures, workload, output };
}

/** The folders without a log the restarts said they removed. */
const removedFolders = (output: string[]) => [...output.join('\n').matchAll(/Removed (\d+) session folder/g)].reduce((n, m) => n + Number(m[1]), 0);

test(`${KILLS} SIGKILLs at random moments lose no acknowledged write (seed ${SEED})`, { timeout: KILLS * 20_000 + 60_000 }, async (t) => {
  const started = Date.now();
  const lanes = await Promise.all(Array.from({ length: LANES }, (_, i) => lane(t, Math.ceil((KILLS - i) / LANES), SEED + i)));
  const sum = (pick: (l: (typeof lanes)[number]) => number) => lanes.reduce((n, l) => n + pick(l), 0);

  const unexpected = lanes.flatMap((l) => l.output.join('\n').split('\n').filter((line) => /failed:|did not expect/.test(line)));
  assert.deepEqual(unexpected, [], 'the server printed no unexpected error');
  t.diagnostic(
    `crash: ${sum((l) => l.figures.kills)} SIGKILLs (${sum((l) => l.figures.duringStart)} during start), ${sum((l) => l.figures.checks)} restarts checked; ` +
      `${sum((l) => l.workload.counts.requests)} requests, ${sum((l) => l.workload.counts.acked)} writes acknowledged, ` +
      `${sum((l) => l.workload.counts.refused)} refused (stale), ${sum((l) => l.workload.counts.cut)} cut by a kill; ` +
      `${sum((l) => l.figures.logs)} logs (${sum((l) => l.figures.kb).toFixed(0)} KB) verified, ${sum((l) => l.figures.tornFiles)} torn tails set aside, ` +
      `${sum((l) => removedFolders(l.output))} folders a cut-off start left without a log removed by a restart; ${((Date.now() - started) / 1000).toFixed(0)} s; seed ${SEED}`,
  );
  for (const l of lanes) assert.ok(l.workload.counts.acked > l.figures.kills, 'the workload got writes acknowledged between kills');
});
