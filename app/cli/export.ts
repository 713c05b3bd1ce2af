import { writeFile } from 'node:fs/promises';
import { UsageError } from '../config.ts';
import { checkExported } from './export-check.ts';
import { commandLine, dataDir, readSessionLog, sessionLog } from './resolve.ts';
import { writeFilesBundle } from '../files/bundle-file.ts';

export const EXPORT_USAGE = 'cardtrail export <session> [--out <file>] [--files <bundle.tar>] [--data <dir>]';

/**
 * `cardtrail export`: writes a session's log byte for byte to stdout or --out. A log that is not intact is still
 * written as it is (it is the evidence), with a warning and exit code 1.
 */
export async function runExport(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values, target } = commandLine(args, { out: { type: 'string' }, files: { type: 'string' } }, EXPORT_USAGE);
  if (values.out === '' || values.files === '') throw new UsageError(`--out and --files need a file name. Usage: ${EXPORT_USAGE}`);
  const source = sessionLog(target, dataDir(values.data, env));
  const { bytes, stats } = await readSessionLog(source);
  if (values.files !== undefined) await writeFilesBundle(source.path, values.files);
  // A copy of the bytes just read (and checked below), written as `cp` writes: without waiting for the disk.
  if (values.out !== undefined) await writeFile(values.out, bytes);
  else await new Promise<void>((done, fail) => process.stdout.write(bytes, (err) => (err ? fail(err) : done())));
  const verdict = await checkExported(source, bytes, stats);
  if (verdict.ok) return 0;
  console.error(`Warning: ${source.label} is not intact: ${verdict.reason}. It was exported as it is.`);
  return 1;
}
