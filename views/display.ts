import { optionOf, type Field, type Step, type Workflow } from '../app/engine/definition.ts';
import type { Json } from '../app/log/events.ts';
import { formatValue } from './format.ts';

/**
 * A value as a person reads it, in the words of its field: option labels for chosen options, and a group's
 * parts by their labels ("Name: Ada; Adults: 2"), not by their keys. Without a field it falls back to
 * formatValue.
 */
export function displayValue(field: Field | undefined, value: Json | undefined): string {
  if (!field || value === undefined || value === null) return formatValue(value);
  switch (field.kind) {
    case 'group': {
      if (typeof value !== 'object' || Array.isArray(value)) return formatValue(value);
      const parts = field.fields.filter((sub) => sub.key in value).map((sub) => `${sub.label}: ${displayValue(sub, value[sub.key])}`);
      const known = new Set(field.fields.map((sub) => sub.key));
      const rest = Object.entries(value).filter(([key]) => !known.has(key)).map(([key, v]) => `${key}: ${formatValue(v)}`);
      return [...parts, ...rest].join('; ') || '—';
    }
    case 'select':
    case 'choices': {
      const labels = new Map(field.options.map((o) => [optionOf(o).value, optionOf(o).label]));
      const one = (v: Json) => (typeof v === 'string' ? (labels.get(v) ?? v) : formatValue(v));
      return Array.isArray(value) ? (value.length ? value.map(one).join(', ') : '—') : one(value);
    }
    default:
      return formatValue(value);
  }
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
