import type { SessionState } from './fold.ts';
import type { Head } from './store.ts';

/**
 * Whether a value read back from a snapshot has the shape a fold leaves: every field of SessionState of its
 * kind, each step's values and drafts made of params, each note list and job status of its kind, and its last
 * seq `seq`. Pure. A snapshot's state is derived, so one that fails this is not repaired but refolded.
 */
export function isFoldedState(value: unknown, seq: number): value is SessionState {
  if (!isRecord(value)) return false;
  const s = value;
  return (
    typeof s.workflow === 'string' &&
    typeof s.version === 'string' &&
    (s.forkedFrom === null || isRecord(s.forkedFrom)) &&
    typeof s.startedAt === 'string' &&
    typeof s.updatedAt === 'string' &&
    s.lastSeq === seq &&
    Array.isArray(s.completed) &&
    s.completed.every((step) => typeof step === 'string') &&
    everyValue(s.values, isStepParams) &&
    everyValue(s.drafts, isStepParams) &&
    typeof s.finalized === 'boolean' &&
    typeof s.archived === 'boolean' &&
    (s.title === undefined || typeof s.title === 'string') &&
    everyValue(s.notes, (list) => Array.isArray(list) && list.every((n) => isRecord(n) && typeof n.text === 'string' && typeof n.at === 'string' && Number.isInteger(n.seq))) &&
    everyValue(s.jobs, (job) => isRecord(job) && typeof job.job === 'string' && typeof job.status === 'string' && Number.isInteger(job.seq) && typeof job.at === 'string')
  );
}

/** Whether a value is a head: a byte size, a seq and a hash. */
export function isHead(value: unknown): value is Head {
  return isRecord(value) && Number.isInteger(value.size) && Number.isInteger(value.seq) && typeof value.hash === 'string';
}

const isStepParams = (params: unknown) => everyValue(params, (p) => isRecord(p) && 'value' in p && typeof p.source === 'string' && Number.isInteger(p.seq));

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function everyValue(value: unknown, ok: (each: unknown) => boolean): boolean {
  return isRecord(value) && Object.values(value).every(ok);
}
