import { closeSync, fstatSync, lstatSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import { join, sep } from 'node:path';
import type { LoadedWorkflow } from '../engine/discover.ts';
import type { JobEvent, LogEvent } from '../log/events.ts';
import { fold } from '../log/fold.ts';
import { SESSION_ID } from '../log/names.ts';
import { NotAFile, READ_NO_LINKS as NO_LINKS } from '../log/disk.ts';
import { parse, type LogStore } from '../log/store.ts';
import type { Catalog } from './catalog.ts';
import { sessionRow } from './row.ts';

/**
 * Brings the catalog up to date with the logs on disk: rows for new or changed logs, none for vanished ones, all
 * written in one transaction (a bulk load when the catalog holds no session yet). It runs before the server
 * listens, so it reads synchronously, never through a link: a log its row knows is compared by size first, and
 * only a changed or new log read and folded. A log that cannot be read is left out and reported; a torn tail is
 * left for the store to set aside when the session is opened (the row then differs in size and is made again at
 * the next start).
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
  const folder = join(store.root, sep); // each log's path by concatenation: a join() per log costs milliseconds at 10,000
  await catalog.loading(async () => {
    for (const id of sessionNames(store.root)) {
      try {
        const found = readLog(`${folder}${id}${sep}log.jsonl`, known.get(id)); // (the names have a session id's shape)
        if (found === 'no log') {
          onNoLog(id); // no log (or not a file of its own): not a session
          continue;
        }
        present.add(id);
        if (found === 'unchanged') continue;
        const { events, goodLength } = parse(found.log, 1);
        const state = fold(events);
        catalog.record(sessionRow(id, state, workflows.get(state.workflow), goodLength), events.filter(isJobEvent));
        refreshed++;
      } catch (err) {
        present.add(id);
        onDamaged(id, err as Error);
      }
    }
    catalog.keepOnly(present);
  });
  return refreshed;
}

export function isJobEvent(e: LogEvent): e is JobEvent {
  return e.type.startsWith('job.');
}

/** A log as the scan finds it: none of its own (not a session), the size its row knows, or its bytes (or their exact text). */
type Found = 'no log' | 'unchanged' | { log: Buffer | string };

/**
 * Reads a log unless its row knows its size. The common cases take the fewest system calls: a log with no row
 * is read whole by one call, a known one is compared by one lstat; anything else (a changed size, a link, not a
 * file, bytes that are not UTF-8, an error past opening) is read the careful way, which says what went wrong.
 */
function readLog(file: string, knownSize: number | undefined): Found {
  if (knownSize === undefined) return readWhole(file) ?? readOpened(file, knownSize);
  return sameSize(file, knownSize) ? 'unchanged' : readOpened(file, knownSize);
}

/**
 * A log read as UTF-8 text in one call (open, read, close inside node), which parses as it is; undefined when
 * that could not be exact: replacement characters mean bytes that were not UTF-8 (or were U+FFFD: then it is
 * only read again).
 */
function readWhole(file: string): Found | undefined {
  let text: string;
  try {
    // Node takes open(2)'s numeric flags here too ("File system flags"); its types admit only the strings.
    text = readFileSync(file, { encoding: 'utf8', flag: NO_LINKS as unknown as string });
  } catch (err) {
    return (err as NodeJS.ErrnoException).syscall === 'open' ? 'no log' : undefined;
  }
  // Empty: an empty log, or a pipe planted at the name (opened without waiting, it reads as empty): the careful
  // way tells them apart.
  return !text || text.includes('\uFFFD') ? undefined : { log: text };
}

/** Whether the log is a file of its own (not a link) of this size. */
function sameSize(file: string, size: number): boolean {
  try {
    const stat = lstatSync(file);
    return stat.isFile() && stat.size === size;
  } catch {
    return false;
  }
}

/** The log opened once (never through a link), its size compared with the known one, and read only if it differs. */
function readOpened(file: string, knownSize: number | undefined): Found {
  let fd: number;
  try {
    fd = openSync(file, NO_LINKS);
  } catch {
    return 'no log';
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new NotAFile(file);
    const size = stat.size;
    if (knownSize === size) return 'unchanged';
    const bytes = Buffer.alloc(size);
    for (let done = 0; done < size; ) {
      const read = readSync(fd, bytes, done, size - done, done);
      if (!read) throw new Error('the log became shorter while it was read');
      done += read;
    }
    return { log: bytes };
  } finally {
    closeSync(fd);
  }
}

/** The names in the sessions folder that have the shape of a session id. */
function sessionNames(root: string): string[] {
  try {
    return readdirSync(root).filter((name) => SESSION_ID.test(name));
  } catch {
    return [];
  }
}
