import { checkOptions, labelOf, optionsOf } from '../options.ts';
import type { FieldCommon, KindModule, Options } from '../types.ts';
import { parseOne } from './select.tsx';
import { textToRaw } from './text.tsx';

/** One of a few options, all shown as radio buttons. */
export type RadioField = FieldCommon<string> & { kind: 'radio'; options: Options };

export const radio: KindModule<RadioField> = {
  check: checkOptions,
  parse: parseOne,
  toRaw: textToRaw,
  show: (field, value) => labelOf(field.options, String(value)),
  Control: ({ field, path, id, one, values, note, described, errors }) => (
    <fieldset aria-invalid={errors[path] ? 'true' : undefined} aria-describedby={described}>
      <legend>{field.label}</legend>
      {optionsOf(field.options, values).map((o, i) => (
        <label>
          <input type="radio" id={i === 0 ? id : undefined} name={path} value={o.value} checked={o.value === one} required={field.required} /> {o.label}
        </label>
      ))}
      {note}
    </fieldset>
  ),
};
