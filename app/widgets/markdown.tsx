import { raw } from 'hono/html';
import type { WidgetModule } from './types.ts';
import { once } from '../lazy.ts';
import { markdownIt, sanitizeHtml, type SanitizeOptions } from '../libraries.ts';

export type MarkdownOutput = { widget: 'markdown'; text: string };

/** Text written in Markdown, rendered on the server. Raw HTML in it is shown as text, never run. */
export const markdown = (text: string): MarkdownOutput => ({ widget: 'markdown', text: String(text) });

const parser = once(() => new (markdownIt())({ html: false, linkify: true }));

const allowed = once((): SanitizeOptions => ({
  allowedTags: ['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'br', 'hr', 'blockquote', 'pre', 'code', 'em', 'strong', 's', 'del', 'ul', 'ol', 'li', 'a', 'table', 'thead', 'tbody', 'tr', 'th', 'td'],
  allowedAttributes: { a: ['href', 'title', 'rel'], ol: ['start'], code: ['class'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  transformTags: { a: sanitizeHtml().simpleTransform('a', { rel: 'noopener noreferrer nofollow' }) },
}));

/** Markdown to HTML that holds only the tags and link schemes listed above. Pure. */
export function markdownHtml(text: string): string {
  return sanitizeHtml()(parser().render(text), allowed());
}

export const markdownWidget: WidgetModule<MarkdownOutput> = {
  assets: [],
  render: (output) => <div class="markdown">{raw(markdownHtml(output.text))}</div>,
};
