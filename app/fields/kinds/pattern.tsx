import type { FieldCommon, KindModule } from '../types.ts';
import { parseText, showText, TextControl, textToRaw } from './text.tsx';

/** Text that must match a regular expression as a whole, with the author's message when it does not. */
export type PatternField = FieldCommon<string> & {
  kind: 'pattern';
  pattern: RegExp | string;
  /** Shown when the text does not match, e.g. "Use three letters and four digits, like ABC1234." */
  message: string;
  placeholder?: string;
  maxLength?: number;
};

/** The pattern anchored at both ends, so it must match the whole text. */
function whole(pattern: RegExp | string): RegExp {
  const source = typeof pattern === 'string' ? pattern : pattern.source;
  const flags = typeof pattern === 'string' ? '' : pattern.flags.replace(/[gy]/g, '');
  return new RegExp(`^(?:${source})$`, flags);
}

export const pattern: KindModule<PatternField> = {
  check: (field) => {
    const problems = typeof field.message === 'string' && field.message ? [] : ['a pattern field needs a message saying what is expected'];
    try {
      whole(field.pattern);
      if (typeof field.pattern !== 'string' && !(field.pattern instanceof RegExp)) problems.push('pattern must be a regular expression');
    } catch (err) {
      problems.push(`pattern is not a regular expression: ${(err as Error).message}`);
    }
    return problems;
  },
  parse: (field, p) => {
    const text = parseText(field, p);
    if (text === null || text === '' || p.errors[p.path]) return text;
    return whole(field.pattern).test(text) ? text : p.fail(`${field.label}: ${field.message}`);
  },
  toRaw: textToRaw,
  show: showText,
  Control: TextControl,
};
