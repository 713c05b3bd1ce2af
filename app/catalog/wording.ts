import { createHash } from 'node:crypto';
import type { LoadedWorkflow } from '../engine/discover.ts';

/**
 * A stamp of the data in a workflow's definition that a catalog row is drawn from: titles, labels, options,
 * steps and fields. Rows drawn under one stamp are redrawn when their workflow's stamp changes, so rewording a
 * workflow reaches the list without waiting for each session to change. Functions count only by where they
 * are: their text differs between the compiled copy and the sources (`npm run dev`), so stamping it would
 * redraw every row at each switch, and a change inside one (a `when`) reaches a row when its session changes. Pure.
 */
export function wordingOf(workflow: LoadedWorkflow): string {
  // A definition may hold anything JSON cannot write (a bigint, an object that refers back to itself): those
  // are stamped by kind, so no workflow that loads can keep the server from starting.
  const seen = new WeakSet<object>();
  const text = JSON.stringify({ ...workflow, file: undefined }, (_key, value: unknown) => {
    if (typeof value === 'function') return 'fn';
    if (typeof value === 'bigint') return `${value}n`;
    if (typeof value === 'object' && value !== null) {
      if (seen.has(value)) return 'seen';
      seen.add(value);
    }
    return value;
  });
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/**
 * Which installed workflows' rows must be drawn again: those whose stamp differs from the one their rows were
 * drawn under (none recorded: drawn while the workflow was missing, or before stamps were kept), with their new
 * stamps; and which recorded stamps to drop: those of workflows not installed now, whose rows may from now on be
 * drawn without them (when such a workflow comes back, its rows are drawn again). Pure.
 */
export function rewordedWorkflows(
  installed: ReadonlyMap<string, LoadedWorkflow>,
  recorded: ReadonlyMap<string, string>,
): { changed: Map<string, string>; gone: string[] } {
  const changed = new Map<string, string>();
  for (const [id, workflow] of installed) {
    const stamp = wordingOf(workflow);
    if (recorded.get(id) !== stamp) changed.set(id, stamp);
  }
  return { changed, gone: [...recorded.keys()].filter((id) => !installed.has(id)) };
}
