import type { Step, Values } from './definition.ts';
import { defaultOf, toRaw, type RawForm } from './fields.ts';

/** A suggestion the form does not show because it holds a value of the person's own. */
export type Offer = { key: string; raw: string };

/** The kinds whose value is one line of text in one control, so a suggestion can be put in with one click. */
const SINGLE = new Set(['text', 'textarea', 'number']);

/**
 * The suggestions (derived defaults) that differ from what the open form holds: after an earlier step was
 * edited, a value the person typed is kept, and the new suggestion is offered beside it rather than lost.
 */
export function changedSuggestions(step: Step, raw: RawForm, values: Values): Offer[] {
  const offers: Offer[] = [];
  for (const field of step.fields) {
    if (!SINGLE.has(field.kind) || typeof field.default !== 'function') continue;
    const suggested: RawForm = {};
    toRaw(field, defaultOf(field, values), '', suggested);
    const text = suggested[field.key];
    if (typeof text === 'string' && text !== '' && raw[field.key] !== undefined && raw[field.key] !== text) offers.push({ key: field.key, raw: text });
  }
  return offers;
}
