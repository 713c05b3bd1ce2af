import { Labelled } from '../control.tsx';
import { checkOptions, labelOf, optionsOf } from '../options.ts';
import type { FieldCommon, KindModule, Options, Parse } from '../types.ts';
import { textToRaw } from './text.tsx';

/** One of the options, from a drop-down list. */
export type SelectField = FieldCommon<string> & { kind: 'select'; options: Options };

/** One option's value from the form, or null; shared by select and radio. */
export function parseOne(field: { label: string; options: Options }, p: Parse): string | null {
  if (p.one === '') return p.missing();
  if (!optionsOf(field.options, p.values).some((o) => o.value === p.one)) p.fail(`${field.label}: "${p.one}" is not one of the choices.`);
  return p.one;
}

export const select: KindModule<SelectField> = {
  check: checkOptions,
  parse: parseOne,
  toRaw: textToRaw,
  show: (field, value) => labelOf(field.options, String(value)),
  Control: ({ field, id, common, one, note, values }) => (
    <Labelled id={id} label={field.label} note={note}>
      <select {...common}>
        <option value="" selected={one === ''}>
          Choose…
        </option>
        {optionsOf(field.options, values).map((o) => (
          <option value={o.value} selected={o.value === one}>
            {o.label}
          </option>
        ))}
      </select>
    </Labelled>
  ),
};
