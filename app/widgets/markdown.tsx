import { raw } from 'hono/html';
import type { WidgetModule } from './types.ts';
import { once } from '../lazy.ts';
import { markdownIt, sanitizeHtml, type SanitizeOptions } from '../libraries.ts';
import { scrollable } from './html.ts';

export type MarkdownOutput = { widget: 'markdown'; text: string };

/**
 * Text written in Markdown, rendered on the server. Raw HTML in it is shown as text, never run. A code block is
 * focusable (it may scroll sideways).
 */
export const markdown = (text: string): MarkdownOutput => ({ widget: 'markdown', text: String(text) });

const parser = once(() => new (markdownIt())({ html: false, linkify: true }));

// As the sanitizer writes attributes: strings.
const codeBlock = Object.fromEntries(Object.entries(scrollable('Code')).map(([name, value]) => [name, String(value)]));

const allowed = once((): SanitizeOptions => ({
  allowedTags: ['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'br', 'hr', 'blockquote', 'pre', 'code', 'em', 'strong', 's', 'del', 'ul', 'ol', 'li', 'a', 'table', 'thead', 'tbody', 'tr', 'th', 'td'],
  allowedAttributes: { a: ['href', 'title', 'rel'], ol: ['start'], code: ['class'], pre: Object.keys(codeBlock) },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  transformTags: {
    a: sanitizeHtml().simpleTransform('a', { rel: 'noopener noreferrer nofollow' }),
    // The attributes are the sanitizer's own: Markdown writes none on a code block (and raw HTML stays text).
    pre: sanitizeHtml().simpleTransform('pre', codeBlock),
  },
}));

/** Markdown to HTML that holds only the tags and link schemes listed above. Pure. */
export function markdownHtml(text: string): string {
  return sanitizeHtml()(parser().render(text), allowed());
}

export const markdownWidget: WidgetModule<MarkdownOutput> = {
  assets: [],
  render: (output) => <div class="markdown">{raw(markdownHtml(output.text))}</div>,
};
