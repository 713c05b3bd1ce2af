import type { SessionState, StepParams } from '../log/fold.ts';
import type { Json } from '../log/events.ts';
import type { Step, Values, Workflow } from './definition.ts';

/** The first step, in the workflow's order, that is not completed; undefined when all are. */
export function currentStep(workflow: Workflow, state: SessionState): Step | undefined {
  return workflow.steps.find((s) => !state.completed.includes(s.id));
}

/**
 * The current values of the completed steps, flattened by field key: what defaults, validators and jobs see.
 * Only steps the workflow still has count; values of removed steps stay in the log but are not applied.
 */
export function valuesOf(state: SessionState, workflow: Workflow): Values {
  const values: Values = {};
  for (const step of workflow.steps) if (state.completed.includes(step.id)) Object.assign(values, plain(state.values[step.id]));
  return values;
}

/** A step's parameters without their provenance. */
export function plain(params: StepParams | undefined): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const [key, p] of Object.entries(params ?? {})) out[key] = p.value;
  return out;
}
