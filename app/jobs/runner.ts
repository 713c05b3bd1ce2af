import { mkdir } from 'node:fs/promises';
import { realEntry } from '../log/disk.ts';
import type { Values } from '../engine/definition.ts';
import type { Checkpoints } from './checkpoints.ts';
import { JobFiles } from '../files/job-files.ts';
import type { JobResult, JobRun, JobSnapshot } from './context.ts';
import type { Milestone } from './milestones.ts';

/** Everything needed to run one job. */
export type JobSpec = {
  job: string;
  session: string;
  step: string;
  run: JobRun;
  params: Values;
  outputDir: string;
  checkpoints: Checkpoints;
};

/** How a job ended. */
export type Outcome =
  | { status: 'finished'; result: JobResult }
  | { status: 'failed'; error: string }
  | { status: 'cancelled' };

export type RunnerHooks = {
  /** Records the outcome in the session's log; watchers hear of the end only after it resolves. */
  settle: (spec: JobSpec, outcome: Outcome) => Promise<void>;
  /** Told of every lifecycle change, and of progress at most every `recordEveryMs`: the catalog listens. */
  record?: (snapshot: JobSnapshot) => void;
  /** Told of each line as it enters a job's recent lines (every one: watchers throttle). */
  milestone?: (milestone: Milestone) => void;
};

type Listener = (snapshot: JobSnapshot) => void;

type Entry = {
  spec: JobSpec;
  controller: AbortController;
  files: JobFiles;
  /** Holds one of the `limit` slots (from its start until it returns, or is given up on). */
  holdsSlot: boolean;
  /** Its end is being recorded, or the server stopped: whatever the job does from now on is ignored. */
  over: boolean;
  snapshot: JobSnapshot;
  listeners: Set<Listener>;
  emitScheduled: boolean;
  lastRecorded: number;
  /** Resolves once the end is recorded and told. */
  ended: Promise<void>;
  markEnded: () => void;
};

/** How many of a job's latest lines its snapshot keeps as `recent`. */
export const RECENT_LINES = 8;
const RECORD_EVERY_MS = 500;
/** Set on the signal when a person cancels, as opposed to the server shutting down. */
class Cancelled extends Error {}

/**
 * Runs jobs inside the server, at most `limit` at once, the rest waiting in order. A job belongs to the server,
 * not to a request: watchers come and go without touching it. Progress lives here in memory; the log only
 * hears of lifecycle changes (through `settle`).
 */
export class JobRunner {
  private readonly entries = new Map<string, Entry>();
  private readonly waiting: Entry[] = [];
  private running = 0;

  constructor(
    private readonly limit: number,
    private readonly hooks: RunnerHooks,
  ) {}

  /** Queues a job; it starts as soon as a slot is free. */
  submit(spec: JobSpec): void {
    let markEnded = () => {};
    const ended = new Promise<void>((resolve) => (markEnded = resolve));
    const entry: Entry = {
      ended,
      markEnded,
      spec,
      controller: new AbortController(),
      files: new JobFiles(spec.outputDir),
      holdsSlot: false,
      over: false,
      snapshot: {
        job: spec.job,
        session: spec.session,
        step: spec.step,
        status: 'queued',
        done: 0,
        total: null,
        message: 'Waiting for a free slot…',
        recent: [],
        startedAt: null,
      },
      listeners: new Set(),
      emitScheduled: false,
      lastRecorded: 0,
    };
    this.entries.set(key(spec.session, spec.step), entry);
    this.waiting.push(entry);
    this.hooks.record?.(entry.snapshot);
    this.pump();
  }

  /** The job of a session's step as it is now, while it is queued or running. */
  snapshot(session: string, step: string): JobSnapshot | undefined {
    return this.entries.get(key(session, step))?.snapshot;
  }

  /** Calls the listener on every change until the job ends or the returned function is called. */
  watch(session: string, step: string, listener: Listener): () => void {
    const entry = this.entries.get(key(session, step));
    if (!entry) return () => {};
    entry.listeners.add(listener);
    return () => entry.listeners.delete(listener);
  }

  /**
   * Asks a queued or running job to stop. Resolves true once its end is recorded; false when there was no such
   * job. A job that has not stopped after `graceMs` (it ignores its signal, or waits on something that never
   * comes) is given up on: recorded as cancelled, its slot and open files released, and whatever it returns or
   * writes later ignored.
   */
  async cancel(session: string, step: string, graceMs = 2000): Promise<boolean> {
    const entry = this.entries.get(key(session, step));
    if (!entry) return false;
    const queued = this.waiting.indexOf(entry);
    if (queued >= 0) {
      this.waiting.splice(queued, 1);
      void this.end(entry, { status: 'cancelled' });
    } else entry.controller.abort(new Cancelled('cancelled'));
    let timer: NodeJS.Timeout | undefined;
    const late = await Promise.race([entry.ended, new Promise<'late'>((resolve) => (timer = setTimeout(resolve, graceMs, 'late')))]);
    clearTimeout(timer);
    if (late === 'late' && !entry.over) {
      console.error(`[cardtrail] job ${entry.spec.job} (${entry.spec.session}/${entry.spec.step}) did not stop within ${graceMs} ms of its cancel: given up on`);
      this.releaseSlot(entry);
      void this.end(entry, { status: 'cancelled' });
      this.pump();
    }
    await entry.ended;
    return true;
  }

