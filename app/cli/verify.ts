import { verifyLog } from '../log/verify.ts';
import { commandLine, dataDir, locate, readLog } from './resolve.ts';

export const VERIFY_USAGE = 'cardtrail verify <file-or-session> [--data <dir>]';

/** `cardtrail verify`: one line on stdout, `intact: ...` (exit 0) or `altered: <reason>` (exit 1). */
export async function runVerify(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values, target } = commandLine(args, {}, VERIFY_USAGE);
  const verdict = verifyLog(await readLog(locate(target, dataDir(values.data, env))));
  if (!verdict.ok) {
    console.log(`altered: ${verdict.reason}`);
    return 1;
  }
  console.log(`intact: ${verdict.events.length} events, last seq ${verdict.events[verdict.events.length - 1].seq}`);
  return 0;
}
