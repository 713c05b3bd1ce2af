// Where JSON text goes wrong, as a line and column. Node's own messages name a position only for some mistakes,
// so this small reader walks the grammar and stops at the first character that cannot continue it. It also
// stops at a number JSON.parse would change: 1e999 becomes Infinity (recorded as null), 1e-999 becomes 0, and
// a whole number past 2^53 may come back with other digits. And it stops at nesting deeper than MAX_DEPTH, which
// every later walk of the value (its words, its JSON on a card and in the log) can go through without running
// out of stack.
import { plainNumber } from './decimal.ts';

/** How many arrays and objects deep a value may be: far more than any settings need. */
export const MAX_DEPTH = 100;

/**
 * The parsed value, or where and why the text cannot be taken: it is not JSON (`problem` absent), or it is but
 * holds a number that would not be kept as written (`problem` 'unkept': the reason is about that number), or it
 * is nested deeper than MAX_DEPTH ('deep').
 */
export type JsonRead = { ok: true; value: unknown } | { ok: false; line: number; column: number; reason: string; problem?: 'unkept' | 'deep' };

/** Why JSON.parse would not keep a number as written, or undefined when it would. */
export function unkeptNumber(token: string): string | undefined {
  const value = Number(token);
  if (!Number.isFinite(value)) return `${token} is too large`;
  if (value === 0 && /[1-9]/.test(token.replace(/[eE].*$/, ''))) return `${token} is too small and would become 0`;
  if (/^-?\d+$/.test(token) && token !== '-0' && plainNumber(value) !== token) return `${token} has more digits than can be kept; put it in quotes to keep it as text`;
  return undefined;
}

export function readJson(text: string): JsonRead {
  let i = 0;
  const fail = (reason: string, problem?: 'unkept' | 'deep'): never => {
    throw new Stop(i, reason, problem);
  };
  const space = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const literal = (word: string) => {
    for (const ch of word) if (text[i++] !== ch) (i--, fail(`expected ${word}`));
  };
  const string = () => {
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') {
        i++;
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail('a \\u escape needs four hex digits');
          i += 4;
        } else if (!'"\\/bfnrt'.includes(text[i] ?? '')) fail('unknown escape in a string');
      } else if (text.charCodeAt(i) < 0x20) fail('a string may not hold a line break or control character');
      i++;
    }
    if (i >= text.length) fail('a string is not closed with "');
    i++;
  };
  const number = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!m) fail('expected a value');
    const unkept = unkeptNumber(m![0]);
    if (unkept) fail(unkept, 'unkept');
    i += m![0].length;
  };
  const list = (close: string, item: () => void) => {
    i++;
    space();
    if (text[i] === close) return void i++;
    for (;;) {
      item();
      space();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === close) return void i++;
      fail(i >= text.length ? `the text ends before "${close}"` : `expected "," or "${close}"`);
    }
  };
  let depth = 0;
  const nested = (read: () => void) => {
    if (++depth > MAX_DEPTH) fail(`more than ${MAX_DEPTH} levels of arrays and objects`, 'deep');
    read();
    depth--;
  };
  const value = (): void => {
    space();
    const ch = text[i];
    if (ch === '{' || ch === '[') return nested(() => container(ch));
    if (ch === '"') return string();
    if (ch === 't') return literal('true');
    if (ch === 'f') return literal('false');
    if (ch === 'n') return literal('null');
    if (ch === undefined) fail('the text ends where a value should be');
    number();
  };
  const container = (ch: '{' | '[') => {
    if (ch === '{')
      return list('}', () => {
        space();
        if (text[i] !== '"') fail('expected a key in double quotes');
        string();
        space();
        if (text[i] !== ':') fail('expected ":" after a key');
        i++;
        value();
      });
    return list(']', value);
  };
  try {
    value();
    space();
    if (i < text.length) fail('there is more after the value');
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    const stop = err instanceof Stop ? err : new Stop(0, String(err));
    const before = text.slice(0, stop.at).split('\n');
    const where = { line: before.length, column: before[before.length - 1].length + 1, reason: stop.reason };
    return stop.problem ? { ok: false, ...where, problem: stop.problem } : { ok: false, ...where };
  }
}

class Stop {
  constructor(
    readonly at: number,
    readonly reason: string,
    readonly problem?: 'unkept' | 'deep',
  ) {}
}
