import type { Json } from '../log/events.ts';
import type { Values } from '../engine/definition.ts';
import type { JobFiles } from '../files/job-files.ts';

/** What a job step's `run` gets: the session's values, ways to report, a signal, a folder and checkpoints. */
export type JobContext = {
  /** Every value of the session so far, including this step's own fields, by key. */
  params: Values;
  /** Reports how far the job is: `done` of `total` units, with an optional status line. */
  progress: (done: number, total?: number, message?: string) => void;
  /** Adds a line to the job's recent messages. */
  log: (message: string) => void;
  /** Aborted when the person cancels or the server stops: stop promptly when it is. */
  signal: AbortSignal;
  /** A folder of the session's own for output files; it exists when run starts. */
  outputDir: string;
  /**
   * The same folder's files by name: `write(name, data)` and `writeStream(name)` (then `await stream.done()`)
   * replace a file atomically, so a page never shows half of it; `list`, `has`, `size` and `readText` read.
   * Wait for a stream with `if (!stream.write(chunk)) await once(stream, 'drain')` (node:events): a write that
   * fails (a full disk) rejects it, and `done()`, with a message naming the file, and removes the temp file.
   */
  files: JobFiles;
  /** Saves resumable state; a retry after an interruption gets it back as `lastCheckpoint`. */
  checkpoint: (data: Json) => Promise<void>;
  /** The last checkpoint saved by an earlier, interrupted run with the same parameters. */
  lastCheckpoint: Json | undefined;
};

/** The results a job returns: recorded in the log as the step's values, source `job`. */
export type JobResult = Record<string, Json>;

/** A job step's body. */
export type JobRun = (ctx: JobContext) => Promise<JobResult>;

/** Where a job is: waiting for a slot, running, or how it ended. The log knows all but `queued`. */
export type JobPhase = 'queued' | 'running' | 'finished' | 'failed' | 'cancelled' | 'interrupted';

/** A job as watchers see it at one moment. A new object for every change, so it can be cached by identity. */
export type JobSnapshot = {
  job: string;
  session: string;
  step: string;
  status: JobPhase;
  done: number;
  total: number | null;
  message: string;
  /** The latest lines, oldest first. */
  recent: readonly string[];
  startedAt: string | null;
  error?: string;
};
