import { open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { NewEvent } from '../log/events.ts';
import { newSessionId } from '../log/names.ts';
import { LogStore } from '../log/store.ts';

/**
 * Writes a whole new session's log beside the sessions folder (`<data>/importing/<id>/`), then renames its
 * folder into `sessions/` in one step: a crash or a failed write midway leaves no half-imported session.
 */
export async function placeSession(store: LogStore, first: NewEvent, rest: readonly NewEvent[]): Promise<string> {
  const id = newSessionId();
  const staging = new LogStore(join(store.root, '..', 'importing'));
  try {
    await staging.create(id, first);
    if (rest.length) await staging.append(id, rest);
    await rename(staging.sessionDir(id), store.sessionDir(id));
  } catch (err) {
    await rm(staging.sessionDir(id), { recursive: true, force: true });
    throw err;
  }
  const dir = await open(store.root, 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
  return id;
}
