/** The session log's event types: one JSON object per line, documented in docs/log-format.md. */

/** Any JSON value a parameter may hold. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** Where a parameter value came from. */
export type Source = 'user' | 'default' | 'fork' | 'import' | 'job';

/** Free-form per-entry metadata (why, what was offered); the fold ignores it. */
export type Meta = { [key: string]: Json };

type Base = { seq: number; at: string; meta?: Meta };

export type SessionStarted = Base & {
  type: 'session.started';
  workflow: string;
  version: string;
  forkedFrom: { session: string; seq: number } | null;
};
export type ParamSet = Base & { type: 'param.set'; step: string; key: string; value: Json; source: Source };
export type StepCompleted = Base & { type: 'step.completed'; step: string };
export type StepReverted = Base & { type: 'step.reverted'; step: string };
export type SessionFinalized = Base & { type: 'session.finalized' };
export type SessionUnfinalized = Base & { type: 'session.unfinalized' };
export type Note = Base & { type: 'note'; step: string | null; text: string };
export type JobEvent = Base & {
  type: 'job.started' | 'job.finished' | 'job.failed' | 'job.cancelled' | 'job.interrupted';
  step: string;
  job: string;
  error?: string;
};

export type LogEvent =
  | SessionStarted
  | ParamSet
  | StepCompleted
  | StepReverted
  | SessionFinalized
  | SessionUnfinalized
  | Note
  | JobEvent;

/** An event before the log gives it its place: seq and at are assigned on append. */
export type NewEvent = LogEvent extends infer E ? (E extends LogEvent ? Omit<E, 'seq' | 'at'> : never) : never;

export const EVENT_TYPES: ReadonlySet<string> = new Set([
  'session.started',
  'param.set',
  'step.completed',
  'step.reverted',
  'session.finalized',
  'session.unfinalized',
  'note',
  'job.started',
  'job.finished',
  'job.failed',
  'job.cancelled',
  'job.interrupted',
]);
