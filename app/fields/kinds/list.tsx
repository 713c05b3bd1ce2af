import type { Json } from '../../log/events.ts';
import { FieldControl } from '../control.tsx';
import { defaultOf, jobValue, parseValue, settleAll, showValue, toRaw } from '../field.ts';
import type { Field } from '../registry.ts';
import { FOCUS, ROW_ACTION, rowCount, rowsKey } from '../rows.ts';
import type { FieldCommon, KindModule, Maybe } from '../types.ts';

type Row = { [key: string]: Json };

/** Rows of the same fields, added, removed and reordered by the person; its value is a list of objects. */
export type ListField = FieldCommon<Row[]> & {
  kind: 'list';
  fields: readonly Field[];
  /** The fewest and most rows (a list with `min` starts with that many). */
  min?: number;
  max?: number;
  /** What one row is called on its buttons ("Add a place"); "row" by default. */
  itemLabel?: string;
};

const rowsOf = (value: Json): Row[] =>
  Array.isArray(value) ? value.map((r) => (typeof r === 'object' && r !== null && !Array.isArray(r) ? r : {})) : [];

export const list: KindModule<ListField> = {
  check: (field) => {
    const problems: string[] = [];
    if (!Array.isArray(field.fields) || field.fields.length === 0) problems.push('a list needs fields');
    for (const name of ['min', 'max'] as const)
      if (field[name] !== undefined && !(Number.isInteger(field[name]) && field[name]! >= 0)) problems.push(`${name} must be a whole number of rows`);
    if ((field.min ?? 0) > (field.max ?? Infinity)) problems.push('min is larger than max');
    return problems;
  },
  parse: (field, p) => {
    const count = rowCount(p.raw, p.path);
    const rows: Maybe<Row>[] = [];
    for (let i = 0; i < count; i++) {
      const parts = settleAll(field.fields.map((sub) => parseValue(sub, p, `${p.path}.${i}`)));
      const build = (values: Json[]): Row => Object.fromEntries(field.fields.map((sub, j) => [sub.key, values[j]]));
      rows.push(parts instanceof Promise ? parts.then(build) : build(parts));
    }
    const word = field.itemLabel ?? 'row';
    if (count === 0 && field.required) p.missing();
    else if (field.min !== undefined && count < field.min) p.fail(`${field.label} needs at least ${field.min} ${plural(field.min, word)}.`);
    else if (field.max !== undefined && count > field.max) p.fail(`${field.label} may have at most ${field.max} ${plural(field.max, word)}.`);
    return settleAll(rows) as Maybe<Json>;
  },
  toRaw: (field, value, path, into) => {
    const rows = rowsOf(value);
    into[rowsKey(path)] = String(rows.length);
    rows.forEach((row, i) => {
      for (const sub of field.fields) toRaw(sub, row[sub.key], `${path}.${i}`, into);
    });
  },
  defaultOf: (field, values) => {
    if (!field.min) return undefined;
    const row = Object.fromEntries(field.fields.map((sub) => [sub.key, defaultOf(sub, values) ?? null]));
    return Array.from({ length: field.min }, () => ({ ...row }));
  },
  show: (field, value) => {
    const rows = rowsOf(value);
    if (!rows.length) return '—';
    return rows.map((row, i) => `${i + 1}) ${field.fields.map((sub) => `${sub.label}: ${showValue(sub, row[sub.key])}`).join(', ')}`).join('; ');
  },
  forJob: (field, value, reach) =>
    rowsOf(value).map((row) => Object.fromEntries(field.fields.map((sub) => [sub.key, jobValue(sub, row[sub.key], reach) ?? null]))),
  Control: ({ field, path, id, raw, errors, values, note, described, action }) => {
    const count = rowCount(raw, path);
    const word = field.itemLabel ?? 'row';
    const focus = raw[FOCUS];
    const button = (verb: string, target: string, label: string, text: string, disabled = false) => (
      <button
        type="button"
        class="secondary outline"
        disabled={disabled}
        aria-label={label}
        {...{ 'hx-post': action, 'hx-vals': JSON.stringify({ [ROW_ACTION]: `${verb}:${target}` }), 'hx-target': '#trail', 'hx-swap': 'outerHTML' }}
      >
        {text}
      </button>
    );
    return (
      <fieldset id={id} data-focus={focus === path ? '' : undefined} aria-invalid={errors[path] ? 'true' : undefined} aria-describedby={described}>
        <legend>{field.label}</legend>
        <input type="hidden" name={rowsKey(path)} value={String(count)} />
        <ol class="list-rows">
          {Array.from({ length: count }, (_, i) => (
            <li data-focus={focus === `${path}.${i}` ? '' : undefined}>
              <fieldset>
                <legend>{`${capital(word)} ${i + 1}`}</legend>
                {field.fields.map((sub) => (
                  <FieldControl field={sub} raw={raw} errors={errors} values={values} prefix={`${path}.${i}`} action={action} />
                ))}
                <span class="row-tools">
                  {button('up', `${path}.${i}`, `Move ${word} ${i + 1} up`, '↑ Up', i === 0)}
                  {button('down', `${path}.${i}`, `Move ${word} ${i + 1} down`, '↓ Down', i === count - 1)}
                  {button('remove', `${path}.${i}`, `Remove ${word} ${i + 1}`, 'Remove')}
                </span>
              </fieldset>
            </li>
          ))}
        </ol>
        {button('add', path, `Add a ${word} to ${field.label}`, `+ Add a ${word}`, field.max !== undefined && count >= field.max)}
        {note}
      </fieldset>
    );
  },
};

function plural(n: number, word: string): string {
  return n === 1 ? word : `${word}s`;
}

function capital(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
