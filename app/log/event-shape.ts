import { EVENT_TYPES, type Source } from './events.ts';
import { isId, isKey } from './names.ts';

const SOURCES: ReadonlySet<Source> = new Set(['user', 'default', 'fork', 'import', 'job']);

type Fields = Record<string, unknown>;
const isString = (v: unknown) => typeof v === 'string';
const isOrigin = (v: unknown) =>
  v === null ||
  (typeof v === 'object' && !Array.isArray(v) && typeof (v as Fields).seq === 'number' && (isString((v as Fields).session) || isString((v as Fields).file)));

/**
 * What each event type must carry beyond seq, at and hash. A log is read from disk and may be imported from a
 * file anyone could write, so nothing it names is trusted until it has the right shape.
 */
const REQUIRED: Record<string, Record<string, (v: unknown) => boolean>> = {
  'session.started': { workflow: isId, version: isString, forkedFrom: isOrigin },
  'param.set': { step: isId, key: isKey, source: (v) => SOURCES.has(v as Source) },
  'step.completed': { step: isId },
  'step.reverted': { step: isId },
  note: { step: (v) => v === null || isId(v), text: isString },
  'session.migrated': { version: isString },
  'session.titled': { title: isString },
  'job.started': { step: isId, job: isString },
};
for (const end of ['job.finished', 'job.failed', 'job.cancelled', 'job.interrupted']) REQUIRED[end] = REQUIRED['job.started'];

/** Why a parsed line is not a well-formed event (at the expected seq, when one is expected), or undefined. */
export function problemWith(value: unknown, expectedSeq: number | undefined): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object';
  const fields = value as Fields;
  const { seq, type, at, hash } = fields;
  if (typeof seq !== 'number' || (expectedSeq !== undefined && seq !== expectedSeq))
    return `seq is ${JSON.stringify(seq)}, expected ${expectedSeq ?? 'a number'}`;
  if (typeof type !== 'string' || !EVENT_TYPES.has(type)) return `unknown event type ${JSON.stringify(type)}`;
  if (typeof at !== 'string' || Number.isNaN(Date.parse(at))) return 'at is not a time';
  if (typeof hash !== 'string') return 'hash is missing';
  for (const [name, ok] of Object.entries(REQUIRED[type] ?? {}))
    if (!ok(fields[name])) return `${type} has a missing or malformed ${name}`;
  if (type === 'param.set' && !('value' in fields)) return 'param.set has no value';
  return undefined;
}
