import type { Field, Workflow } from '../app/engine/definition.ts';
import type { Json } from '../app/log/events.ts';
import type { SessionState } from '../app/log/fold.ts';

const LONGEST = 60;

/** The first words a person gave: a field's text, or the first text inside a group. */
function textOf(field: Field, value: Json | undefined): string | undefined {
  if (typeof value === 'string') return field.kind === 'text' || field.kind === 'textarea' ? value.trim() || undefined : undefined;
  if (field.kind === 'group' && value && typeof value === 'object' && !Array.isArray(value))
    for (const sub of field.fields) {
      const text = textOf(sub, value[sub.key]);
      if (text) return text;
    }
  return undefined;
}

/**
 * What a session is called, told apart from the others of its workflow by the first text given in it:
 * "Hello — Ada Lovelace". Until a text is given it is the workflow's title.
 */
export function sessionTitle({ workflow, state }: { workflow: Workflow; state: SessionState }): string {
  for (const step of workflow.steps)
    for (const field of step.fields) {
      const text = textOf(field, (state.values[step.id] ?? state.drafts[step.id])?.[field.key]?.value);
      if (text) return `${workflow.title} — ${text.length > LONGEST ? `${text.slice(0, LONGEST - 1)}…` : text}`;
    }
  return workflow.title;
}
