import type { Step, Values } from '../engine/definition.ts';
import type { SessionFiles } from '../files/session-files.ts';
import { widgetOf, type Output } from './registry.ts';

/** A step's outputs, or why there are none to show. */
export type Shown = { ok: true; outputs: Output[] } | { ok: false; error: string };

/**
 * Calls a step's `show` (author code) and checks what it returned: a list of outputs of known widgets. An error
 * or a bad shape becomes a sentence, never an exception out of the page. Outputs are derived here on every
 * render, never stored.
 */
export function showOutputs(step: Step, values: Values, files: SessionFiles): Shown {
  if (!step.show) return { ok: true, outputs: [] };
  let outputs: unknown;
  try {
    outputs = step.show(values, files);
  } catch (err) {
    return { ok: false, error: `show() failed: ${(err as Error)?.message ?? String(err)}` };
  }
  if (!Array.isArray(outputs)) return { ok: false, error: 'show() must return a list of outputs' };
  const unknown = outputs.find((o) => !widgetOf((o as Output | null)?.widget));
  if (unknown !== undefined) return { ok: false, error: `show() returned an output of no known widget: ${JSON.stringify((unknown as Output | null)?.widget ?? unknown)}` };
  return { ok: true, outputs: outputs as Output[] };
}
