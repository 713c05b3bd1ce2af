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

/** A value given in an earlier step that a job would now receive without its substance. */
export type LostInput = { step: string; label: string };

/**
 * The fields of `steps` whose values a job would be given hollow: a secret the data folder's secrets file no
 * longer holds (it would arrive as null), a file no longer among the session's uploads (its path would lead
 * nowhere). Each field is walked by its own kind, as jobParams walks it, inside groups and lists too. Pure, given
 * `reach` and `exists`.
 */
export function lostInputs(steps: readonly Pick<Step, 'title' | 'fields'>[], values: Values, reach: JobReach, exists: (path: string) => boolean): LostInput[] {
  const lost: LostInput[] = [];
  for (const step of steps)
    for (const field of step.fields) {
      if (!(field.key in values)) continue;
      let hollow = false;
      jobValue(field, values[field.key], {
        reveal: (ref) => {
          const text = reach.reveal(ref);
          hollow ||= text === undefined;
          return text;
        },
        uploadPath: (sha256) => {
          const path = reach.uploadPath(sha256);
          hollow ||= !exists(path);
          return path;
        },
      });
      if (hollow) lost.push({ step: step.title, label: field.label });
    }
  return lost;
}

/** The open step's message when its job would receive values that are gone (pure). */
export function lostInputsMessage(lost: readonly LostInput[]): string {
  const each = lost.map(({ step, label }) => `"${label}" (step "${step}")`).join(', ');
  const one = lost.length === 1;
  return `This step's job needs ${each}, which this data folder no longer holds (its secrets file or the session's uploads lost ${one ? 'it' : 'them'}). Go back to ${one ? 'that step' : 'those steps'} and give ${one ? 'it' : 'them'} again; nothing was run.`;
}
