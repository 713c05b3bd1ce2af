import { writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
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
  if (values.out !== undefined) await writeFile(values.out, bytes).catch((err: NodeJS.ErrnoException) => Promise.reject(new Error(cannotWrite(values.out!, err))));
  else await new Promise<void>((done, fail) => process.stdout.write(bytes, (err) => (err ? fail(err) : done())));
  const verdict = await checkExported(source, bytes, stats);
  if (verdict.ok) return 0;
  console.error(`Warning: ${source.label} is not intact: ${verdict.reason}. It was exported as it is.`);
  return 1;
}

/** Why `--out` could not be written, in the words the person needs. */
function cannotWrite(out: string, err: NodeJS.ErrnoException): string {
  if (err.code === 'ENOENT') return `Cannot write ${out}: the folder ${dirname(resolve(out))} does not exist.`;
  if (err.code === 'EISDIR') return `Cannot write ${out}: it is a folder. Give --out a file name.`;
  if (err.code === 'EACCES' || err.code === 'EPERM') return `Cannot write ${out}: permission denied.`;
  if (err.code === 'ENOSPC') return `Cannot write ${out}: the disk is full.`;
  return `Cannot write ${out}: ${err.message}`;
}
