import { ROOT } from './code-root.ts';
import { serveConfig, UsageError } from './config.ts';
import { EXPORT_USAGE, runExport } from './cli/export.ts';
import { REPLAY_USAGE, runReplay } from './cli/replay.ts';
import { runVerify, VERIFY_USAGE } from './cli/verify.ts';

const USAGE = `Usage: cardtrail <command> [options]

Commands:
  serve   Serve Cardtrail in the browser  [--port 5001] [--host 127.0.0.1] [--data ./logs] [--no-open]
  dev     serve, and reload a workflow file when it is saved (no restart)
  new     Write workflows/<id>.ts from a template  <id> [--title "…"] [--job]
  check   Load every workflow in workflows/ (or [folder]) and report mistakes (exit 1 if any)
  replay  Print a session's state as JSON, replayed from its log; --at <seq> shows it as it was then
  export  Write a session's log to stdout (or --out <file>) exactly as it is on disk; --files <tar> its files.
          An existing file is replaced only with --force; a path inside the data folder is always refused
  verify  Check a log's order and hash chain: "intact: N events, last seq N" or "altered: <reason>"

  ${REPLAY_USAGE}
  ${EXPORT_USAGE}
  ${VERIFY_USAGE}

A <session> is a session id, read from <data>/sessions/<id>/log.jsonl; --data defaults to CARDTRAIL_DATA,
then ./logs. Any other argument is the path of a .jsonl log file (write ./<name> for a file named like an id).
replay refuses a log that is not intact; --force replays the lines before the first bad one.

Exit codes: 0 ok; 1 the log is missing, unreadable or not intact (check: a workflow has mistakes); 2 usage error.
export: 1 also when --out or --files cannot be written, or the files folder is a symbolic link (left out);
2 for an existing file without --force, or a path inside the data folder. cardtrail with no command: help, exit 2.
Environment: CARDTRAIL_PORT, CARDTRAIL_HOST, CARDTRAIL_DATA, CARDTRAIL_NO_OPEN=1, CARDTRAIL_PASSPHRASE`;

/** Runs one command line; returns the process exit code (-1: a server that keeps running). */
async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command !== undefined && asksForHelp(rest)) return help();
  switch (command) {
    case 'serve': {
      // Loaded only here (like check's): the server's modules (hono, better-sqlite3) would slow every scripted command.
      const { runServe } = await import('./serve.ts');
      await runServe(serveConfig(rest, process.env), ROOT);
      return -1;
    }
    case 'dev': {
      const { runServe } = await import('./serve.ts');
      await runServe(serveConfig(rest, process.env), ROOT, { watch: true });
      return -1;
    }
    case 'new':
      return (await import('./cli/new.ts')).runNew(rest, ROOT);
    case 'check':
      return (await import('./cli/check.ts')).runCheck(ROOT, rest);
    case 'replay':
      return runReplay(rest, process.env);
    case 'export':
      return runExport(rest, process.env);
    case 'verify':
      return runVerify(rest, process.env);
    case undefined:
      return help(2); // a usage error: the help is shown, but a script that forgot the command must not pass
    case 'help':
    case '--help':
    case '-h':
      return help();
    default:
      throw new UsageError(`Unknown command "${command}". Run "cardtrail --help" for the list.`);
  }
}

/** Prints the help: on stdout when asked for (exit 0), on stderr for a command line without a command (exit 2). */
function help(code: 0 | 2 = 0): number {
  if (code) console.error(USAGE);
  else console.log(USAGE);
  return code;
}

/** `--help` or `-h` among a command's own flags (not after `--`, where it would be an argument). */
function asksForHelp(args: string[]): boolean {
  const end = args.indexOf('--');
  return (end < 0 ? args : args.slice(0, end)).some((a) => a === '--help' || a === '-h');
}

// A reader that stops early (`cardtrail export <id> | head`) is not an error worth a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err;
  process.exit(process.exitCode ?? 0);
});

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (err: Error & { code?: string }) => {
    const usage = err instanceof UsageError || err.code?.startsWith('ERR_PARSE_ARGS');
    // Scripts read stderr line by line: one line, no stack trace.
    console.error(String(err?.message ?? err).replace(/\s*\n\s*/g, ' '));
    process.exitCode = usage ? 2 : 1;
  },
);
