// The engine's view of fields; each kind's own rules live in app/fields/kinds/.
import type { Json } from '../log/events.ts';
import { parseValue } from '../fields/field.ts';
import type { Field } from '../fields/registry.ts';
import type { FieldErrors, RawForm, Values } from '../fields/types.ts';

export { defaultOf, pathOf, toRaw } from '../fields/field.ts';
export { parseStepValues } from '../fields/step.ts';
export type { FieldErrors, RawForm } from '../fields/types.ts';

/**
 * Reads one field from the raw form, checking shape and the author's synchronous checks only: its typed value,
 * or messages for what is wrong. Submitting uses parseStepValues, which awaits async checks too.
 */
export function parseField(field: Field, raw: RawForm, prefix: string, values: Values, errors: FieldErrors): Json {
  return parseValue(field, { raw, values, errors, mode: 'sync' }, prefix) as Json;
}
