import type { Child } from 'hono/jsx';
import type { Json } from '../log/events.ts';
import type { StandardSchemaV1 } from './standard-schema.ts';
import type { Field } from './registry.ts';

/** Earlier values of a session, by field key (keys are unique within a workflow). */
export type Values = Record<string, Json>;

/** A form's raw values by field path (`key`, or `group.key` inside a group): what the user typed. */
export type RawForm = Record<string, string | string[]>;

/** Field paths to the message shown beside that field. */
export type FieldErrors = Record<string, string>;

/** A check's answer: a message when the value is not acceptable. */
export type Verdict = string | undefined | null | void;

/** What every field takes, whatever its kind. `V` is the value the field records. */
export type FieldCommon<V extends Json, Vals = Values> = {
  /** Unique within the workflow; the name the value carries in the log and in `Values`. */
  key: string;
  label: string;
  help?: string;
  required?: boolean;
  /** A fixed default, or one derived from earlier steps' values. */
  default?: V | ((values: Vals) => V);
  /** Returns a message when the value is not acceptable; may be async (see `timeLimit`). */
  validate?: (value: V, values: Vals) => Verdict | Promise<Verdict>;
  /** A Standard Schema (zod 4, valibot, arktype…): its issues become messages, its output is the value recorded. */
  schema?: StandardSchemaV1;
  /** How long an async `validate` or `schema` may take, in milliseconds (default 5000). */
  timeLimit?: number;
};

/** An option written as a bare string or as {value, label}. */
export type Option = { value: string; label: string };
/** Options fixed, or derived from earlier values. */
export type Options<Vals = Values> = readonly (Option | string)[] | ((values: Vals) => readonly (Option | string)[]);

/** A file given on a form, already streamed to the session's uploads folder. */
export type Received = { name: string; size: number; type: string; sha256: string } | { error: string };

/**
 * Why a form's secret reference is not in the data folder: `recorded`, the session's log holds it but the
 * secrets file does not (removed or replaced, or the session copied in from another folder); `let-go`, it was
 * staged on a form sent back and let go for newer ones; `unknown`, this process never staged it (it was staged
 * before a restart, or the page was made up); `nowhere`, no secrets are kept where the form is read (an import).
 */
export type MissingSecret = 'recorded' | 'let-go' | 'unknown' | 'nowhere';

/** Where secrets are kept and where uploads land; absent when only checking shape (pre-filling a form). */
export type Services = {
  /** Stores a new secret once the whole form passes; returns its reference. */
  stageSecret(plain: string): string;
  /** The fingerprint of a stored secret, or undefined when this data folder does not hold it. */
  secretFingerprint(ref: string): string | undefined;
  /** Why a reference this data folder does not hold is missing (see MissingSecret). */
  secretMissing(ref: string): MissingSecret;
  /** Files received with this form by field path. */
  uploads: Record<string, Received>;
  /** Whether a file of this content is in the session's uploads folder, and its size. */
  uploadedSize(sha256: string): number | undefined;
};

/** What parsing one field needs: the form, where the field sits, earlier values, and where messages go. */
export type ParseContext = {
  raw: RawForm;
  values: Values;
  errors: FieldErrors;
  /** 'sync' skips async checks (pre-filling); 'full' awaits them with their time limit. */
  mode: 'sync' | 'full';
  services?: Services;
};

/** One field's part of parsing: its raw text (or texts) at its path, and messages set on that path. */
export type Parse = ParseContext & {
  path: string;
  /** The first raw value at the path ('' when none). */
  one: string;
  /** Every non-empty raw value at the path. */
  all: string[];
  /** Sets the field's message and gives null. */
  fail: (message: string) => null;
  /** The required message when the field is required; null either way. */
  missing: () => null;
};

/** A value that may still be waiting on an async check. */
export type Maybe<T> = T | Promise<T>;

/** What a job's values are completed from: secrets' values and where uploaded files are. */
export type JobReach = { reveal: (ref: string) => string | undefined; uploadPath: (sha256: string) => string };

/** What a field's control gets to draw itself. */
export type ControlProps<F> = {
  field: F;
  path: string;
  /** The element id of the control (its label points at it). */
  id: string;
  raw: RawForm;
  errors: FieldErrors;
  values: Values;
  /** The first raw value at the path. */
  one: string;
  /** id, name, required and the ARIA state every input carries. */
  common: Record<string, string | boolean | undefined>;
  /** The help text or the message, to place under the control. */
  note: Child;
  /** The id the help text or message has, for aria-describedby on a group of controls. */
  described: string | undefined;
  /** Where the form posts: a list's row buttons post there too. */
  action: string | undefined;
};

/**
 * One field kind: everything about it in one module. The registry maps each `kind` to its module, so a kind
 * the table lacks is a compile error.
 */
export type KindModule<F extends { kind: string; key: string; label: string }> = {
  /** Mistakes in the field's own declaration beyond key, label and validators (each a sentence). */
  check?: (field: F) => string[];
  /** The typed value from the form, or null (with a message in `p.errors` when that is wrong). */
  parse: (field: F, p: Parse) => Maybe<Json>;
  /** Writes a value into the raw form the way the control shows it. */
  toRaw: (field: F, value: Json, path: string, into: RawForm) => void;
  /** The control, with its label and note. */
  Control: (props: ControlProps<F>) => Child;
  /** The value as a person reads it on a done card and in the history. */
  show: (field: F, value: Json) => string;
  /** The default when the field has none of its own (a group suggests its fields' defaults). */
  defaultOf?: (field: F, values: Values) => Json | undefined;
  /** The value a job receives instead of the recorded one (a secret's real text, a file's path). */
  forJob?: (field: F, value: Json, reach: JobReach) => Json;
};

export type { Field };
