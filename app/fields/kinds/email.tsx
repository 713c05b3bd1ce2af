import { Labelled } from '../control.tsx';
import type { FieldCommon, KindModule } from '../types.ts';
import { textToRaw, showText } from './text.tsx';

/** An email address; the domain is kept in lower case. */
export type EmailField = FieldCommon<string> & { kind: 'email'; placeholder?: string };

/** The shape browsers check for type=email (WHATWG), which is what a person expects to be accepted. */
const EMAIL = /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)+$/;

export const email: KindModule<EmailField> = {
  parse: (field, p) => {
    const text = p.one.trim();
    if (text === '') return p.missing();
    if (text.length > 254 || !EMAIL.test(text)) return p.fail(`${field.label} must be an email address like name@example.com.`);
    const at = text.lastIndexOf('@');
    return text.slice(0, at + 1) + text.slice(at + 1).toLowerCase();
  },
  toRaw: textToRaw,
  show: showText,
  Control: ({ field, id, common, one, note }) => (
    <Labelled id={id} label={field.label} note={note}>
      <input type="email" autocomplete="email" {...common} value={one} placeholder={field.placeholder} />
    </Labelled>
  ),
};
