import type Busboy from 'busboy';
import type HighlightJs from 'highlight.js/lib/common';
import type MarkdownIt from 'markdown-it';
import type SanitizeHtml from 'sanitize-html';
import type TarStream from 'tar-stream';
import { lazyRequire } from './lazy.ts';

// The app's heavy libraries, each loaded the first time a request needs it (see lazy.ts). The home page and the
// session list need none of them. Each `require`d alone in a fresh node adds about this much resident memory.

/** Code outputs, highlighted on the server with its common languages (8.5 MB). */
export const highlightJs = lazyRequire<typeof HighlightJs>('highlight.js/lib/common');
/** Markdown outputs and a workflow's help, on session pages (12.3 MB with sanitize-html). */
export const markdownIt = lazyRequire<typeof MarkdownIt>('markdown-it');
/** What markdown-it makes, and SVG images, cleaned (it brings htmlparser2 and postcss). */
export const sanitizeHtml = lazyRequire<typeof SanitizeHtml>('sanitize-html');
export type SanitizeOptions = SanitizeHtml.IOptions;
/** Multipart forms: file fields and imports (1.9 MB). */
export const busboy = lazyRequire<typeof Busboy>('busboy');

/**
 * A multipart parser for a form of this content type. File names are read as UTF-8, as browsers send them
 * (busboy would otherwise take their bytes as latin1, and "résumé.txt" would become "rÃ©sumÃ©.txt").
 */
export function multipartParser(contentType: string, limits: Busboy.Limits): Busboy.Busboy {
  return busboy()({ headers: { 'content-type': contentType }, limits, defParamCharset: 'utf8' });
}
/** A session's files as a tar bundle, out and back in (5.8 MB). */
export const tarStream = lazyRequire<typeof TarStream>('tar-stream');
