import type { Json, NewEvent, Source } from '../log/events.ts';
import type { SessionState, StepParams } from '../log/fold.ts';
import type { Field, Step, Values, Workflow } from './definition.ts';
import { parseStepValues } from '../fields/step.ts';
import { defaultOf } from '../fields/field.ts';
import { fieldAt } from '../fields/paths.ts';
import type { Services } from '../fields/types.ts';
import { plain } from './progress.ts';
import { shown } from './skips.ts';

/**
 * A new session's first values; the reason seeding stopped early, if it did; in words, every value that was
 * recorded otherwise than the source had it or was left behind (shown in the new session's history); and
 * `reentry` when it stopped only because secrets or files must be given again (they do not travel in a log):
 * the step opens to ask for them.
 */
export type Seed = { events: NewEvent[]; stoppedAt?: string; changes: string[]; reentry?: boolean };

/**
 * The events that give a new session the values of another's completed steps, in workflow order, up to and
 * including `upto` (all of them when it is undefined). Forks and imports both start this way. Every value is
 * parsed by today's definition as if typed anew, and the parsed value is what is recorded (a number given as
 * text becomes the number; keys a group does not have are dropped); its `was` is worked out again, never
 * taken from the source. The first step whose values no longer pass stops the seeding there (that step
 * opens), and says why. Steps the workflow no longer has, steps its conditions now skip, values that are
 * neither a field of their step nor a result of a job that finished, are left behind, and `changes` says so.
 */
export async function seedEvents(state: SessionState, workflow: Workflow, upto: string | undefined, source: Source, services?: Services): Promise<Seed> {
  const events: NewEvent[] = [];
  const changes: string[] = [];
  const values: Values = {};
  const last = upto === undefined ? workflow.steps.length - 1 : workflow.steps.findIndex((s) => s.id === upto);
  for (const step of workflow.steps.slice(0, last + 1)) {
    if (!state.completed.includes(step.id) || !shown(step, values)) continue;
    const params = state.values[step.id] ?? {};
    const { values: own, errors } = await parseStepValues(step, { values: plain(params) }, values, services);
    if (Object.keys(errors).length) {
      // A secret or a file is only ever given again: the reason named is a value that is wrong, when there is one.
      const given = (p: string) => ['secret', 'file'].includes(fieldAt(step.fields, p)?.kind ?? '');
      const [path, message] = Object.entries(errors).find(([p]) => !given(p)) ?? Object.entries(errors)[0];
      const reentry = given(path);
      return { events, stoppedAt: `step "${step.title}", ${path}: ${message}`, changes, ...(reentry && { reentry }) };
    }
    for (const field of step.fields) events.push(carried(step, field, own[field.key] ?? null, params[field.key]?.value, { source, values, changes }));
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
 * The line that carries one field's value, parsed by today's field, into a new session with its `was` worked out
 * again (the suggestion made from the `values` before it, or the user's); a value recorded otherwise than `given`
 * is said in `changes` and keeps the source's in its meta. The value joins `values`.
 */
export function carried(step: Step, field: Field, value: Json, given: Json | undefined, into: { source: Source; values: Values; changes: string[] }): NewEvent {
  const changed = !sameJson(given, value);
  if (changed) into.changes.push(`${step.title} · ${field.key}: ${given === undefined ? 'not in the source' : `given as ${brief(given)}`}, recorded as ${brief(value)}`);
  const was: Source = sameJson(value, defaultOf(field, into.values)) ? 'default' : 'user';
  into.values[field.key] = value;
  return { type: 'param.set', step: step.id, key: field.key, value, source: into.source, was, ...(changed && { meta: { given: given ?? null } }) };
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
