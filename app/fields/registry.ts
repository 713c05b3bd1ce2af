// The table of field kinds: one module per kind in kinds/. `Field` is the union of their definitions, and the
// table's type requires a module for every member, so a kind declared but not registered is a compile error.
import { checkbox, type CheckboxField } from './kinds/checkbox.tsx';
import { choices, type ChoicesField } from './kinds/choices.tsx';
import { date, type DateField } from './kinds/date.tsx';
import { datetime, type DatetimeField } from './kinds/datetime.tsx';
import { email, type EmailField } from './kinds/email.tsx';
import { file, type FileField } from './kinds/file.tsx';
import { group, type GroupField } from './kinds/group.tsx';
import { integer, type IntegerField } from './kinds/integer.tsx';
import { json, type JsonField } from './kinds/json.tsx';
import { list, type ListField } from './kinds/list.tsx';
import { number, type NumberField } from './kinds/number.tsx';
import { pattern, type PatternField } from './kinds/pattern.tsx';
import { radio, type RadioField } from './kinds/radio.tsx';
import { range, type RangeField } from './kinds/range.tsx';
import { secret, type SecretField } from './kinds/secret.tsx';
import { select, type SelectField } from './kinds/select.tsx';
import { switchKind, type SwitchField } from './kinds/switch.tsx';
import { text, type TextField } from './kinds/text.tsx';
import { textarea, type TextareaField } from './kinds/textarea.tsx';
import { time, type TimeField } from './kinds/time.tsx';
import { url, type UrlField } from './kinds/url.tsx';
import type { KindModule } from './types.ts';

/** Every field a workflow may declare. */
export type Field =
  | TextField
  | TextareaField
  | NumberField
  | SelectField
  | ChoicesField
  | CheckboxField
  | GroupField
  | IntegerField
  | RangeField
  | RadioField
  | SwitchField
  | DateField
  | TimeField
  | DatetimeField
  | UrlField
  | EmailField
  | PatternField
  | JsonField
  | ListField
  | SecretField
  | FileField;

export type FieldKind = Field['kind'];

/** The field definition of one kind. */
export type FieldOf<K extends FieldKind> = Extract<Field, { kind: K }>;

/** Each kind's module, by kind name. */
export const KINDS: { readonly [K in FieldKind]: KindModule<FieldOf<K>> } = {
  text,
  textarea,
  number,
  select,
  choices,
  checkbox,
  group,
  integer,
  range,
  radio,
  switch: switchKind,
  date,
  time,
  datetime,
  url,
  email,
  pattern,
  json,
  list,
  secret,
  file,
};

/** The kind names, in the order the documentation lists them. */
export const FIELD_KINDS = Object.keys(KINDS) as FieldKind[];
