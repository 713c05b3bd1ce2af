import { checkLog } from '../log/verify.ts';
import { commandLine, dataDir, locate, readLog } from './resolve.ts';

export const VERIFY_USAGE = 'cardtrail verify <file-or-session> [--data <dir>]';

/**
 * `cardtrail verify`: one line on stdout, `intact: ...` (exit 0), `altered: <reason>` (exit 1), or `unknown:
 * <reason>` (exit 1) when the log goes on past a type this version cannot read, the lines before it intact.
 */
export async function runVerify(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values, target } = commandLine(args, {}, VERIFY_USAGE);
  const verdict = checkLog(await readLog(locate(target, dataDir(values.data, env))));
  if (!verdict.ok) {
    console.log(`${verdict.unknown ? 'unknown' : 'altered'}: ${verdict.reason}`);
    return 1;
  }
  console.log(`intact: ${verdict.count} events, last seq ${verdict.lastSeq}`);
  return 0;
}
