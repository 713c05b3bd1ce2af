import { raw } from 'hono/html';
import { highlightJs as hljs } from '../libraries.ts';
import type { WidgetModule } from './types.ts';
import { escapeHtml, scrollable } from './html.ts';

export type CodeOutput = { widget: 'code'; text: string; lang?: string };

/** Source text, highlighted on the server, with a copy button. `lang` is a highlight.js language name. */
export const code = (text: string, lang?: string): CodeOutput => ({ widget: 'code', text: String(text), ...(lang ? { lang } : {}) });

/** The highlighted HTML of the text (escaped; spans from highlight.js), plain escaped text for an unknown language. Pure. */
export function highlighted(text: string, lang: string | undefined): string {
  return lang && hljs().getLanguage(lang) ? hljs().highlight(text, { language: lang, ignoreIllegals: true }).value : escapeHtml(text);
}

export const codeWidget: WidgetModule<CodeOutput> = {
  assets: [
    { name: 'highlight.css', file: 'node_modules/highlight.js/styles/github-dark.min.css' },
    { name: 'widget-code.js', file: 'public/widgets/code.js' },
  ],
  render: ({ text, lang }) => (
    <figure class="code-widget">
      <figcaption>
        <small>{lang ?? 'text'}</small>
        <button type="button" class="secondary outline copy" data-copy>
          Copy
        </button>
      </figcaption>
      <pre>
        {/* highlight.js's code block is the part that scrolls sideways. */}
        <code class={`hljs${lang ? ` language-${lang}` : ''}`} {...scrollable(lang ? `Code in ${lang}` : 'Code')}>
          {raw(highlighted(text, lang))}
        </code>
      </pre>
    </figure>
  ),
};
