import { Labelled } from '../control.tsx';
import type { FieldCommon, KindModule, Parse } from '../types.ts';
import { hostProblem } from '../web-host.ts';
import { textToRaw, showText } from './text.tsx';

/** A web address, http or https only, kept normalised ("HTTP://Example.com" becomes "http://example.com/"). */
export type UrlField = FieldCommon<string> & { kind: 'url'; placeholder?: string };

/** The address normalised, or null with a message. */
export function parseUrl(field: { label: string }, p: Parse): string | null {
  const text = p.one.trim();
  if (text === '') return p.missing();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return p.fail(`${field.label} must be a web address like https://example.com/.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return p.fail(`${field.label} must start with http:// or https://.`);
  if (url.username || url.password) return p.fail(`${field.label} may not carry a user name or password.`);
  const problem = hostProblem(url);
  if (problem) return p.fail(`${field.label} cannot be reached: it has ${problem}.`);
  return url.href;
}

export const url: KindModule<UrlField> = {
  parse: (field, p) => parseUrl(field, p),
  toRaw: textToRaw,
  show: showText,
  Control: ({ field, id, common, one, note }) => (
    <Labelled id={id} label={field.label} note={note}>
      <input type="url" inputmode="url" {...common} value={one} placeholder={field.placeholder ?? 'https://'} />
    </Labelled>
  ),
};
