import type { LoadedWorkflow } from '../engine/discover.ts';
import type { JobEvent, LogEvent } from '../log/events.ts';
import { fold } from '../log/fold.ts';
import { START, type LogStore } from '../log/store.ts';
import type { Catalog } from './catalog.ts';
import { sessionRow } from './row.ts';

/** Logs read at once while catching up: enough to keep the disk busy while one is parsed. */
const READ_AHEAD = 16;

/**
 * Brings the catalog up to date with the logs on disk: rows for new or changed logs (each read once), none for
 * vanished ones, all written in one transaction. A log that cannot be read is left out and reported.
 */
export async function syncCatalog(
  store: LogStore,
  catalog: Catalog,
  workflows: ReadonlyMap<string, LoadedWorkflow>,
  onDamaged: (id: string, err: Error) => void,
): Promise<number> {
  const ids = await store.list();
  const known = catalog.logSizes();
  const sizes = await inTurns(ids, (id) => store.size(id).catch(() => -1));
  const changed = ids.filter((id, i) => known.get(id) !== sizes[i]);
  let refreshed = 0;
  await catalog.holding(async () => {
    await inTurns(changed, async (id) => {
      try {
        const { events, head } = await store.readFrom(id, START);
        const state = fold(events);
        catalog.record(sessionRow(id, state, workflows.get(state.workflow), head.size), events.filter(isJobEvent));
        refreshed++;
      } catch (err) {
        onDamaged(id, err as Error);
      }
    });
    catalog.keepOnly(new Set(ids));
  });
  return refreshed;
}

export function isJobEvent(e: LogEvent): e is JobEvent {
  return e.type.startsWith('job.');
}

/** Maps items through an async function, at most READ_AHEAD at a time, keeping their order. */
async function inTurns<T, R>(items: readonly T[], task: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_AHEAD, items.length) }, worker));
  return results;
}
