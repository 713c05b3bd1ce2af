import type { Json } from '../log/events.ts';
import type { SessionState } from '../log/fold.ts';
import type { Field, Step, Values } from './definition.ts';
import { defaultOf, parseField, toRaw, type RawForm } from './fields.ts';

/**
 * What an open step's form starts with. A value the user typed before comes back as it was while it is still
 * valid given today's earlier values; a value that was the suggested default, or that no longer passes, is
 * suggested anew, so an edited earlier step flows on to the steps after it.
 */
export function prefill(step: Step, state: SessionState, values: Values): RawForm {
  const raw: RawForm = {};
  const drafts = state.drafts[step.id] ?? {};
  for (const field of step.fields) {
    const draft = drafts[field.key];
    const suggested = defaultOf(field, values);
    const wasSuggestion = draft && (draft.source === 'default' || draft.was === 'default');
    const keep = draft && (suggested === undefined || (!wasSuggestion && stillValid(field, draft.value, values)));
    toRaw(field, keep ? draft.value : (suggested ?? draft?.value) as Json | undefined, '', raw);
  }
  return raw;
}

function stillValid(field: Field, value: Json, values: Values): boolean {
  const raw: RawForm = {};
  toRaw(field, value, '', raw);
  const errors = {};
  parseField(field, raw, '', values, errors);
  return Object.keys(errors).length === 0;
}
