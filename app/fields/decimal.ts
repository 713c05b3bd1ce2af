// Numbers as a person types them into a form: plain decimals only, with no more digits than a number keeps
// exactly, so what is recorded reads back as what was typed. Number() alone reads "0x10" as 16 and "1e308" as
// a number, and rounds 99999999999999999999 to 100000000000000000000 without a word.

/** Digits a number keeps exactly whatever they are: every decimal of 15 significant digits survives a double. */
export const MAX_DIGITS = 15;

/** Why typed text is not a number that can be recorded as typed. */
export type DecimalProblem = 'not-a-number' | 'exponent' | 'too-large' | 'too-precise';

/**
 * The typed number (NaN when the text is none), and what keeps it from being recorded when something does:
 * a notation other than sign, digits and a fraction ('exponent' for 1.5e3 or 1e400, 'not-a-number' for 0x10 or words),
 * more than MAX_DIGITS digits before the point ('too-large'), or more than MAX_DIGITS digits in all, counted
 * from the first non-zero digit before the point, or from the point, to the last non-zero one ('too-precise').
 */
export function readDecimal(typed: string): { value: number; problem?: DecimalProblem } {
  const text = typed.trim();
  const plain = /^[+-]?(\d*)(?:\.(\d*))?$/.exec(text);
  if (!plain || (plain[1] === '' && !plain[2])) {
    if (!/^[+-]?(\d+\.?\d*|\.\d+)[eE][+-]?\d+$/.test(text)) return { value: NaN, problem: 'not-a-number' };
    // Refused for how it is written whatever its size, so 1e3 and 1e400 are told the same thing.
    return { value: Number(text), problem: 'exponent' };
  }
  const value = Number(text) || 0; // -0 is 0
  const whole = plain[1].replace(/^0+/, '');
  const fraction = (plain[2] ?? '').replace(/0+$/, '');
  if (whole.length > MAX_DIGITS) return { value, problem: 'too-large' };
  if (whole.length + fraction.length > MAX_DIGITS) return { value, problem: 'too-precise' };
  return { value };
}

/** A number in plain decimal digits, as a form shows it: 0.0000001 rather than 1e-7. */
export function plainNumber(n: number): string {
  const text = String(n);
  const e = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!e) return text;
  const [, sign, lead, rest = '', power] = e;
  const digits = lead + rest;
  const shift = Number(power);
  if (shift < 0) return `${sign}0.${'0'.repeat(-shift - 1)}${digits}`;
  return shift + 1 >= digits.length ? `${sign}${digits.padEnd(shift + 1, '0')}` : `${sign}${digits.slice(0, shift + 1)}.${digits.slice(shift + 1)}`;
}
