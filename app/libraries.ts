import type Busboy from 'busboy';
import type HighlightJs from 'highlight.js/lib/common';
import type MarkdownIt from 'markdown-it';
import type SanitizeHtml from 'sanitize-html';
import type TarStream from 'tar-stream';
import { lazyRequire } from './lazy.ts';

// The app's heavy libraries, each loaded the first time a request needs it (see lazy.ts). The home page and the
// session list need none of them. Measured alone in a fresh node, each adds this much resident memory.

/** Code outputs, highlighted on the server with its common languages (about 18 MB, most of a second). */
export const highlightJs = lazyRequire<typeof HighlightJs>('highlight.js/lib/common');
/** Markdown outputs and a workflow's help, on session pages (about 11 MB). */
export const markdownIt = lazyRequire<typeof MarkdownIt>('markdown-it');
/** What markdown-it makes, and SVG images, cleaned (about 17 MB with htmlparser2 and postcss under it). */
export const sanitizeHtml = lazyRequire<typeof SanitizeHtml>('sanitize-html');
export type SanitizeOptions = SanitizeHtml.IOptions;
/** Multipart forms: file fields and imports (about 3 MB). */
export const busboy = lazyRequire<typeof Busboy>('busboy');
/** A session's files as a tar bundle, out and back in (about 5 MB). */
export const tarStream = lazyRequire<typeof TarStream>('tar-stream');
