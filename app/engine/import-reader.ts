import { chainHash } from '../log/chain.ts';
import { problemWith } from '../log/event-shape.ts';
import type { LogEvent } from '../log/events.ts';
import { advance, fold, FoldError, type SessionState } from '../log/fold.ts';

/** The longest line an imported log may have (a value given in a form is at most 1 MB). */
export const MAX_LINE = 16 * 1024 * 1024;
/** Events folded at once: the fold copies its state once per batch, not once per event. */
const BATCH = 2000;

/** The longest the reader works before letting other requests in (chunks already buffered arrive without a
 * pause, so the reader makes one). */
const TURN_MS = 5;

/** Why an imported file is not a log that can be taken in; the message names the line. */
export class ImportRefused extends Error {}

/**
 * Reads an exported log as it arrives, line by line, checking each line as `verifyLog` does (shape, seq, the
 * hash chain, session.started first) and folding it, keeping only the folded state: memory stays flat however
 * long the file is, and other requests are served every few milliseconds. Resolves with the state, or undefined when
 * the file was empty; a bad line rejects with ImportRefused at once.
 */
export async function foldStream(chunks: AsyncIterable<Buffer | Uint8Array> | Iterable<Buffer>): Promise<SessionState | undefined> {
  const folder = new ChainFolder();
  let pending: Buffer[] = [];
  let pendingLength = 0;
  let bytes = 0;
  let turn = performance.now();
  for await (const data of chunks) {
    if (performance.now() - turn > TURN_MS) {
      await new Promise((ok) => setImmediate(ok));
      turn = performance.now();
    }
    const chunk = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    bytes += chunk.length;
    let start = 0;
    for (let end = chunk.indexOf(10); end >= 0; end = chunk.indexOf(10, start)) {
      const piece = chunk.subarray(start, end);
      folder.line((pendingLength ? Buffer.concat([...pending, piece]) : piece).toString('utf8'));
      pending = [];
      pendingLength = 0;
      start = end + 1;
    }
    if (start < chunk.length) {
      pending.push(chunk.subarray(start));
      pendingLength += chunk.length - start;
      if (pendingLength > MAX_LINE) throw new ImportRefused(`line ${folder.lines + 1} is longer than ${MAX_LINE / 1024 / 1024} MB`);
    }
  }
  if (bytes === 0) return undefined;
  if (pendingLength) throw new ImportRefused(`line ${folder.lines + 1} is cut off or unreadable (the file is truncated or damaged)`);
  return folder.end();
}

/** Checks lines one at a time against the one before and folds them in batches. */
class ChainFolder {
  lines = 0;
  private hash = '';
  private batch: LogEvent[] = [];
  private state: SessionState | undefined;

  line(text: string): void {
    const n = ++this.lines;
    const value = parseJson(text);
    const problem = value === undefined ? 'not JSON' : problemWith(value, n);
    if (problem) throw new ImportRefused(`line ${n}: ${problem}`);
    const event = value as LogEvent;
    if (n === 1 && event.type !== 'session.started') throw new ImportRefused('line 1 is not session.started');
    if (event.hash !== chainHash(this.hash, event))
      throw new ImportRefused(`line ${n} was altered after it was written (its hash does not match the chain)`);
    this.hash = event.hash;
    this.batch.push(event);
    if (this.batch.length >= BATCH) this.flush();
  }

  end(): SessionState {
    this.flush();
    if (!this.state) throw new ImportRefused('the file holds no events');
    return this.state;
  }

  private flush(): void {
    if (!this.batch.length) return;
    try {
      this.state = this.state ? advance(this.state, this.batch) : fold(this.batch);
    } catch (err) {
      if (err instanceof FoldError) throw new ImportRefused(err.message);
      throw err;
    }
    this.batch = [];
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
