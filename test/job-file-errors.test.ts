// A job's file that cannot be written (a full disk) fails the job with a sentence naming the file and leaves no
// temp file: whatever the job awaits on it rejects, never hangs. Deterministic with a stream whose disk "fills"
// after some bytes; for real with the session's files on a 3 MB tmpfs where mounting is allowed (root), skipped elsewhere.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { OutputStream } from '../app/files/output-stream.ts';
import { JobFiles } from '../app/files/job-files.ts';
import type { JobContext } from '../app/jobs/context.ts';
import type { LogEvent } from '../app/log/events.ts';
import gallery from '../workflows/gallery.ts';
import { until } from './fixtures/jobs/wait.ts';
import { tempDir, testApp } from './support/app.ts';
import { mountTmpfsFor } from './support/small-disk.ts';

const FULL = /the disk is full: numbers\.csv could not be written$/;

/** An output stream on a real temp file whose disk takes `room` bytes, then answers ENOSPC. */
class SmallDiskStream extends OutputStream {
  private left: number;
  constructor(room: number, ...where: ConstructorParameters<typeof OutputStream>) {
    super(...where);
    this.left = room;
  }
  protected override put(handle: FileHandle, chunk: Buffer): Promise<void> {
    this.left -= chunk.length;
    if (this.left < 0) return Promise.reject(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }));
    return super.put(handle, chunk);
  }
}

/** Job files whose streams meet a full disk after `room` bytes. */
class SmallDiskFiles extends JobFiles {
  constructor(dir: string, private readonly room: number) {
    super(dir);
  }
  override writeStream(name: string): OutputStream {
    return new SmallDiskStream(this.room, name, join(this.dir, `.cardtrail-tmp-${name}-test`), join(this.dir, name), this.dir);
  }
}

test('a stream whose disk fills: a pending drain, later writes and done() all reject naming the file, and the temp file goes', async (t) => {
  const { dir, cleanup } = await tempDir('cardtrail-stream-full-');
  t.after(cleanup);
  const files = new SmallDiskFiles(dir, 200_000);
  const out = files.writeStream('numbers.csv');
  let rejected: unknown;
  try {
    for (let n = 1; n <= 100_000; n++) if (!out.write(`${n},${n * n}\n`)) await once(out, 'drain');
  } catch (err) {
    rejected = err;
  }
  assert.match(String((rejected as Error)?.message), FULL, 'the awaited drain rejected with the clear sentence');
  assert.throws(() => out.write('more\n'), FULL, 'a write after the failure throws instead of waiting for a drain');
  await assert.rejects(out.done(), FULL);
  assert.deepEqual(await readdir(dir), [], 'no temp file, and no numbers.csv');
});

test('the gallery job on a disk that fills fails with the clear sentence instead of waiting for ever', async (t) => {
  const { dir, cleanup } = await tempDir('cardtrail-gallery-full-');
  t.after(cleanup);
  const run = gallery.steps.find((s) => s.id === 'generate')!.run!;
  const ctx = {
    params: { heading: 'Full', count: 200_000 },
    signal: new AbortController().signal,
    outputDir: dir,
    files: new SmallDiskFiles(dir, 1_000_000),
    progress: () => {},
    log: () => {},
    checkpoint: async () => {},
    lastCheckpoint: undefined,
  } satisfies JobContext;
  await assert.rejects(run(ctx), FULL);
  assert.deepEqual(await readdir(dir), [], 'no temp file left');
});

test('the gallery with its session files on a full 3 MB disk: job.failed naming the file, no job left running, no temp file', { timeout: 60_000 }, async (t) => {
  // Only the files folder is small, so the log and the catalog are never short of room and the test is the job's.
  const { dir: dataDir, cleanup } = await tempDir('cardtrail-disk-full-');
  const errors = t.mock.method(console, 'error', () => {});
  const app = await testApp({ dataDir });
  t.after(() => app.close());
  const started = await app.app.request('/start/gallery', { method: 'POST' });
  const id = started.headers.get('location')!.split('/').pop()!;
  const filesDir = join(dataDir, 'sessions', id, 'files');
  await mkdir(filesDir);
  const mounted = mountTmpfsFor(t, filesDir, '3m');
  t.after(cleanup); // after the app's close and the unmount: hooks run in the order they were added
  if (!mounted) return;
  const send = (path: string, form: Record<string, string>) =>
    app.app.request(path, { method: 'POST', body: new URLSearchParams(form), headers: { 'hx-request': 'true' } });
  assert.equal((await send(`/s/${id}/steps/describe`, { heading: 'Full', count: '200000' })).status, 200);
  assert.equal((await send(`/s/${id}/steps/generate`, {})).status, 200);

  const logFile = join(dataDir, 'sessions', id, 'log.jsonl');
  const log: LogEvent[] = await until('the job to end in the log', async () => {
    const events = (await readFile(logFile, 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as LogEvent);
    return events.some((e) => e.type.startsWith('job.') && e.type !== 'job.started') ? events : undefined;
  });
  const failed = log.find((e) => e.type === 'job.failed');
  assert.ok(failed && 'error' in failed, `the job failed (log: ${log.map((e) => e.type).join(', ')})`);
  assert.match(String(failed.error), FULL);
  await until('the runner to let go', () => app.engine.jobs.active === 0);
  assert.deepEqual(app.engine.catalog.jobCounts(), { failed: 1 }, 'home counts no job running');
  assert.deepEqual(await readdir(filesDir), [], 'the temp file was removed');
  const page = await (await app.app.request(`/s/${id}`)).text();
  assert.ok(page.includes('the disk is full: numbers.csv could not be written'), 'the card says why');
  assert.ok(errors.mock.calls.length > 0, 'the server log has the failure');
});
