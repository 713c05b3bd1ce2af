import type { LogEvent } from '../log/events.ts';
import { EngineError } from './errors.ts';

/**
 * The name of the hidden field every changing form carries: the seq of the log's last entry when the page was
 * rendered. It has a dash, so it can never be a field's key or a group's path (keys are letters, digits and _).
 */
export const POSITION_FIELD = 'rendered-seq';

/** What a refused stale change says; the answer shows the current trail beneath it. */
export const OUT_OF_DATE = 'This page is out of date — here is the current one.';

/** Which steps a change depends on: a submit or revert on the steps up to its own, a finalize on all of them. */
export type Reach = (step: string) => boolean;

/**
 * Whether a change sent from a page rendered at log position `seen` is still what the person meant, given the
 * log now ends at `lastSeq` and `later` holds the entries after `seen`. It is not when a later entry changed a
 * value, a completion or a job of a step the change depends on, or the session's definition or lock; notes and
 * archiving leave the page valid. A position the log has not reached is not a page of this log. Without a
 * position (a client that sends none) there is nothing to compare, and the usual checks alone decide.
 */
export function isOutdated(seen: number | undefined, lastSeq: number, later: readonly LogEvent[], reach: Reach): boolean {
  if (seen === undefined || seen === lastSeq) return false;
  if (seen > lastSeq) return true;
  return later.some((e) => invalidates(e, reach));
}

function invalidates(e: LogEvent, reach: Reach): boolean {
  switch (e.type) {
    case 'note':
    case 'session.archived':
    case 'session.unarchived':
    case 'session.titled':
      return false;
    case 'param.set':
    case 'step.completed':
    case 'step.reverted':
    case 'job.started':
    case 'job.finished':
    case 'job.failed':
    case 'job.cancelled':
    case 'job.interrupted':
      return reach(e.step);
    case 'session.started':
    case 'session.migrated':
    case 'session.finalized':
    case 'session.unfinalized':
      return true;
    default:
      return unknownEvent(e);
  }
}

/** An entry this code does not know may change anything: the page is treated as out of date. */
function unknownEvent(_e: never): boolean {
  return true;
}

/** The position a form was rendered from: undefined when it carries none, 400 when it is not an entry number. */
export function positionOf(value: string | string[] | undefined): number | undefined {
  if (value === undefined) return undefined;
  const text = Array.isArray(value) ? value[0] : value;
  if (!/^[0-9]{1,15}$/.test(text)) throw new EngineError(400, `The page's log position "${text.slice(0, 40)}" is not an entry number.`);
  return Number(text);
}

/** The steps a change to `step` depends on: it and every step before it in the workflow. */
export function upTo(order: readonly { id: string }[], step: string): Reach {
  const index = order.findIndex((s) => s.id === step);
  const within = new Set(order.slice(0, index + 1).map((s) => s.id));
  return (id) => within.has(id) || index < 0;
}
