import { isBlank } from '../blank.ts';
import { controlIn, controlMessage } from '../unprintable.ts';
import { Labelled } from '../control.tsx';
import type { ControlProps, FieldCommon, KindModule, Parse, RawForm } from '../types.ts';

/** One line of text. */
export type TextField = FieldCommon<string> & { kind: 'text'; placeholder?: string; maxLength?: number };

/**
 * Text as typed ('' when it shows nothing: only spaces, zero-width characters and the like), within maxLength
 * and free of control characters (text of several `lines` may hold tabs and line breaks); shared by the kinds
 * that hold text.
 */
export function parseText(field: { label: string; required?: boolean; maxLength?: number }, p: Parse, lines: 'one' | 'many' = 'one'): string | null {
  const text = isBlank(p.one) ? '' : p.one;
  if (text === '' && field.required) return p.missing();
  const control = controlIn(text, lines);
  if (control) return p.fail(controlMessage(field.label, control));
  if (field.maxLength !== undefined && text.length > field.maxLength) p.fail(`${field.label} must be at most ${field.maxLength} characters.`);
  return text;
}

/** Writes a value as the text its control shows. */
export function textToRaw(_field: unknown, value: unknown, path: string, into: RawForm): void {
  into[path] = typeof value === 'string' ? value : JSON.stringify(value);
}

/** A value shown as its text. */
export const showText = (_field: unknown, value: unknown) => String(value);

/** One line of text in its label; shared by the kinds typed on one line. */
export function TextControl({ field, id, common, one, note }: ControlProps<{ label: string; placeholder?: string; maxLength?: number }>) {
  return (
    <Labelled id={id} label={field.label} note={note}>
      <input type="text" {...common} value={one} placeholder={field.placeholder} maxlength={field.maxLength} />
    </Labelled>
  );
}

export const text: KindModule<TextField> = { parse: parseText, toRaw: textToRaw, show: showText, Control: TextControl };
