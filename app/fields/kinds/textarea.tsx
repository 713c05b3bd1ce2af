import { Labelled } from '../control.tsx';
import type { FieldCommon, KindModule } from '../types.ts';
import { parseText, textToRaw, showText } from './text.tsx';

/** Several lines of text. */
export type TextareaField = FieldCommon<string> & { kind: 'textarea'; placeholder?: string; maxLength?: number; rows?: number };

export const textarea: KindModule<TextareaField> = {
  parse: (field, p) => parseText(field, p, 'many'),
  toRaw: textToRaw,
  show: showText,
  Control: ({ field, id, common, one, note }) => (
    <Labelled id={id} label={field.label} note={note}>
      <textarea {...common} placeholder={field.placeholder} rows={field.rows ?? 4}>
        {one}
      </textarea>
    </Labelled>
  ),
};
