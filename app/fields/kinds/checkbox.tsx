import type { FieldCommon, KindModule, Parse, RawForm } from '../types.ts';

/** Yes or no, as a box to tick. */
export type CheckboxField = FieldCommon<boolean> & { kind: 'checkbox' };

/** Ticked or not; a required one must be ticked. Shared by checkbox and switch. */
export function parseTick(field: { label: string; required?: boolean }, p: Parse): boolean {
  const checked = p.one !== '' && p.one !== 'off';
  if (!checked && field.required) p.fail(`${field.label} must be ticked.`);
  return checked;
}

export function tickToRaw(_field: unknown, value: unknown, path: string, into: RawForm): void {
  into[path] = value === true ? 'on' : '';
}

export const showTick = (_f: unknown, value: unknown) => (value ? 'Yes' : 'No');

export const checkbox: KindModule<CheckboxField> = {
  parse: parseTick,
  toRaw: tickToRaw,
  show: showTick,
  Control: ({ field, common, one, note }) => (
    <fieldset>
      <label>
        <input type="checkbox" {...common} checked={one === 'on'} /> {field.label}
      </label>
      {note}
    </fieldset>
  ),
};
