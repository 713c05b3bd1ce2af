import { parseArgs } from 'node:util';
import { passphraseProblem } from './passphrase.ts';

/** How `cardtrail serve` was asked to run; flags win over environment variables, which win over defaults. */
export type ServeConfig = { port: number; host: string; dataDir: string; open: boolean; passphrase?: string };

/** Thrown for a command line that cannot be followed; its message is the one line shown. */
export class UsageError extends Error {}

/** Reads the serve options from flags and the environment. */
export function serveConfig(args: string[], env: NodeJS.ProcessEnv): ServeConfig {
  let values;
  try {
    ({ values } = parseArgs({
      args: valuesJoined(args, ['--port']),
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        data: { type: 'string' },
        'no-open': { type: 'boolean' },
      },
      strict: true,
    }));
  } catch (err) {
    throw new UsageError(plainReason(err as Error));
  }
  const portText = values.port ?? (env.CARDTRAIL_PORT || '5001');
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a number from 0 to 65535, not "${portText}".`);
  const passphrase = env.CARDTRAIL_PASSPHRASE || undefined;
  const weak = passphrase === undefined ? undefined : passphraseProblem(passphrase);
  if (weak) throw new UsageError(weak);
  return {
    port,
    host: values.host ?? (env.CARDTRAIL_HOST || '127.0.0.1'),
    dataDir: dataFolderOf(values.data, env),
    open: !(values['no-open'] || env.CARDTRAIL_NO_OPEN === '1' || env.CI),
    passphrase,
  };
}

/**
 * `--port -1` written as `--port=-1`, so a value that starts with "-" reaches the port check (which says what a
 * port must be) instead of reading as a missing value. Pure.
 */
export function valuesJoined(args: readonly string[], flags: readonly string[]): string[] {
  const end = args.indexOf('--');
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const next = args[i + 1];
    if ((end < 0 || i < end) && flags.includes(args[i]) && next !== undefined && /^-\d/.test(next)) joined.push(`${args[i]}=${args[++i]}`);
    else joined.push(args[i]);
  }
  return joined;
}

/**
 * The data folder as given: `--data`, else CARDTRAIL_DATA, else ./logs. An empty `--data` is a mistake (it
 * would have served the current folder), where an empty variable counts as unset.
 */
export function dataFolderOf(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  if (flag === '') throw new UsageError('--data needs a folder name.');
  return flag ?? (env.CARDTRAIL_DATA || 'logs');
}

/** parseArgs' complaint in one short sentence. */
export function plainReason(err: Error): string {
  const unknown = /Unknown option '([^']+)'/.exec(err.message);
  if (unknown) return `Unknown option ${unknown[1]}.`;
  // "argument missing" and "argument is ambiguous" (the next word starts with "-") both mean no value was given.
  const noValue = /^Option '(-[\w-]+)/.exec(err.message);
  if (noValue) return `${noValue[1]} needs a value (write ${noValue[1]}=<value> for one that starts with "-").`;
  return err.message.replace(/\s*\n\s*/g, ' ').replace(/[^.]$/, '$&.');
}
