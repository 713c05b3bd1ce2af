import { UsageError } from '../config.ts';
import type { LogEvent } from '../log/events.ts';
import { fold, FoldError } from '../log/fold.ts';
import { verifyLog } from '../log/verify.ts';
import { commandLine, dataDir, LogFailure, locate, readLog } from './resolve.ts';

export const REPLAY_USAGE = 'cardtrail replay <session-or-file> [--at <seq>] [--force] [--data <dir>]';

/**
 * `cardtrail replay`: prints the state a log folds to (at a seq with --at) as JSON on stdout. A log that is not
 * intact is refused, or with --force replayed up to the line before the first bad one.
 */
export async function runReplay(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values, target } = commandLine(args, { at: { type: 'string' }, force: { type: 'boolean' } }, REPLAY_USAGE);
  if (values.at !== undefined && !/^\d+$/.test(values.at)) throw new UsageError(`--at takes a seq (a whole number), not "${values.at}".`);
  const source = locate(target, dataDir(values.data, env));
  const bytes = await readLog(source);
  const verdict = verifyLog(bytes);
  let events: LogEvent[];
  if (verdict.ok) events = verdict.events;
  else if (!values.force) throw new LogFailure(`${source.label} is not intact: ${verdict.reason}. --force replays the lines before it.`);
  else {
    events = intactPrefix(bytes, verdict.line);
    if (!events.length) throw new LogFailure(`${source.label} is not intact: ${verdict.reason}. No line before it can be replayed.`);
    console.error(`Warning: ${source.label} is not intact: ${verdict.reason}. Replaying its first ${events.length} event(s).`);
  }
  const last = events[events.length - 1].seq;
  const at = values.at === undefined ? Infinity : Number(values.at);
  if (at < 1 || (at > last && at !== Infinity)) throw new UsageError(`--at must be a seq from 1 to ${last} in ${source.label}, not ${values.at}.`);
  let state;
  try {
    state = fold(events, at);
  } catch (err) {
    if (err instanceof FoldError) throw new LogFailure(`${source.label} does not replay: ${err.message}.`);
    throw err;
  }
  process.stdout.write(JSON.stringify(state, null, 2) + '\n');
  return 0;
}

/** The events of the longest run of leading lines that verifies, given the first bad line. */
function intactPrefix(bytes: Buffer, badLine: number): LogEvent[] {
  for (let keep = badLine - 1; keep > 0; ) {
    const verdict = verifyLog(firstLines(bytes, keep));
    if (verdict.ok) return verdict.events;
    keep = Math.min(keep, verdict.line) - 1;
  }
  return [];
}

/** The bytes of a log's first `count` lines, each with its line end. */
function firstLines(bytes: Buffer, count: number): Buffer {
  let end = -1;
  for (let i = 0; i < count; i++) {
    end = bytes.indexOf(10, end + 1);
    if (end < 0) return bytes;
  }
  return bytes.subarray(0, end + 1);
}
