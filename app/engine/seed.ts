import type { Json, NewEvent, Source } from '../log/events.ts';
import type { SessionState, StepParams } from '../log/fold.ts';
import type { Field, Step, Values, Workflow } from './definition.ts';
import { defaultOf, parseField, toRaw, type FieldErrors, type RawForm } from './fields.ts';

/**
 * A new session's first values; the reason seeding stopped early, if it did; and, in words, every value that was
 * recorded otherwise than the source had it or was left behind (shown in the new session's history).
 */
export type Seed = { events: NewEvent[]; stoppedAt?: string; changes: string[] };

/**
 * The events that give a new session the values of another's completed steps, in workflow order, up to and
 * including `upto` (all of them when it is undefined). Forks and imports both start this way. Every value is
 * parsed by today's definition as if typed anew, and the parsed value is what is recorded (a number given as
 * text becomes the number; keys a group does not have are dropped); its `was` is worked out again, never
 * taken from the source. The first step whose values no longer pass stops the seeding there (that step
 * opens), and says why. Steps the workflow no longer has, values that are neither a field of their step nor
 * a result of a job that finished, are left behind, and `changes` says so.
 */
export function seedEvents(state: SessionState, workflow: Workflow, upto: string | undefined, source: Source): Seed {
  const events: NewEvent[] = [];
  const changes: string[] = [];
  const values: Values = {};
  const last = upto === undefined ? workflow.steps.length - 1 : workflow.steps.findIndex((s) => s.id === upto);
  for (const step of workflow.steps.slice(0, last + 1)) {
    if (!state.completed.includes(step.id)) continue;
    const params = state.values[step.id] ?? {};
    const errors: FieldErrors = {};
    const parsed = step.fields.map((field) => ({ field, value: reparse(field, params[field.key]?.value, values, errors) }));
    const [path, message] = Object.entries(errors)[0] ?? [];
    if (path) return { events, stoppedAt: `step "${step.title}", ${path}: ${message}`, changes };
    for (const { field, value } of parsed) {
      const given = params[field.key]?.value;
      const changed = !sameJson(given, value);
      if (changed) changes.push(`${step.title} · ${field.key}: ${given === undefined ? 'not in the source' : `given as ${brief(given)}`}, recorded as ${brief(value)}`);
      const was: Source = sameJson(value, defaultOf(field, values)) ? 'default' : 'user';
      events.push({ type: 'param.set', step: step.id, key: field.key, value, source, was, ...(changed && { meta: { given: given ?? null } }) });
      values[field.key] = value;
    }
    for (const [key, param] of Object.entries(params)) {
      if (step.fields.some((f) => f.key === key)) continue;
      if (!jobResult(step, workflow, state, key, param)) {
        changes.push(`${step.title} · ${key}: left out (not a field of this step, nor a result of a job that finished in it)`);
        continue;
      }
      events.push({ type: 'param.set', step: step.id, key, value: param.value, source, was: 'job' });
      values[key] = param.value;
    }
    events.push({ type: 'step.completed', step: step.id });
  }
  for (const step of state.completed)
    if (!workflow.steps.some((s) => s.id === step)) changes.push(`step "${step}": left out (this workflow has no such step)`);
  return { events, changes };
}

/**
 * A value from another session or a file, parsed as if typed into its field's form. The one place seeding
 * reaches the field kinds, so replacing them changes this call only.
 */
export function reparse(field: Field, value: Json | undefined, values: Values, errors: FieldErrors): Json {
  const raw: RawForm = {};
  toRaw(field, value, '', raw);
  return parseField(field, raw, '', values, errors);
}

/**
 * A value carried as a job's result: a job of this step finished in the source (or the source carried it as
 * one, from its own origin), and it is one of the results the step declares (or, when it declares none, not
 * another step's field).
 */
function jobResult(step: Step, workflow: Workflow, state: SessionState, key: string, param: StepParams[string]): boolean {
  if (!step.run) return false;
  const ran = param.source === 'job' && state.jobs[step.id]?.status === 'finished';
  const carried = (param.source === 'fork' || param.source === 'import') && param.was === 'job' && state.forkedFrom !== null;
  if (!ran && !carried) return false;
  if (step.results) return Object.hasOwn(step.results, key);
  return !workflow.steps.some((s) => s.fields.some((f) => f.key === key));
}

function sameJson(a: Json | undefined, b: Json | undefined): boolean {
  return a !== undefined && b !== undefined && JSON.stringify(a) === JSON.stringify(b);
}

/** A value in a few words for the history: its JSON, cut at 80 characters. */
function brief(value: Json): string {
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}
