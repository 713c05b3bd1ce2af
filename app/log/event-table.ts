/**
 * The session log's event types, in one table: for each type, the fields a line must carry (checked before it is
 * replayed or imported), what replaying it does to the folded state, and how the history says it in words. The
 * type union (`LogEvent` in events.ts), the shape checks (event-shape.ts), the fold (fold.ts) and the history's
 * words (views/history.tsx) are all derived from it, so a type added here is handled everywhere or the compiler
 * says where not. Documented in docs/log-format.md.
 */
import type { JobStatus, SessionState } from './fold.ts';
import { isId, isKey } from './names.ts';

/** Any JSON value a parameter may hold. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** Where a parameter value came from. */
export type Source = 'user' | 'default' | 'fork' | 'import' | 'job';

/** Where a session's first values came from: another session (fork) or an imported file. */
export type Origin = { session: string; seq: number } | { file: string; seq: number };

/** Free-form per-entry metadata (why, what was offered); the fold ignores it. */
export type Meta = { [key: string]: Json };

/** Thrown when a log's events do not make a session (no start, or a start that is not first). */
export class FoldError extends Error {}

/** Every line carries its place, its time and `hash`: sha256 over the previous line's hash and this line. */
export type Base = { seq: number; at: string; hash: string; meta?: Meta };

/** A check that a field read from a line has the type it is declared with. */
export type Guard<T> = (value: unknown) => value is T;
/** A field a line may leave out. */
export type Optional<T> = { optional: Guard<T> };
type Check = Guard<any> | Optional<any>;
/** The fields an event type carries beyond seq, at, hash and meta, each with its check. */
export type Shape = Record<string, Check>;

/** The fields a shape declares, typed by their checks (optional ones may be absent). */
export type Carried<S extends Shape> = {
  -readonly [K in keyof S as S[K] extends Optional<any> ? never : K]: S[K] extends Guard<infer T> ? T : never;
} & { -readonly [K in keyof S as S[K] extends Optional<any> ? K : never]?: S[K] extends Optional<infer T> ? T : never };

/** One event of type T with shape S, as a line of the log holds it. */
export type EventLine<T, S extends Shape> = Base & { type: T } & Carried<S>;

/**
 * A piece of an entry in words. The view renders each kind (a step by its title, a field by its label, a value
 * formatted as its field shows it, a source in words, text a person gave kept apart from the words around it) and
 * the text stays free of markup.
 */
export type Phrase = (
  | string
  | { step: string }
  | { label: FieldRef }
  | { value: Json; of?: FieldRef }
  | { source: Source }
  | { note: string }
  | { given: string }
)[];

/** A field named by its step and key: the view shows its label and formats values the way its kind does. */
export type FieldRef = { step: string; key: string };

/** Everything one event type is: its fields, its effect on the folded state, and its words. */
type Kind<T, S extends Shape> = {
  shape: S;
  fold: (state: SessionState, e: EventLine<T, S>) => void;
  words: (e: EventLine<T, S>) => Phrase;
};

/** Makes the table; each entry's `fold` and `words` are typed by its own shape. */
function table<S extends Record<string, Shape>>(kinds: { [T in keyof S]: Kind<T, S[T]> }) {
  return kinds;
}

const isString: Guard<string> = (v): v is string => typeof v === 'string';
const isJson: Guard<Json> = (v): v is Json => v !== undefined;
const optional = <T>(check: Guard<T>): Optional<T> => ({ optional: check });
const SOURCES: readonly Source[] = ['user', 'default', 'fork', 'import', 'job'];
const isSource: Guard<Source> = (v): v is Source => SOURCES.includes(v as Source);
const isStepOrNull: Guard<string | null> = (v): v is string | null => v === null || isId(v);
const isOrigin: Guard<Origin | null> = (v): v is Origin | null => {
  if (v === null) return true;
  if (typeof v !== 'object' || Array.isArray(v)) return false;
  const o = v as Record<string, unknown>;
  return typeof o.seq === 'number' && (isString(o.session) || isString(o.file));
};

