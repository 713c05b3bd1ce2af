import type { FieldCommon, KindModule } from '../types.ts';
import { parseTick, showTick, tickToRaw } from './checkbox.tsx';

/** On or off, as a switch. */
export type SwitchField = FieldCommon<boolean> & { kind: 'switch'; on?: string; off?: string };

export const switchKind: KindModule<SwitchField> = {
  parse: parseTick,
  toRaw: tickToRaw,
  show: (field, value) => (value ? (field.on ?? showTick(field, value)) : (field.off ?? showTick(field, value))),
  Control: ({ field, common, one, note }) => (
    <fieldset>
      <label>
        <input type="checkbox" role="switch" {...common} checked={one === 'on'} /> {field.label}
      </label>
      {note}
    </fieldset>
  ),
};
