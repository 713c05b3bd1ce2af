import type { Json } from '../log/events.ts';
import type { JobRun } from '../jobs/context.ts';
import type { Output } from '../widgets/registry.ts';
import type { SessionFiles } from '../files/session-files.ts';

/** Earlier values of a session, by field key (keys are unique within a workflow). */
export type Values = Record<string, Json>;

type FieldCommon<V extends Json> = {
  /** Unique within the workflow; the name the value carries in the log and in `Values`. */
  key: string;
  label: string;
  help?: string;
  required?: boolean;
  /** A fixed default, or one derived from earlier steps' values. */
  default?: V | ((values: Values) => V);
  /** Returns a message when the value is not acceptable. */
  validate?: (value: V, values: Values) => string | undefined;
};

export type TextField = FieldCommon<string> & { kind: 'text' | 'textarea'; placeholder?: string; maxLength?: number };
export type NumberField = FieldCommon<number> & { kind: 'number'; min?: number; max?: number; integer?: boolean };
export type Option = { value: string; label: string };
export type SelectField = FieldCommon<string> & { kind: 'select'; options: readonly (Option | string)[] };
/** Several options at once: its value is a list of the chosen option values. */
export type ChoicesField = FieldCommon<string[]> & { kind: 'choices'; options: readonly (Option | string)[] };
export type CheckboxField = FieldCommon<boolean> & { kind: 'checkbox' };
/** Fields gathered into one nested object value. */
export type GroupField = FieldCommon<{ [key: string]: Json }> & { kind: 'group'; fields: readonly Field[] };

export type Field = TextField | NumberField | SelectField | ChoicesField | CheckboxField | GroupField;
export type FieldKind = Field['kind'];
export const FIELD_KINDS: readonly FieldKind[] = ['text', 'textarea', 'number', 'select', 'choices', 'checkbox', 'group'];

export type Step = {
  /** Unique within the workflow; URLs and the log name the step by it. */
  id: string;
  title: string;
  description?: string;
  fields: readonly Field[];
  /** Shown on the done card instead of the values; gets the step's own values. */
  summary?: (values: Values) => string;
  /**
   * Makes this a job step: once its fields are accepted, `run` works in the server with live progress, and the
   * values it returns are recorded as the step's own (source `job`).
   */
  run?: JobRun;
  /** Labels for the values `run` returns, by key, for the done card. */
  results?: Record<string, string>;
  /**
   * What the done card shows instead of its values: outputs made by the constructors of app/widgets/index.ts,
   * derived on every render from the session's values (every completed step's, a job's results included) and
   * its files. Never stored.
   */
  show?: (values: Values, files: SessionFiles) => Output[];
};

export type Workflow = {
  id: string;
  title: string;
  description?: string;
  steps: readonly Step[];
};

/** Declares a workflow; the identity function, there for the types. */
export function defineWorkflow(workflow: Workflow): Workflow {
  return workflow;
}

/** The label of an option written as a bare string or as {value, label}. */
export function optionOf(option: Option | string): Option {
  return typeof option === 'string' ? { value: option, label: option } : option;
}
