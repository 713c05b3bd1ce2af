import type { Field, Workflow } from './definition.ts';
import { isBlank } from '../fields/blank.ts';
import { showValue } from '../fields/field.ts';
import type { Json } from '../log/events.ts';
import type { SessionState } from '../log/fold.ts';

const LONGEST = 60;

/** The first words a person gave: a field's text, or the first text inside a group. */
function textOf(field: Field, value: Json | undefined): string | undefined {
  if (typeof value === 'string') return (field.kind === 'text' || field.kind === 'textarea') && !isBlank(value) ? value.trim() : undefined;
  if (field.kind === 'group' && value && typeof value === 'object' && !Array.isArray(value))
    for (const sub of field.fields) {
      const text = textOf(sub, value[sub.key]);
      if (text) return text;
    }
  return undefined;
}

/**
 * What a session is called: the name the person gave it, or else its workflow's title and the first text given
 * in it ("Hello — Ada Lovelace"), which tells it apart from the others; until a text is given, the workflow's.
 */
export function sessionTitle({ workflow, state }: { workflow: Workflow; state: SessionState }): string {
  // A title of nothing visible (kept by an older version, or brought by an import) counts as none.
  if (state.title && !isBlank(state.title)) return state.title;
  for (const step of workflow.steps)
    for (const field of step.fields) {
      const text = textOf(field, (state.values[step.id] ?? state.drafts[step.id])?.[field.key]?.value);
      if (text) return `${workflow.title} — ${text.length > LONGEST ? `${text.slice(0, LONGEST - 1)}…` : text}`;
    }
  return workflow.title;
}

const PREVIEW = 100;

/** The first values of a session's done steps by their labels, shortened: "Name: Ada · Greeting: Hello Ada!". */
export function valuePreview({ workflow, state }: { workflow: Workflow; state: SessionState }): string {
  const parts: string[] = [];
  for (const step of workflow.steps) {
    if (!state.completed.includes(step.id)) continue;
    for (const field of step.fields) {
      const param = state.values[step.id]?.[field.key];
      if (param && param.value !== null && param.value !== '') parts.push(`${field.label}: ${showValue(field, param.value)}`);
    }
  }
  const text = parts.join(' · ');
  return text.length > PREVIEW ? `${text.slice(0, PREVIEW - 1)}…` : text;
}