  /** Jobs queued or running now. */
  get active(): number {
    return this.entries.size;
  }

  /**
   * Aborts every job without recording an end (the next start marks them interrupted, as after a crash), and
   * tells their watchers so that open streams end instead of waiting for updates that will not come.
   */
  shutdown(): void {
    this.waiting.length = 0;
    for (const entry of this.entries.values()) {
      entry.over = true;
      this.releaseSlot(entry);
      void entry.files.close();
      entry.controller.abort(new Error('server stopping'));
      entry.snapshot = { ...entry.snapshot, status: 'interrupted', message: 'The server is stopping.' };
      this.emit(entry);
      entry.listeners.clear();
    }
    this.entries.clear();
  }

  private pump(): void {
    while (this.running < this.limit && this.waiting.length) void this.execute(this.waiting.shift()!);
  }

  private async execute(entry: Entry): Promise<void> {
    this.running++;
    entry.holdsSlot = true;
    const { spec, controller } = entry;
    this.update(entry, { status: 'running', message: 'Started', startedAt: new Date().toISOString() }, true);
    let outcome: Outcome;
    try {
      await mkdir(spec.outputDir, { recursive: true });
      await realEntry(spec.outputDir, 'folder'); // a link there would let the job write outside the data folder
      const result = await spec.run({
        params: spec.params,
        signal: controller.signal,
        outputDir: spec.outputDir,
        files: entry.files,
        progress: (done, total, message) => this.progress(entry, done, total, message),
        log: (message) => this.addLine(entry, message, { message }),
        checkpoint: async (data) => (entry.over ? undefined : spec.checkpoints.save(spec.step, spec.params, data)),
        lastCheckpoint: await spec.checkpoints.load(spec.step, spec.params),
      });
      outcome = controller.signal.aborted ? { status: 'cancelled' } : { status: 'finished', result: result ?? {} };
    } catch (err) {
      if (controller.signal.aborted) outcome = { status: 'cancelled' };
      else {
        console.error(`[cardtrail] job ${spec.job} (${spec.session}/${spec.step}) failed:`, err);
        outcome = { status: 'failed', error: err instanceof Error ? err.message : String(err) };
      }
    }
    // Given up on at its cancel (its end recorded then), or cut off by a stop: what it returned is dropped.
    if (entry.over) return;
    this.releaseSlot(entry);
    // A job aborted by shutdown is left for the next start to mark interrupted.
    if (controller.signal.aborted && !(controller.signal.reason instanceof Cancelled)) return this.pump();
    await this.end(entry, outcome);
    this.pump();
  }

  private releaseSlot(entry: Entry): void {
    if (!entry.holdsSlot) return;
    entry.holdsSlot = false;
    this.running--;
  }

  private progress(entry: Entry, done: number, total?: number, message?: string): void {
    if (entry.over) return;
    const change = { done, total: total ?? entry.snapshot.total, message: message ?? entry.snapshot.message };
    if (message && message !== entry.snapshot.message) this.addLine(entry, message, change);
    else this.update(entry, change);
  }

  /** Adds a line to the job's recent lines (with `change`), and tells the milestone hook of it. */
  private addLine(entry: Entry, line: string, change: Partial<JobSnapshot>): void {
    if (entry.over) return;
    this.update(entry, { ...change, recent: pushRecent(entry.snapshot.recent, line) });
    const { session, job, step } = entry.spec;
    this.hooks.milestone?.({ session, job, step, line });
  }

  /** Drops the job's open files, records the outcome, then tells watchers, then forgets the job. */
  private async end(entry: Entry, outcome: Outcome): Promise<void> {
    entry.over = true;
    try {
      await entry.files.close();
      await this.hooks.settle(entry.spec, outcome);
    } catch (err) {
      console.error(`[cardtrail] could not record the end of job ${entry.spec.job}:`, err);
    }
    const error = outcome.status === 'failed' ? outcome.error : undefined;
    this.update(entry, { status: outcome.status, error }, true);
    if (this.entries.get(key(entry.spec.session, entry.spec.step)) === entry)
      this.entries.delete(key(entry.spec.session, entry.spec.step));
    entry.listeners.clear();
    entry.markEnded();
  }

  /**
   * Replaces the snapshot. Lifecycle changes reach watchers at once; bursts of progress are coalesced to one
   * message per turn of the event loop, so a job reporting in a tight loop cannot flood its watchers.
   */
  private update(entry: Entry, change: Partial<JobSnapshot>, lifecycle = false): void {
    entry.snapshot = { ...entry.snapshot, ...change };
    const now = Date.now();
    if (lifecycle || now - entry.lastRecorded >= RECORD_EVERY_MS) {
      entry.lastRecorded = now;
      this.hooks.record?.(entry.snapshot);
    }
    if (lifecycle) return this.emit(entry);
    if (entry.emitScheduled) return;
    entry.emitScheduled = true;
    setImmediate(() => {
      entry.emitScheduled = false;
      this.emit(entry);
    });
  }

  private emit(entry: Entry): void {
    for (const listener of entry.listeners) listener(entry.snapshot);
  }
}

function key(session: string, step: string): string {
  return `${session}/${step}`;
}

function pushRecent(recent: readonly string[], line: string): string[] {
  return [...recent, line].slice(-RECENT_LINES);
}
