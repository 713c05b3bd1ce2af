import { Labelled } from '../control.tsx';
import type { FieldCommon, KindModule } from '../types.ts';
import { checkBounds, numberToRaw, parseNumber, showNumber } from './number.tsx';

/** A number picked on a slider between min and max, which shows the value chosen beside it. */
export type RangeField = FieldCommon<number> & { kind: 'range'; min: number; max: number; step?: number; unit?: string };

export const range: KindModule<RangeField> = {
  check: (field) => [...(field.min === undefined || field.max === undefined ? ['a range needs min and max'] : []), ...checkBounds(field)],
  // A slider moves in steps of 1 unless told otherwise, and a value typed or sent between its steps is refused.
  parse: (field, p) => parseNumber({ ...field, step: field.step ?? 1 }, p),
  toRaw: numberToRaw,
  show: (field, value) => `${showNumber(field, value)}${field.unit ? ` ${field.unit}` : ''}`,
  Control: ({ field, common, one, note, id }) => {
    // A slider always has a value: the midpoint stands in until one is given.
    const shown = one === '' ? String(field.min + Math.round((field.max - field.min) / (field.step ?? 1) / 2) * (field.step ?? 1)) : one;
    return (
      <Labelled id={id} label={field.label} note={note}>
        <span class="range">
          <input type="range" {...common} value={shown} min={field.min} max={field.max} step={field.step ?? 1} data-shows={`${id}-value`} />
          <output id={`${id}-value`} for={id}>
            {shown}
            {field.unit ? ` ${field.unit}` : ''}
          </output>
        </span>
      </Labelled>
    );
  },
};
