import type { NewEvent, Source } from '../log/events.ts';
import type { SessionState } from '../log/fold.ts';
import type { Step, Values, Workflow } from './definition.ts';
import { parseField, toRaw, type FieldErrors, type RawForm } from './fields.ts';

/** A new session's first values, and the reason seeding stopped early, if it did. */
export type Seed = { events: NewEvent[]; stoppedAt?: string };

/**
 * The events that give a new session the values of another's completed steps, in workflow order, up to and
 * including `upto` (all of them when it is undefined). Forks and imports both start this way. Every value is
 * checked against today's definition as if typed anew: the first step whose values no longer pass stops the
 * seeding there (that step opens), and says why. Steps the workflow no longer has, and values that are neither
 * a field of their step nor a result of its job, are left behind.
 */
export function seedEvents(state: SessionState, workflow: Workflow, upto: string | undefined, source: Source): Seed {
  const events: NewEvent[] = [];
  const values: Values = {};
  const last = upto === undefined ? workflow.steps.length - 1 : workflow.steps.findIndex((s) => s.id === upto);
  for (const step of workflow.steps.slice(0, last + 1)) {
    if (!state.completed.includes(step.id)) continue;
    const params = state.values[step.id] ?? {};
    const raw: RawForm = {};
    for (const field of step.fields) toRaw(field, params[field.key]?.value, '', raw);
    const errors: FieldErrors = {};
    for (const field of step.fields) values[field.key] = parseField(field, raw, '', values, errors);
    const [path, message] = Object.entries(errors)[0] ?? [];
    if (path) return { events, stoppedAt: `step "${step.title}", ${path}: ${message}` };
    for (const [key, param] of Object.entries(params)) {
      if (!belongs(step, workflow, key, param.was ?? param.source)) continue;
      events.push({ type: 'param.set', step: step.id, key, value: param.value, source, was: param.was ?? param.source });
      values[key] = param.value;
    }
    events.push({ type: 'step.completed', step: step.id });
  }
  return { events };
}

/** A value carried over is one of the step's fields, or a result its job returned (never another step's field). */
function belongs(step: Step, workflow: Workflow, key: string, origin: Source): boolean {
  if (step.fields.some((f) => f.key === key)) return true;
  if (origin !== 'job' || !step.run) return false;
  if (step.results) return key in step.results;
  return !workflow.steps.some((s) => s.fields.some((f) => f.key === key));
}
