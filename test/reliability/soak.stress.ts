// Soak: a bounded run against the real server on loopback, with 50 live progress watchers on a long job and a
// steady stream of submits. No request may fail, every watcher keeps hearing progress, and the server's memory
// (RSS) and open file descriptors stay flat. Run by `npm run test:stress` for CARDTRAIL_SOAK_SECONDS (60 by default).
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { tempDir } from '../support/app.ts';
import { killAllServers, startServer } from '../support/server-process.ts';

test.after(killAllServers);

const SECONDS = Number(process.env.CARDTRAIL_SOAK_SECONDS ?? 60);
const WATCHERS = 50;

type Sample = { at: number; rssKb: number; fds: number };

async function sample(pid: number, started: number): Promise<Sample> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
  return { at: (Date.now() - started) / 1000, rssKb, fds: (await readdir(`/proc/${pid}/fd`)).length };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

test(`soak: ${WATCHERS} progress watchers and steady submits for ${SECONDS} s, RSS and fds flat`, { timeout: (SECONDS + 120) * 1000 }, async (t) => {
  const { dir, cleanup } = await tempDir('cardtrail-soak-');
  t.after(cleanup);
  const server = await startServer({ dataDir: dir });
  const headers = { origin: server.url, 'sec-fetch-site': 'same-origin' };
  const post = (path: string, form: Record<string, string> = {}) =>
    fetch(server.url + path, { method: 'POST', headers, body: new URLSearchParams(form), redirect: 'manual' });
  const started = Date.now();
  const baseline = await sample(server.pid, started);

  // A job that outlasts the run: a tick every 100 ms.
  const job = (await post('/start/ticker')).headers.get('location')!;
  const ran = await post(`${job}/steps/simulate`, { ticks: String(SECONDS * 10 + 600), interval: '100', failAt: '' });
  assert.equal(ran.status, 303);

  const stop = new AbortController();
  const heard = new Array<number>(WATCHERS).fill(0);
  const watchers = Array.from({ length: WATCHERS }, async (_, i) => {
    const res = await fetch(`${server.url}${job}/jobs/simulate/events`, { headers: { accept: 'text/event-stream' }, signal: stop.signal });
    assert.equal(res.status, 200);
    const reader = res.body!.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        heard[i] += Buffer.from(value).toString('utf8').split('\n\n').length - 1;
      }
    } catch (err) {
      if (!stop.signal.aborted) throw err;
    }
  });

  const submits = { sessions: 0, writes: 0 };
  const submitter = (async () => {
    while (!stop.signal.aborted) {
      const start = await post('/start/hello');
      assert.equal(start.status, 303, 'start');
      const id = start.headers.get('location')!;
      for (const [path, form] of [
        [`${id}/steps/name`, { name: `Soak ${submits.sessions}` }],
        [`${id}/notes`, { step: 'name', text: 'steady' }],
        [`${id}/steps/greeting`, { greeting: 'Hello!' }],
      ] as const) {
        const res = await post(path, form);
        assert.equal(res.status, 303, `${path}: ${res.status}`);
        submits.writes++;
      }
      submits.sessions++;
      await new Promise((ok) => setTimeout(ok, 50));
    }
  })();

  const samples: Sample[] = [];
  while (Date.now() - started < SECONDS * 1000) {
    await new Promise((ok) => setTimeout(ok, 1000));
    samples.push(await sample(server.pid, started));
  }
  const heardBefore = [...heard];
  await new Promise((ok) => setTimeout(ok, 1500));
  const silent = heard.filter((n, i) => n <= heardBefore[i]).length;
  stop.abort();
  await submitter;
  await Promise.all(watchers);
  await post(`${job}/jobs/simulate/cancel`);
  // Closed streams leave their sockets to the server's keep-alive timeout (5 s): give them up to 10 s.
  let after = await sample(server.pid, started);
  for (let i = 0; i < 20 && after.fds > baseline.fds + 10; i++) {
    await new Promise((ok) => setTimeout(ok, 500));
    after = await sample(server.pid, started);
  }
  const output = server.output();
  await server.stop();

  // The first quarter is the warm-up, in which the heap grows to its working size (the compiled server starts
  // small and gets there during the run); "early" is the second quarter, "late" the last.
  const quarter = Math.max(1, Math.floor(samples.length / 4));
  const early = samples.slice(quarter, 2 * quarter);
  const late = samples.slice(-quarter);
  const rssEarly = median(early.map((s) => s.rssKb));
  const rssLate = median(late.map((s) => s.rssKb));
  const fdsEarly = Math.max(...early.map((s) => s.fds));
  const fdsLate = Math.max(...late.map((s) => s.fds));
  t.diagnostic(
    `soak: ${SECONDS} s, ${WATCHERS} watchers heard ${heard.reduce((a, b) => a + b, 0)} events, ${submits.sessions} sessions / ${submits.writes} writes acknowledged; ` +
      `RSS ${(baseline.rssKb / 1024).toFixed(0)} MB at start, median ${(rssEarly / 1024).toFixed(0)} MB early vs ${(rssLate / 1024).toFixed(0)} MB late ` +
      `(${(((rssLate - rssEarly) / rssEarly) * 100).toFixed(1)}%); fds ${baseline.fds} at start, max ${fdsEarly} early vs ${fdsLate} late, ${after.fds} after the watchers left`,
  );
  assert.equal(silent, 0, 'every watcher still hears progress at the end');
  assert.ok(submits.writes > SECONDS, 'submits went on throughout');
  assert.doesNotMatch(output, /failed:|did not expect/, 'the server printed no error');
  // Flat: what the last quarter holds is what the second held, within noise (a leak per submit or per event
  // over a minute would be many MB and hundreds of descriptors).
  assert.ok(rssLate <= rssEarly * 1.25 + 8 * 1024, `RSS flat: ${rssEarly} kB early, ${rssLate} kB late`);
  assert.ok(fdsLate <= fdsEarly + 5, `fds flat while watching: ${fdsEarly} early, ${fdsLate} late`);
  assert.ok(after.fds <= baseline.fds + 10, `the watchers' descriptors are released: ${baseline.fds} at start, ${after.fds} after`);
});
