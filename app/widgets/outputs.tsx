import type { Step, Values } from '../engine/definition.ts';
import type { SessionFiles } from '../files/session-files.ts';
import { widgetOf, type Output } from './registry.ts';
import { showOutputs } from './show.ts';
import type { WidgetContext } from './types.ts';

/** What a done card needs to draw its step's outputs. */
export type OutputsContext = { files: SessionFiles; values: Values; at?: number };

function Problem({ text }: { text: string }) {
  return (
    <p class="output-problem" role="alert">
      {text}
    </p>
  );
}

/**
 * One output in its widget's frame. `data-widget` and `data-assets` let the browser's widget loader
 * (public/widgets.js) fetch the widget's scripts when the element appears and mount it.
 */
export function OutputView({ output, ctx }: { output: Output; ctx: WidgetContext }) {
  const module = widgetOf(output.widget)!;
  let body;
  try {
    body = module.render(output as never, ctx);
  } catch (err) {
    return <Problem text={`This ${output.widget} cannot be shown: ${(err as Error)?.message ?? String(err)}.`} />;
  }
  const assets = module.assets.map((a) => `/assets/${a.name}`).join(' ');
  return (
    <div class={`output output-${output.widget}`} data-widget={output.widget} data-assets={assets || undefined}>
      {body}
    </div>
  );
}

/** A step's outputs (from its `show`), in order. */
export function StepOutputs({ session, step, context }: { session: string; step: Step; context: OutputsContext }) {
  const shown = showOutputs(step, context.values, context.files);
  if (!shown.ok) return <Problem text={`This step's outputs cannot be shown: ${shown.error}.`} />;
  return (
    <div class="outputs">
      {shown.outputs.map((output, index) => (
        <OutputView output={output} ctx={{ session, step: step.id, index, at: context.at, files: context.files }} />
      ))}
    </div>
  );
}
