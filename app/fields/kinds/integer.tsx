import { Labelled } from '../control.tsx';
import type { FieldCommon, KindModule } from '../types.ts';
import { checkBounds, numberToRaw, parseNumber, showNumber } from './number.tsx';

/** A whole number (or null when optional and empty), within min and max, in steps of `step` when given. */
export type IntegerField = FieldCommon<number> & { kind: 'integer'; min?: number; max?: number; step?: number };

export const integer: KindModule<IntegerField> = {
  check: checkBounds,
  parse: (field, p) => parseNumber({ ...field, integer: true }, p),
  toRaw: numberToRaw,
  show: showNumber,
  Control: ({ field, id, common, one, note }) => (
    <Labelled id={id} label={field.label} note={note}>
      <input type="number" inputmode="numeric" {...common} value={one} min={field.min} max={field.max} step={field.step ?? 1} />
    </Labelled>
  ),
};
