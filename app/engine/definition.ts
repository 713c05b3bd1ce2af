import type { JobRun } from '../jobs/context.ts';
import type { Output } from '../widgets/registry.ts';
import type { SessionFiles } from '../files/session-files.ts';
import type { Field } from '../fields/registry.ts';
import type { StandardSchemaV1 } from '../fields/standard-schema.ts';
import type { Values } from '../fields/types.ts';

export type { Values, Option, FieldCommon } from '../fields/types.ts';
export type { Field, FieldKind, FieldOf } from '../fields/registry.ts';
export { FIELD_KINDS } from '../fields/registry.ts';
export { optionOf } from '../fields/options.ts';
export type { TextField } from '../fields/kinds/text.tsx';
export type { NumberField } from '../fields/kinds/number.tsx';
export type { SelectField } from '../fields/kinds/select.tsx';
export type { ChoicesField } from '../fields/kinds/choices.tsx';
export type { CheckboxField } from '../fields/kinds/checkbox.tsx';
export type { GroupField } from '../fields/kinds/group.tsx';

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
  /** What the step is for and how to fill it, in markdown: shown in the side pane while the step is open. */
  help?: string;
  /**
   * What the done card shows instead of its values: outputs made by the constructors of app/widgets/index.ts,
   * derived on every render from the session's values (every completed step's, a job's results included) and
   * its files. Never stored.
   */
  show?: (values: Values, files: SessionFiles) => Output[];
  /** Asks this step only when it answers true for the earlier values; otherwise the step is skipped. */
  when?: (values: Values) => boolean;
  /** Why the step is skipped, for the thin "skipped: …" line in the trail. */
  skipReason?: string | ((values: Values) => string);
  /** A Standard Schema over the step's values (an object by field key), checked once every field passes. */
  schema?: StandardSchemaV1;
};

export type Workflow = {
  id: string;
  title: string;
  description?: string;
  /** About the whole workflow, in markdown: shown in the side pane above the open step's help. */
  help?: string;
  steps: readonly Step[];
};

export { defineWorkflow } from './typed.ts';
