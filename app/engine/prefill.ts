import type { Json } from '../log/events.ts';
import type { SessionState } from '../log/fold.ts';
import type { Step, Values } from './definition.ts';
import { defaultOf, toRaw, type RawForm } from './fields.ts';

/**
 * What an open step's form starts with. A value the user typed before comes back as it was; a value that was
 * the suggested default is suggested anew from today's earlier values, so an edited earlier step flows on.
 */
export function prefill(step: Step, state: SessionState, values: Values): RawForm {
  const raw: RawForm = {};
  const drafts = state.drafts[step.id] ?? {};
  for (const field of step.fields) {
    const draft = drafts[field.key];
    const suggested = defaultOf(field, values);
    const keep = draft && (draft.source !== 'default' || suggested === undefined);
    toRaw(field, keep ? draft.value : (suggested ?? draft?.value) as Json | undefined, '', raw);
  }
  return raw;
}
