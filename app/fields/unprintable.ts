// Characters a person cannot see or type that change what text around them looks like. C0 and C1 control
// characters (NUL, BEL, ESC, …) put raw bytes into pages (a NUL in <title>); bidirectional controls (U+202E,
// the right-to-left override, and its kin) reorder what follows them, so "a\u202Etxt.exe" reads "aexe.txt".
// Controls are refused where text is typed; bidi controls are allowed there (right-to-left writing needs
// them) but kept from reordering what is shown around them: <bdi> in a page, stripped where no markup can go.

/** C0 and C1 control characters, DEL included; tab, line feed and carriage return are left to `lines`. */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/u;
const LINE_BREAKS = /[\t\n\r]/u;

/** Bidirectional formatting characters: marks, embeddings, overrides and isolates. */
const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/gu;

/**
 * The first control character in the text as "U+0000", or undefined when it has none. Text of several lines
 * (`lines` 'many') may hold tabs and line breaks; text of one line may not.
 */
export function controlIn(text: string, lines: 'one' | 'many'): string | undefined {
  const found = CONTROL.exec(text) ?? (lines === 'one' ? LINE_BREAKS.exec(text) : null);
  return found ? `U+${found[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}` : undefined;
}

/** The message for text that holds a control character, naming what it is typed into. */
export function controlMessage(name: string, code: string): string {
  return `${name} may not hold control characters (it has ${code}); remove it and try again.`;
}

/** The text with every control and bidi control removed: for where no markup can isolate it (a page's <title>). */
export function plainText(text: string): string {
  return text.replace(new RegExp(CONTROL.source, 'gu'), '').replace(/[\t\n\r]/gu, ' ').replace(BIDI, '');
}
