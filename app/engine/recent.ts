import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type { LogEvent } from '../log/events.ts';

/** How far back from a log's end the recent entries are looked for: enough for a few dozen lines. */
const WINDOW = 64 * 1024;

/**
 * Up to `count` of the last entries of a log up to entry `upto`, oldest first, read from its last 64 kB only, so
 * a page shows them at the same cost at 10 or 100,000 entries. For display (the activity pane): a line that does
 * not parse ends the run, and the truth stays with the fold.
 */
export async function recentEntries(sessionDir: string, upto: number, count: number): Promise<LogEvent[]> {
  const handle = await open(join(sessionDir, 'log.jsonl'), 'r').catch(() => undefined);
  if (!handle) return [];
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, WINDOW);
    const bytes = Buffer.alloc(length);
    await handle.read(bytes, 0, length, size - length);
    const lines = bytes.toString('utf8').split('\n');
    if (length < size) lines.shift(); // the first line is cut by the window
    const events: LogEvent[] = [];
    for (const line of lines.reverse()) {
      if (!line || events.length >= count) continue;
      const e = parseLine(line);
      if (!e) {
        if (events.length) break;
        continue; // a torn last line, set aside at the next append
      }
      if (e.seq <= upto && (events.length === 0 || e.seq === events[events.length - 1].seq - 1)) events.push(e);
    }
    return events.reverse();
  } finally {
    await handle.close();
  }
}

function parseLine(line: string): LogEvent | undefined {
  try {
    const e = JSON.parse(line) as LogEvent;
    return typeof e?.seq === 'number' && typeof e.type === 'string' ? e : undefined;
  } catch {
    return undefined;
  }
}
