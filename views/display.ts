import type { Field, Step, Workflow } from '../app/engine/definition.ts';
import type { Json } from '../app/log/events.ts';
import { formatValue } from './format.ts';

/**
 * A value as a person reads it, in the words of its field: each kind shows its own (option labels for chosen
 * options, a group's parts by their labels, a secret by its fingerprint). Without a field (a job's result) it
 * falls back to formatValue.
 */
export function displayValue(field: Field | undefined, value: Json | undefined): string {
  return formatValue(value, field);
}

/** A step's field (or, for a job's result, undefined) by key. */
export function fieldOf(step: Step | undefined, key: string): Field | undefined {
  return step?.fields.find((f) => f.key === key);
}

/** What a key of a step is called on screen: its field's label, the job result's label, or the key itself. */
export function labelOf(workflow: Workflow, stepId: string, key: string): string {
  const step = workflow.steps.find((s) => s.id === stepId);
  return fieldOf(step, key)?.label ?? step?.results?.[key] ?? key;
}
