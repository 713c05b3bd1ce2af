import { lstat, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Json, NewEvent } from '../log/events.ts';
import { INCOMING_PREFIX, isSha256 } from './store.ts';

/** How long an upload no entry names is kept: a form sent back for another field may be submitted again. */
export const UNNAMED_KEPT_MS = 24 * 3600_000;
/** A temporary file of an upload cut off (a crash mid-stream) is this old before it is taken away. */
const INCOMING_KEPT_MS = 3600_000;

/** Every upload the entries name: a file field's value (alone, in a list or group) carries its sha256. */
export function namedUploads(events: readonly NewEvent[]): Set<string> {
  const named = new Set<string>();
  const visit = (value: Json): void => {
    if (value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) return value.forEach(visit);
    if (typeof value.sha256 === 'string' && isSha256(value.sha256)) named.add(value.sha256);
    Object.values(value).forEach(visit);
  };
  for (const e of events) if (e.type === 'param.set') visit(e.value);
  return named;
}

/**
 * Takes away, from a session's uploads folder, the uploads no entry names once they are UNNAMED_KEPT_MS old
 * (from forms sent back and never submitted again), and temporary files of cut-off uploads. Only plain files in
 * a real folder (one that is a link is left alone);
 * returns how many went. An upload being received now is younger than either limit.
 */
export async function sweepUploads(dir: string, named: ReadonlySet<string>, now = Date.now()): Promise<number> {
  let removed = 0;
  // A folder that is a link is not swept: its files are not the session's.
  if ((await lstat(dir).catch(() => undefined))?.isDirectory() !== true) return 0;
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const limit = isSha256(name) ? (named.has(name) ? undefined : UNNAMED_KEPT_MS) : name.startsWith(INCOMING_PREFIX) ? INCOMING_KEPT_MS : undefined;
    if (limit === undefined) continue;
    const path = join(dir, name);
    const info = await lstat(path).catch(() => undefined);
    if (!info?.isFile() || now - info.mtimeMs < limit) continue;
    await rm(path, { force: true });
    removed++;
  }
  return removed;
}
