// Text that shows nothing. A person who types only spaces, zero-width spaces or joiners has given no text: a
// title or a required field made of them would look empty (and a link made of them cannot be clicked).

/**
 * Characters that draw nothing: white space, Unicode format characters (zero-width space and joiners, the byte
 * order mark, bidirectional marks, soft hyphen, …) and the other default-ignorable ones (variation selectors,
 * the combining grapheme joiner, Hangul fillers).
 */
const INVISIBLE = /^[\s\p{Cf}\p{Default_Ignorable_Code_Point}]*$/u;

/** Whether the text shows nothing. Text with anything visible in it is not blank, and is kept as typed. */
export function isBlank(text: string): boolean {
  return INVISIBLE.test(text);
}
