// Where JSON text goes wrong, as a line and column. Node's own messages name a position only for some mistakes,
// so this small reader walks the grammar and stops at the first character that cannot continue it.

/** The parsed value, or where and why the text is not JSON. */
export type JsonRead = { ok: true; value: unknown } | { ok: false; line: number; column: number; reason: string };

export function readJson(text: string): JsonRead {
  let i = 0;
  const fail = (reason: string): never => {
    throw new Stop(i, reason);
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
  const value = (): void => {
    space();
    const ch = text[i];
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
    if (ch === '[') return list(']', value);
    if (ch === '"') return string();
    if (ch === 't') return literal('true');
    if (ch === 'f') return literal('false');
    if (ch === 'n') return literal('null');
    if (ch === undefined) fail('the text ends where a value should be');
    number();
  };
  try {
    value();
    space();
    if (i < text.length) fail('there is more after the value');
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    const at = err instanceof Stop ? err.at : 0;
    const before = text.slice(0, at).split('\n');
    return { ok: false, line: before.length, column: before[before.length - 1].length + 1, reason: err instanceof Stop ? err.reason : String(err) };
  }
}

class Stop {
  constructor(
    readonly at: number,
    readonly reason: string,
  ) {}
}
