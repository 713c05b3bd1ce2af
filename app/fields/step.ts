import type { Json } from '../log/events.ts';
import type { Step } from '../engine/definition.ts';
import { attempt, jobValue, parseValue, settleAll, toRaw } from './field.ts';
import { isStandardSchema, issuePath } from './standard-schema.ts';
import type { FieldErrors, JobReach, RawForm, Services, Values } from './types.ts';

/** A step's values by field key, and every message for what is wrong (empty when all is well). */
export type StepValues = { values: Record<string, Json>; errors: FieldErrors };

const STEP_LIMIT = 5000;

/**
 * Reads and checks a step's form: every field's kind, schema and validators (async ones awaited together, each
 * within its time limit), then the step's own schema once every field passes. All messages come back at once.
 * `from` is the raw form, or values already recorded (a fork or import re-checks those as if typed anew).
 */
export async function parseStepValues(
  step: Pick<Step, 'fields' | 'schema'>,
  from: { raw: RawForm } | { values: Record<string, Json> },
  values: Values,
  services?: Services,
): Promise<StepValues> {
  const raw = 'raw' in from ? from.raw : rawOf(step, from.values);
  const errors: FieldErrors = {};
  const ctx = { raw, values, errors, mode: 'full' as const, services };
  const parsed = await settleAll(step.fields.map((field) => parseValue(field, ctx, '')));
  let own: Record<string, Json> = Object.fromEntries(step.fields.map((f, i) => [f.key, parsed[i]]));
  if (!Object.keys(errors).length && isStandardSchema(step.schema)) {
    const schema = step.schema;
    const firstKey = step.fields[0]?.key ?? '';
    own = (await attempt(
      ctx,
      STEP_LIMIT,
      () => schema['~standard'].validate(own),
      (err) => {
        errors[firstKey] ??= `The step could not be checked: ${(err as Error)?.message ?? 'it took too long'}`;
      },
      own,
      (result) => {
        if (!result.issues) return (result.value ?? own) as Json;
        for (const issue of result.issues) errors[issuePath(issue) || firstKey] ??= issue.message;
        return own;
      },
    )) as Record<string, Json>;
  }
  return { values: own, errors };
}

/** A step's recorded values written back into the raw form their controls would send. */
export function rawOf(step: Pick<Step, 'fields'>, values: Record<string, Json>): RawForm {
  const raw: RawForm = {};
  for (const field of step.fields) toRaw(field, values[field.key], '', raw);
  return raw;
}

/**
 * The values a job receives: every value so far with secrets revealed and each file given its `path` (the log
 * and pages keep references).
 */
export function jobParams(steps: readonly Pick<Step, 'fields'>[], values: Values, reach: JobReach): Values {
  const out: Values = { ...values };
  for (const step of steps)
    for (const field of step.fields) if (field.key in out) out[field.key] = jobValue(field, out[field.key], reach) ?? null;
  return out;
}
