import type { NewEvent, Source } from '../log/events.ts';
import type { SessionState } from '../log/fold.ts';
import type { Step, Values, Workflow } from './definition.ts';
import { parseStepValues } from '../fields/step.ts';
import { fieldAt } from '../fields/paths.ts';
import type { Services } from '../fields/types.ts';
import { plain } from './progress.ts';
import { shown } from './skips.ts';

/**
 * A new session's first values, and the reason seeding stopped early, if it did. `reentry` says it stopped only
 * because secrets or files must be given again (they do not travel in a log): the step opens to ask for them.
 */
export type Seed = { events: NewEvent[]; stoppedAt?: string; reentry?: boolean };

/**
 * The events that give a new session the values of another's completed steps, in workflow order, up to and
 * including `upto` (all of them when it is undefined). Forks and imports both start this way. Every value is
 * checked against today's definition as if typed anew: the first step whose values no longer pass stops the
 * seeding there (that step opens), and says why. Steps the workflow no longer has, steps its conditions now
 * skip, and values that are neither a field of their step nor a result of its job, are left behind.
 */
export async function seedEvents(state: SessionState, workflow: Workflow, upto: string | undefined, source: Source, services?: Services): Promise<Seed> {
  const events: NewEvent[] = [];
  const values: Values = {};
  const last = upto === undefined ? workflow.steps.length - 1 : workflow.steps.findIndex((s) => s.id === upto);
  for (const step of workflow.steps.slice(0, last + 1)) {
    if (!state.completed.includes(step.id) || !shown(step, values)) continue;
    const params = state.values[step.id] ?? {};
    const { values: own, errors } = await parseStepValues(step, { values: plain(params) }, values, services);
    const [path, message] = Object.entries(errors)[0] ?? [];
    if (path) {
      const reentry = Object.keys(errors).every((p) => ['secret', 'file'].includes(fieldAt(step.fields, p)?.kind ?? ''));
      return { events, stoppedAt: `step "${step.title}", ${path}: ${message}`, ...(reentry && { reentry }) };
    }
    Object.assign(values, own);
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
