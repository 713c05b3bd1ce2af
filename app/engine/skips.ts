import type { SessionState } from '../log/fold.ts';
import type { Step, Values, Workflow } from './definition.ts';
import { plain } from './progress.ts';

/** Where a step stands: its values given, skipped by its `when` (and why), waiting for input, or not reached. */
export type Place = { step: Step } & ({ status: 'done' | 'open' | 'pending' } | { status: 'skipped'; reason: string });

/**
 * Every step's place, derived from the folded state and the definition alone (the fold knows nothing of
 * conditions). Steps are walked in order: a step whose `when` is false for the values of the steps before it
 * is skipped, and its values (if it has any) do not count; the first step neither done nor skipped is open;
 * steps after it that are not done are pending, since the values their conditions read may still change. (A
 * step done after the open one happens when a workflow gains a step: it stays done.)
 */
export function placesOf(workflow: Workflow, state: SessionState): { places: Place[]; values: Values; open: Step | undefined } {
  const values: Values = {};
  const places: Place[] = [];
  let open: Step | undefined;
  for (const step of workflow.steps) {
    if (open && !state.completed.includes(step.id)) places.push({ step, status: 'pending' });
    else if (!open && !shown(step, values)) places.push({ step, status: 'skipped', reason: reasonOf(step, values) });
    else if (state.completed.includes(step.id)) {
      places.push({ step, status: 'done' });
      Object.assign(values, plain(state.values[step.id]));
    } else {
      open = step;
      places.push({ step, status: 'open' });
    }
  }
  return { places, values, open };
}

/** Whether a step is asked for these earlier values; a condition that throws asks (nothing is skipped by accident). */
export function shown(step: Step, values: Values): boolean {
  if (!step.when) return true;
  try {
    return step.when(values) !== false;
  } catch {
    return true;
  }
}

/** The author's reason for skipping, or a plain one. */
function reasonOf(step: Step, values: Values): string {
  try {
    const reason = typeof step.skipReason === 'function' ? step.skipReason(values) : step.skipReason;
    if (typeof reason === 'string' && reason.trim()) return reason;
  } catch {
    // fall through to the plain reason
  }
  return 'not needed for the values given so far';
}
