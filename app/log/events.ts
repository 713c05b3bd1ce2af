/** The session log's event types: one JSON object per line, documented in docs/log-format.md. */

/** Any JSON value a parameter may hold. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** Where a parameter value came from. */
export type Source = 'user' | 'default' | 'fork' | 'import' | 'job';

/** Free-form per-entry metadata (why, what was offered); the fold ignores it. */
export type Meta = { [key: string]: Json };

/** Every line carries its place, its time and `hash`: sha256 over the previous line's hash and this line. */
type Base = { seq: number; at: string; hash: string; meta?: Meta };

/** Where a session's first values came from: another session (fork) or an imported file. */
export type Origin = { session: string; seq: number } | { file: string; seq: number };

export type SessionStarted = Base & {
  type: 'session.started';
  workflow: string;
  version: string;
  forkedFrom: Origin | null;
};
export type ParamSet = Base & {
  type: 'param.set';
  step: string;
  key: string;
  value: Json;
  source: Source;
  /** For a value carried by a fork or import: the source it had where it came from. */
  was?: Source;
};
export type StepCompleted = Base & { type: 'step.completed'; step: string };
export type StepReverted = Base & { type: 'step.reverted'; step: string };
export type SessionFinalized = Base & { type: 'session.finalized' };
export type SessionUnfinalized = Base & { type: 'session.unfinalized' };
export type Note = Base & { type: 'note'; step: string | null; text: string };
/** The session goes on under a newer definition of its workflow. */
export type SessionMigrated = Base & { type: 'session.migrated'; version: string };
/** Hidden from (or back in) the session list; nothing else changes. */
export type SessionArchived = Base & { type: 'session.archived' | 'session.unarchived' };
/** The session's name as the person gave it; empty goes back to the name derived from its values. */
export type SessionTitled = Base & { type: 'session.titled'; title: string };
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
  | SessionMigrated
  | SessionArchived
  | SessionTitled
  | JobEvent;

/** An event before the log gives it its place: seq, at and hash are assigned on append. */
export type NewEvent = LogEvent extends infer E ? (E extends LogEvent ? Omit<E, 'seq' | 'at' | 'hash'> : never) : never;

export const EVENT_TYPES: ReadonlySet<string> = new Set([
  'session.started',
  'param.set',
  'step.completed',
  'step.reverted',
  'session.finalized',
  'session.unfinalized',
  'note',
  'session.migrated',
  'session.archived',
  'session.unarchived',
  'session.titled',
  'job.started',
  'job.finished',
  'job.failed',
  'job.cancelled',
  'job.interrupted',
]);
