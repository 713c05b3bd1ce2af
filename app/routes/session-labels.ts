import type { Engine } from '../engine/sessions.ts';
import { sessionTitle, valuePreview, type SessionLabel } from '../../views/title.ts';

/**
 * Titles and previews of the listed sessions, from their folded states (kept in memory by the engine). A session
 * whose log cannot be read or whose workflow is missing gets none, and the list shows its workflow instead.
 */
export async function sessionLabels(engine: Engine, ids: readonly string[]): Promise<Map<string, SessionLabel>> {
  const labels = new Map<string, SessionLabel>();
  for (const id of ids) {
    const session = await engine.load(id).catch(() => undefined);
    if (session) labels.set(id, { title: sessionTitle(session), preview: valuePreview(session) });
  }
  return labels;
}
