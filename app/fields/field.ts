// Dispatch from a field to its kind's module: parsing (with the checks every kind shares), writing back into a
// form, defaults, display and the value a job gets. The kinds themselves live in kinds/, one file each.
import type { Json } from '../log/events.ts';
import { KINDS, type Field } from './registry.ts';
import { isStandardSchema, issuePath } from './standard-schema.ts';
import type { JobReach, KindModule, Maybe, Parse, ParseContext, RawForm, Values, Verdict } from './types.ts';

/** A field's kind module. */
export function kindOf<F extends Field>(field: F): KindModule<F> {
  return KINDS[field.kind] as unknown as KindModule<F>;
}

/** The path a field's control is named by in the form. */
export function pathOf(field: { key: string }, prefix: string): string {
  return prefix ? `${prefix}.${field.key}` : field.key;
}

/**
 * The field's default for these earlier values; an author's default that throws counts as none. A kind may
 * suggest one of its own when the author gave none (a group: its fields' defaults).
 */
export function defaultOf(field: Field, values: Values): Json | undefined {
  if (field.default === undefined) return kindOf(field).defaultOf?.(field, values);
  try {
    return typeof field.default === 'function' ? (field.default as (v: Values) => Json)(values) : (field.default as Json);
  } catch {
    return undefined;
  }
}

/** Writes a value into the raw form the way its control shows it. */
export function toRaw(field: Field, value: Json | undefined, prefix: string, into: RawForm): void {
  if (value === undefined || value === null) return;
  kindOf(field).toRaw(field, value, pathOf(field, prefix), into);
}

/** The value as a person reads it. */
export function showValue(field: Field, value: Json | undefined): string {
  if (value === undefined || value === null || value === '') return '—';
  return kindOf(field).show(field, value);
}

/** The value a job receives: what was recorded, with secrets revealed and files' paths added. */
export function jobValue(field: Field, value: Json | undefined, reach: JobReach): Json | undefined {
  if (value === undefined || value === null) return value;
  const kind = kindOf(field);
  return kind.forJob ? kind.forJob(field, value, reach) : value;
}

/**
 * Reads one field from the raw form: its typed value, with messages in `ctx.errors` for what is wrong. Once the
 * kind has read an acceptable value, the field's schema and then its `validate` see it; a container's checks
 * run once each of its fields is acceptable. The result is a promise only when an async check is awaited.
 */
export function parseValue(field: Field, ctx: ParseContext, prefix: string): Maybe<Json> {
  const path = pathOf(field, prefix);
  const before = Object.keys(ctx.errors).length;
  const p: Parse = {
    ...ctx,
    path,
    one: first(ctx.raw[path]),
    all: all(ctx.raw[path]),
    fail: (message) => {
      ctx.errors[path] = message;
      return null;
    },
    missing: () => {
      if (field.required) ctx.errors[path] = `${field.label} is required.`;
      return null;
    },
  };
  return chain(kindOf(field).parse(field, p), (value) =>
    Object.keys(ctx.errors).length === before && value !== null ? checked(field, value, ctx, path) : value,
  );
}

/** Runs the field's schema, then its validate, on a value its kind accepted. */
function checked(field: Field, value: Json, ctx: ParseContext, path: string): Maybe<Json> {
  const limit = field.timeLimit ?? DEFAULT_LIMIT;
  const fail = (err: unknown) => {
    ctx.errors[path] ??= err === TIMEOUT ? `${field.label} could not be checked in time (over ${seconds(limit)}).` : `${field.label} could not be checked: ${(err as Error)?.message ?? err}`;
  };
  const viaSchema: Maybe<Json> = !isStandardSchema(field.schema)
    ? value
    : attempt(ctx, limit, () => field.schema!['~standard'].validate(value), fail, value, (result) => {
        if (result.issues) {
          for (const issue of result.issues) ctx.errors[joinPath(path, issuePath(issue))] ??= issue.message;
          return value;
        }
        return asJson(result.value, value);
      });
  if (!field.validate) return viaSchema;
  return chain(viaSchema, (v) =>
    Object.keys(ctx.errors).some((k) => k === path || k.startsWith(`${path}.`))
      ? v
      : attempt(ctx, limit, () => (field.validate as (v: Json, all: Values) => Maybe<Verdict>)(v, ctx.values), fail, v, (message) => {
          if (message) ctx.errors[path] ??= message;
          return v;
        }),
  );
}

/**
 * Runs a check that may be sync or async. An async one is awaited with its time limit, or, when only the
 * shape is being checked (mode 'sync'), passed over. A throw or rejection becomes the field's message.
 */
export function attempt<R>(
  ctx: Pick<ParseContext, 'mode'>,
  limit: number,
  run: () => Maybe<R>,
  fail: (err: unknown) => void,
  value: Json,
  use: (result: R) => Json,
): Maybe<Json> {
  let result: Maybe<R>;
  try {
    result = run();
  } catch (err) {
    fail(err);
    return value;
  }
  if (!(result instanceof Promise)) return use(result);
  if (ctx.mode === 'sync') {
    result.catch(() => {});
    return value;
  }
  return within(result, limit).then(use, (err) => {
    fail(err);
    return value;
  });
}

/** Applies `then` now, or when the value arrives. */
export function chain<T, U>(value: Maybe<T>, then: (v: T) => Maybe<U>): Maybe<U> {
  return value instanceof Promise ? value.then(then) : then(value);
}

/** Every value, now when none waits on a check, else once all have arrived. */
export function settleAll<T>(values: Maybe<T>[]): Maybe<T[]> {
  return values.some((v) => v instanceof Promise) ? Promise.all(values) : (values as T[]);
}

const DEFAULT_LIMIT = 5000;
const TIMEOUT = Symbol('timeout');

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(TIMEOUT), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

function joinPath(path: string, sub: string): string {
  return sub ? `${path}.${sub}` : path;
}

/** A schema's output as JSON (dates become ISO strings); the input value when it has none that JSON can hold. */
function asJson(output: unknown, fallback: Json): Json {
  if (output === undefined) return fallback;
  try {
    return JSON.parse(JSON.stringify(output)) as Json;
  } catch {
    return fallback;
  }
}

function first(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

function all(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : (Array.isArray(value) ? value : [value]).filter((v) => v !== '');
}
