import type { NewEvent, Source } from '../log/events.ts';
import type { SessionState } from '../log/fold.ts';
import type { Workflow } from './definition.ts';

/**
 * The events that give a new session the values of another's completed steps, in workflow order, up to and
 * including `upto` (all of them when it is undefined). Forks and imports both start this way; steps the
 * workflow no longer has are left behind.
 */
export function seedEvents(state: SessionState, workflow: Workflow, upto: string | undefined, source: Source): NewEvent[] {
  const events: NewEvent[] = [];
  const last = upto === undefined ? workflow.steps.length - 1 : workflow.steps.findIndex((s) => s.id === upto);
  for (const step of workflow.steps.slice(0, last + 1)) {
    if (!state.completed.includes(step.id)) continue;
    for (const [key, param] of Object.entries(state.values[step.id] ?? {}))
      events.push({ type: 'param.set', step: step.id, key, value: param.value, source, was: param.was ?? param.source });
    events.push({ type: 'step.completed', step: step.id });
  }
  return events;
}
