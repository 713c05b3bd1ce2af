import type { WidgetModule } from './types.ts';
import { scrollable } from './html.ts';

export type MermaidOutput = { widget: 'mermaid'; text: string };

/** A diagram from Mermaid text, drawn in the browser (mermaid is loaded only on pages that show one). */
export const mermaid = (text: string): MermaidOutput => ({ widget: 'mermaid', text: String(text) });

export const mermaidWidget: WidgetModule<MermaidOutput> = {
  assets: [
    { name: 'mermaid.min.js', file: 'node_modules/mermaid/dist/mermaid.min.js' },
    { name: 'widget-mermaid.js', file: 'public/widgets/mermaid.js' },
  ],
  render: ({ text }) => (
    <figure class="mermaid-widget">
      <div class="mermaid-target" role="img" aria-label="Diagram (its source is below)"></div>
      <details>
        <summary>Diagram source</summary>
        <pre class="mermaid-source" {...scrollable('Mermaid source of the diagram')}>
          {text}
        </pre>
      </details>
    </figure>
  ),
};
