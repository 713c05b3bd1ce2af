import { parseArgs } from 'node:util';
import { passphraseProblem } from './passphrase.ts';

/** How `cardtrail serve` was asked to run; flags win over environment variables, which win over defaults. */
export type ServeConfig = { port: number; host: string; dataDir: string; open: boolean; passphrase?: string };

/** Thrown for a command line that cannot be followed; its message is the one line shown. */
export class UsageError extends Error {}

/** Reads the serve options from flags and the environment. */
export function serveConfig(args: string[], env: NodeJS.ProcessEnv): ServeConfig {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      data: { type: 'string' },
      'no-open': { type: 'boolean' },
    },
    strict: true,
  });
  const portText = values.port ?? (env.CARDTRAIL_PORT || '5001');
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a number from 0 to 65535, not "${portText}".`);
  const passphrase = env.CARDTRAIL_PASSPHRASE || undefined;
  const weak = passphrase === undefined ? undefined : passphraseProblem(passphrase);
  if (weak) throw new UsageError(weak);
  return {
    port,
    host: values.host ?? (env.CARDTRAIL_HOST || '127.0.0.1'),
    dataDir: values.data ?? (env.CARDTRAIL_DATA || 'logs'),
    open: !(values['no-open'] || env.CARDTRAIL_NO_OPEN === '1' || env.CI),
    passphrase,
  };
}