/** The five job lifecycle types share their fields and words; the fold records the latest as the step's job. */
function jobKind<T extends string>(status: JobStatus['status'], verb: string) {
  return {
    shape: { step: isId, job: isString, error: optional(isString) },
    fold: (state: SessionState, e: EventLine<T, { step: Guard<string>; job: Guard<string>; error: Optional<string> }>) => {
      state.jobs[e.step] = { job: e.job, status, ...(e.error !== undefined && { error: e.error }), seq: e.seq, at: e.at };
    },
    words: (e: { step: string; error?: string }): Phrase => [`Job ${verb} in `, { step: e.step }, ...(e.error ? [`: ${e.error}`] : [])],
  };
}

/** The four types that carry nothing and turn one of the session's switches on or off. */
function switchKind(flag: 'finalized' | 'archived', on: boolean, word: string) {
  return { shape: {}, fold: (state: SessionState) => void (state[flag] = on), words: (): Phrase => [word] };
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

export const EVENT_TABLE = table({
  'session.started': {
    shape: { workflow: isId, version: isString, forkedFrom: isOrigin },
    fold: (_state, e) => {
      throw new FoldError(`session.started appears again at seq ${e.seq}`);
    },
    words: (e) => [`Session started (workflow version ${e.version})`],
  },
  'param.set': {
    shape: { step: isId, key: isKey, value: isJson, source: isSource, was: optional(isSource) },
    fold: (state, e) => {
      (state.drafts[e.step] ??= {})[e.key] = { value: e.value, source: e.source, seq: e.seq, ...(e.was && { was: e.was }) };
    },
    words: (e) => {
      const of = { step: e.step, key: e.key };
      return [{ step: e.step }, ' · ', { label: of }, ': ', { value: e.value, of }, ' ', { source: e.source }];
    },
  },
  'step.completed': {
    shape: { step: isId },
    fold: (state, e) => {
      if (!state.completed.includes(e.step)) state.completed.push(e.step);
      state.values[e.step] = { ...state.drafts[e.step] };
    },
    words: (e) => ['Completed ', { step: e.step }],
  },
  'step.reverted': {
    shape: { step: isId },
    fold: (state, e) => reopen(state, e.step),
    words: (e) => ['Reopened to edit (with the steps after it) ', { step: e.step }],
  },
  'session.finalized': switchKind('finalized', true, 'Finalized'),
  'session.unfinalized': switchKind('finalized', false, 'Unfinalized'),
  note: {
    shape: { step: isStepOrNull, text: isString },
    fold: (state, e) => void (state.notes[e.step ?? ''] ??= []).push({ text: e.text, at: e.at, seq: e.seq }),
    words: (e) => (e.step ? ['Note on ', { step: e.step }, ': ', { note: e.text }] : ['Note: ', { note: e.text }]),
  },
  'session.migrated': {
    shape: { version: isString },
    fold: (state, e) => void (state.version = e.version),
    words: (e) => [`Continued under workflow version ${e.version}`],
  },
  'session.titled': {
    shape: { title: isString },
    fold: (state, e) => {
      if (e.title) state.title = e.title;
      else delete state.title;
    },
    words: (e) => (e.title ? ['Named the session “', { given: e.title }, '”'] : ['Went back to the name derived from its values']),
  },
  'session.archived': switchKind('archived', true, 'Archived'),
  'session.unarchived': switchKind('archived', false, 'Unarchived'),
  'job.started': jobKind<'job.started'>('running', 'started'),
  'job.finished': jobKind<'job.finished'>('finished', 'finished'),
  'job.failed': jobKind<'job.failed'>('failed', 'failed'),
  'job.cancelled': jobKind<'job.cancelled'>('cancelled', 'cancelled'),
  'job.interrupted': jobKind<'job.interrupted'>('interrupted', 'interrupted'),
});

type Table = typeof EVENT_TABLE;
/** Every event type this version of Cardtrail knows. */
export type EventType = keyof Table;
/** The event of one type, as the table declares it. */
export type EventOf<T extends EventType> = Table[T] extends Kind<T, infer S> ? EventLine<T, S> : never;

/** The table's entry for a type named on a line, or undefined for a type this version does not know. */
export function kindOf(type: unknown): Kind<EventType, Shape> | undefined {
  return typeof type === 'string' && Object.hasOwn(EVENT_TABLE, type) ? (EVENT_TABLE[type as EventType] as unknown as Kind<EventType, Shape>) : undefined;
}

