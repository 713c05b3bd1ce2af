import type { Json, LogEvent, Origin, Source } from './events.ts';
import type { JobPhase } from '../jobs/context.ts';

/** One parameter's value as the log last set it (`was`: its source before a fork or import carried it). */
export type Param = { value: Json; source: Source; seq: number; was?: Source };

/** A step's parameters by key. */
export type StepParams = Record<string, Param>;

/** The latest job lifecycle event of a step, if it ran one. */
export type JobStatus = {
  job: string;
  status: Exclude<JobPhase, 'queued'>;
  error?: string;
  seq: number;
  at: string;
};

/** A session as replaying its log leaves it. Nothing here is stored: it is always folded anew. */
export type SessionState = {
  workflow: string;
  version: string;
  forkedFrom: Origin | null;
  startedAt: string;
  updatedAt: string;
  lastSeq: number;
  /** Completed steps, in the order they were completed. */
  completed: string[];
  /** Values of the completed steps: the current truth. */
  values: Record<string, StepParams>;
  /** The last value given for every step, completed or not: what a reopened step is pre-filled with. */
  drafts: Record<string, StepParams>;
  finalized: boolean;
  archived: boolean;
  /** The name the person gave the session, if any (else one is derived from its values). */
  title?: string;
  notes: Record<string, { text: string; at: string; seq: number }[]>;
  jobs: Record<string, JobStatus>;
};

/** Thrown when a log's events do not make a session (no start, or a start that is not first). */
export class FoldError extends Error {}

/** Replays events into the session state. Pure: the same events always give the same state. */
export function fold(events: readonly LogEvent[], uptoSeq = Infinity): SessionState {
  const first = events[0];
  if (!first || first.type !== 'session.started') throw new FoldError('the log does not begin with session.started');
  return advance(initial(first), events.slice(1), uptoSeq);
}

/**
 * The state after further events, for replaying from a snapshot: `fold(all) = advance(fold(head), tail)`.
 * The given state is not changed.
 */
export function advance(state: SessionState, events: readonly LogEvent[], uptoSeq = Infinity): SessionState {
  const next = structuredClone(state);
  for (const e of events) {
    if (e.seq > uptoSeq) break;
    if (e.seq !== next.lastSeq + 1) throw new FoldError(`seq ${e.seq} follows seq ${next.lastSeq}`);
    apply(next, e);
  }
  return next;
}

function initial(first: Extract<LogEvent, { type: 'session.started' }>): SessionState {
  return {
    workflow: first.workflow,
    version: first.version,
    forkedFrom: first.forkedFrom,
    startedAt: first.at,
    updatedAt: first.at,
    lastSeq: first.seq,
    completed: [],
    values: {},
    drafts: {},
    finalized: false,
    archived: false,
    notes: {},
    jobs: {},
  };
}

function apply(state: SessionState, e: LogEvent): void {
  state.lastSeq = e.seq;
  state.updatedAt = e.at;
  switch (e.type) {
    case 'session.started':
      throw new FoldError(`session.started appears again at seq ${e.seq}`);
    case 'param.set':
      (state.drafts[e.step] ??= {})[e.key] = { value: e.value, source: e.source, seq: e.seq, ...(e.was && { was: e.was }) };
      break;
    case 'step.completed':
      if (!state.completed.includes(e.step)) state.completed.push(e.step);
      state.values[e.step] = { ...state.drafts[e.step] };
      break;
    case 'step.reverted':
      reopen(state, e.step);
      break;
    case 'session.finalized':
      state.finalized = true;
      break;
    case 'session.unfinalized':
      state.finalized = false;
      break;
    case 'session.migrated':
      state.version = e.version;
      break;
    case 'session.archived':
    case 'session.unarchived':
      state.archived = e.type === 'session.archived';
      break;
    case 'session.titled':
      if (e.title) state.title = e.title;
      else delete state.title;
      break;
    case 'note':
      (state.notes[e.step ?? ''] ??= []).push({ text: e.text, at: e.at, seq: e.seq });
      break;
    default:
      state.jobs[e.step] = {
        job: e.job,
        status: e.type === 'job.started' ? 'running' : (e.type.slice(4) as JobStatus['status']),
        ...(e.error !== undefined && { error: e.error }),
        seq: e.seq,
        at: e.at,
      };
  }
}

/** Reopens a step: it and every step completed after it leave the current values; drafts keep them. */
function reopen(state: SessionState, step: string): void {
  const at = state.completed.indexOf(step);
  if (at < 0) return;
  for (const dropped of state.completed.splice(at)) {
    delete state.values[dropped];
    delete state.jobs[dropped];
  }
}
