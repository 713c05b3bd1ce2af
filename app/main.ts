import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';
import { serveConfig, UsageError } from './config.ts';
import { runServe } from './serve.ts';
import { runCheck } from './check-command.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const USAGE = `Usage: cardtrail <command> [options]

Commands:
  serve   Serve Cardtrail in the browser  [--port 5001] [--host 127.0.0.1] [--data ./logs] [--no-open]
  check   Load every workflow in workflows/ and report mistakes (exit 1 if any)

Environment: CARDTRAIL_PORT, CARDTRAIL_HOST, CARDTRAIL_DATA, CARDTRAIL_NO_OPEN=1, CARDTRAIL_PASSPHRASE`;

/** Runs one command line; returns the process exit code. */
async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
      await runServe(serveConfig(rest, process.env), ROOT);
      return -1;
    case 'check':
      return runCheck(ROOT);
    case undefined:
    case 'help':
    case '--help':
      console.log(USAGE);
      return 0;
    default:
      throw new UsageError(`Unknown command "${command}".\n\n${USAGE}`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (err) => {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error((err as Error).message);
      process.exitCode = 2;
    } else {
      console.error(err);
      process.exitCode = 1;
    }
  },
);
