import type { Json } from '../../log/events.ts';
import { FieldControl } from '../control.tsx';
import { defaultOf, parseValue, settleAll, showValue, toRaw, jobValue } from '../field.ts';
import type { Field } from '../registry.ts';
import type { FieldCommon, KindModule } from '../types.ts';

type Obj = { [key: string]: Json };

/** Fields gathered into one nested object value. */
export type GroupField = FieldCommon<Obj> & { kind: 'group'; fields: readonly Field[] };

const asObject = (value: Json): Obj => (typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {});

export const group: KindModule<GroupField> = {
  check: (field) => {
    const problems: string[] = [];
    if (field.required) problems.push('required means nothing on a group; mark its fields required');
    if (!Array.isArray(field.fields)) problems.push('a group needs fields');
    return problems;
  },
  parse: (field, p) => {
    const parts = field.fields.map((sub) => parseValue(sub, p, p.path));
    const build = (values: Json[]): Obj => Object.fromEntries(field.fields.map((sub, i) => [sub.key, values[i]]));
    const settled = settleAll(parts);
    return settled instanceof Promise ? settled.then(build) : build(settled);
  },
  toRaw: (field, value, path, into) => {
    const object = asObject(value);
    for (const sub of field.fields) toRaw(sub, object[sub.key], path, into);
  },
  defaultOf: (field, values) => {
    const entries = field.fields.map((sub) => [sub.key, defaultOf(sub, values)] as const).filter(([, v]) => v !== undefined);
    return entries.length ? (Object.fromEntries(entries) as Obj) : undefined;
  },
  // Its parts by their labels; keys it does not have (an older definition's) as they are.
  show: (field, value) => {
    const object = asObject(value);
    const known = new Set(field.fields.map((sub) => sub.key));
    const parts = field.fields.filter((sub) => sub.key in object).map((sub) => `${sub.label}: ${showValue(sub, object[sub.key])}`);
    const rest = Object.entries(object).filter(([key]) => !known.has(key)).map(([key, v]) => `${key}: ${typeof v === 'string' ? v : JSON.stringify(v)}`);
    return [...parts, ...rest].join('; ') || '—';
  },
  forJob: (field, value, reach) => {
    const object = asObject(value);
    return Object.fromEntries(field.fields.map((sub) => [sub.key, jobValue(sub, object[sub.key], reach) ?? null]));
  },
  Control: ({ field, path, raw, errors, values, note, action }) => (
    <fieldset>
      <legend>{field.label}</legend>
      {field.fields.map((sub) => (
        <FieldControl field={sub} raw={raw} errors={errors} values={values} prefix={path} action={action} />
      ))}
      {note}
    </fieldset>
  ),
};
