import { closeSync, constants, fstatSync, openSync, readdirSync, readSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadedWorkflow } from '../engine/discover.ts';
import type { JobEvent, LogEvent } from '../log/events.ts';
import { fold } from '../log/fold.ts';
import { SESSION_ID } from '../log/names.ts';
import { parse, type LogStore } from '../log/store.ts';
import type { Catalog } from './catalog.ts';
import { sessionRow } from './row.ts';

/**
 * Brings the catalog up to date with the logs on disk: rows for new or changed logs, none for vanished ones, all
 * written in one transaction. It runs before the server listens, so it reads synchronously: each log is opened
 * once (never through a link), its size compared with the row's, and only a changed log read and folded. A log
 * that cannot be read is left out and reported; a torn tail is left for the store to set aside when the session
 * is opened (the row then differs in size and is made again at the next start).
 */
export async function syncCatalog(
  store: LogStore,
  catalog: Catalog,
  workflows: ReadonlyMap<string, LoadedWorkflow>,
  onDamaged: (id: string, err: Error) => void,
  onNoLog: (id: string) => void = () => {},
): Promise<number> {
  const known = catalog.logSizes();
  const present = new Set<string>();
  let refreshed = 0;
  await catalog.holding(async () => {
    for (const id of sessionNames(store.root)) {
      let fd: number;
      try {
        fd = openSync(join(store.sessionDir(id), 'log.jsonl'), constants.O_RDONLY | constants.O_NOFOLLOW);
      } catch {
        onNoLog(id); // no log (or not a file of its own): not a session
        continue;
      }
      try {
        const size = fstatSync(fd).size;
        present.add(id);
        if (known.get(id) === size) continue;
        const bytes = Buffer.alloc(size);
        for (let done = 0; done < size; ) {
          const read = readSync(fd, bytes, done, size - done, done);
          if (!read) throw new Error('the log became shorter while it was read');
          done += read;
        }
        const { events, goodLength } = parse(bytes, 1);
        const state = fold(events);
        catalog.record(sessionRow(id, state, workflows.get(state.workflow), goodLength), events.filter(isJobEvent));
        refreshed++;
      } catch (err) {
        onDamaged(id, err as Error);
      } finally {
        closeSync(fd);
      }
    }
    catalog.keepOnly(present);
  });
  return refreshed;
}

export function isJobEvent(e: LogEvent): e is JobEvent {
  return e.type.startsWith('job.');
}

/** The names in the sessions folder that have the shape of a session id. */
function sessionNames(root: string): string[] {
  try {
    return readdirSync(root).filter((name) => SESSION_ID.test(name));
  } catch {
    return [];
  }
}
