import type { Loaded } from '../engine/sessions.ts';
import { valuesOf } from '../engine/progress.ts';
import { allWidgetAssets, assetsFor } from './registry.ts';
import { showOutputs } from './show.ts';

/** The widgets' browser files for the asset table, by name. */
export function widgetAssetTable(): Record<string, { file: string; type: string }> {
  return Object.fromEntries(allWidgetAssets().map((a) => [a.name, { file: a.file, type: a.name.endsWith('.css') ? 'text/css' : 'text/javascript' }]));
}

/** The asset names a session page needs for the outputs of its done cards, and no others. */
export function sessionAssets(session: Loaded): string[] {
  const values = valuesOf(session.state, session.workflow);
  const outputs = session.workflow.steps
    .filter((step) => step.show && session.state.completed.includes(step.id))
    .flatMap((step) => {
      const shown = showOutputs(step, values, session.files);
      return shown.ok ? shown.outputs : [];
    });
  return assetsFor(outputs);
}
