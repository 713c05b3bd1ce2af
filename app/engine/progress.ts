import type { SessionState, StepParams } from '../log/fold.ts';
import type { Json } from '../log/events.ts';
import type { Step, Values, Workflow } from './definition.ts';
import { placesOf } from './skips.ts';

/** The first step, in the workflow's order, that is neither completed nor skipped; undefined when none is left. */
export function currentStep(workflow: Workflow, state: SessionState): Step | undefined {
  return placesOf(workflow, state).open;
}

/**
 * The current values of the completed steps, flattened by field key: what defaults, validators and jobs see.
 * Only steps the workflow still has, and that are not skipped, count; values of removed steps stay in the log but are not applied.
 */
export function valuesOf(state: SessionState, workflow: Workflow): Values {
  return placesOf(workflow, state).values;
}

/** A step's parameters without their provenance. */
export function plain(params: StepParams | undefined): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const [key, p] of Object.entries(params ?? {})) out[key] = p.value;
  return out;
}
