import { checkOptions, labelOf, optionsOf } from '../options.ts';
import type { FieldCommon, KindModule, Options } from '../types.ts';

/** Several options at once: its value is a list of the chosen option values. */
export type ChoicesField = FieldCommon<string[]> & { kind: 'choices'; options: Options };

/** Past this many options the list gets a search box that narrows it as one types. */
export const SEARCHABLE_OVER = 12;

export const choices: KindModule<ChoicesField> = {
  check: checkOptions,
  parse: (field, p) => {
    const chosen = p.all;
    if (chosen.length === 0 && field.required) return p.missing() ?? [];
    const allowed = optionsOf(field.options, p.values).map((o) => o.value);
    const bad = chosen.filter((c) => !allowed.includes(c));
    if (bad.length) p.fail(`${field.label}: "${bad[0]}" is not one of the choices.`);
    return chosen;
  },
  toRaw: (_f, value, path, into) => {
    into[path] = Array.isArray(value) ? value.map(String) : [String(value)];
  },
  show: (field, value) => (Array.isArray(value) && value.length ? value.map((v) => labelOf(field.options, String(v))).join(', ') : '—'),
  Control: ({ field, path, id, raw, values, note, described, errors }) => {
    const value = raw[path];
    const chosen = Array.isArray(value) ? value : value ? [value] : [];
    const options = optionsOf(field.options, values);
    const searchable = options.length > SEARCHABLE_OVER;
    const boxes = options.map((o, i) => (
      <label data-option={o.label.toLowerCase()}>
        <input type="checkbox" id={i === 0 ? id : undefined} name={path} value={o.value} checked={chosen.includes(o.value)} /> {o.label}
      </label>
    ));
    return (
      <fieldset aria-invalid={errors[path] ? 'true' : undefined} aria-describedby={described} class={searchable ? 'searchable' : undefined}>
        <legend>{field.label}</legend>
        {searchable ? (
          <>
            <input
              type="search"
              id={`${id}-search`}
              data-filters={`${id}-options`}
              placeholder={`Search ${options.length} options`}
              aria-label={`Search the options of ${field.label}`}
              aria-controls={`${id}-options`}
            />
            <small>{chosen.length ? `Chosen: ${chosen.map((c) => labelOf(options, c)).join(', ')}` : 'None chosen yet.'}</small>
            <div id={`${id}-options`} class="options">
              {boxes}
            </div>
          </>
        ) : (
          boxes
        )}
        {note}
      </fieldset>
    );
  },
};
