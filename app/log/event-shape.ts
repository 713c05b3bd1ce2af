import { EVENT_TABLE, kindOf, type Shape } from './event-table.ts';

type Fields = Record<string, unknown>;
type Checks = Array<[string, Shape[string]]>;

/** Each type's field checks as a list, made once: every line of every log read is checked against one. */
const CHECKS = new Map<unknown, Checks>(Object.entries(EVENT_TABLE).map(([type, kind]) => [type, Object.entries(kind.shape) as Checks]));

/** Why a line's envelope (what every type carries) is wrong at the expected seq, or undefined. */
function envelopeProblem(fields: Fields, expectedSeq: number | undefined): string | undefined {
  const { seq, type, at, hash } = fields;
  if (typeof seq !== 'number' || (expectedSeq !== undefined && seq !== expectedSeq))
    return `seq is ${JSON.stringify(seq)}, expected ${expectedSeq ?? 'a number'}`;
  if (typeof type !== 'string') return `the event type is ${JSON.stringify(type)}, not a name`;
  if (typeof at !== 'string' || Number.isNaN(Date.parse(at))) return 'at is not a time';
  if (typeof hash !== 'string') return 'hash is missing';
  return undefined;
}

function asFields(value: unknown): Fields | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Fields) : undefined;
}

/**
 * Why a parsed line is not a well-formed event (at the expected seq, when one is expected), or undefined. What
 * each type must carry comes from EVENT_TABLE. A log is read from disk and may be imported from a file anyone
 * could write, so nothing it names is trusted until it has the right shape.
 */
export function problemWith(value: unknown, expectedSeq: number | undefined): string | undefined {
  const fields = asFields(value);
  if (!fields) return 'not a JSON object';
  const envelope = envelopeProblem(fields, expectedSeq);
  if (envelope) return envelope;
  const checks = CHECKS.get(fields.type);
  if (!checks) return `unknown event type ${JSON.stringify(fields.type)}`;
  for (const [name, check] of checks) {
    const present = Object.hasOwn(fields, name) && fields[name] !== undefined;
    const ok = typeof check === 'function' ? present && check(fields[name]) : !present || check.optional(fields[name]);
    if (!ok) return `${fields.type} has a missing or malformed ${name}`;
  }
  return undefined;
}

/**
 * The type of a line that is a whole event of a type this version does not know (written by a newer Cardtrail,
 * say): its envelope is right and only its type is unknown. Undefined for a known type or a broken envelope.
 */
export function unknownTypeOf(value: unknown, expectedSeq: number): string | undefined {
  const fields = asFields(value);
  if (!fields || envelopeProblem(fields, expectedSeq) || kindOf(fields.type)) return undefined;
  return fields.type as string;
}
