import { writeFile } from 'node:fs/promises';
import { UsageError } from '../config.ts';
import { checkExported } from './export-check.ts';
import { checkOutput, writeWhole } from './output-file.ts';
import { commandLine, dataDir, readSessionLog, sessionLog } from './resolve.ts';
import { writeFilesBundle } from '../files/bundle-file.ts';

export const EXPORT_USAGE = 'cardtrail export <session> [--out <file>] [--files <bundle.tar>] [--force] [--data <dir>]';

/**
 * `cardtrail export`: writes a session's log byte for byte to stdout or --out. A log that is not intact is still
 * written as it is (it is the evidence), with a warning and exit code 1. --out and --files never replace a file
 * unless --force is given, and never write inside the data folder; each is written whole or not at all.
 */
export async function runExport(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const options = { out: { type: 'string' }, files: { type: 'string' }, force: { type: 'boolean' } } as const;
  const { values, target } = commandLine(args, options, EXPORT_USAGE);
  if (values.out === '' || values.files === '') throw new UsageError(`--out and --files need a file name. Usage: ${EXPORT_USAGE}`);
  const data = dataDir(values.data, env);
  const source = sessionLog(target, data);
  const force = values.force ?? false;
  const { bytes, stats } = await readSessionLog(source);
  if (values.out !== undefined && values.out === values.files) throw new UsageError(`--out and --files name the same file, ${values.out}. Usage: ${EXPORT_USAGE}`);
  if (values.out !== undefined) await checkOutput(values.out, '--out', data, force);
  if (values.files !== undefined) await checkOutput(values.files, '--files', data, force);
  let code = 0;
  if (values.files !== undefined) {
    const { leftOut, folderIsLink } = await writeWhole(values.files, force, (temp) => writeFilesBundle(source.path, temp));
    for (const path of leftOut) console.error(`left out: ${path} is a symbolic link`);
    if (folderIsLink) code = 1;
  }
  // A copy of the bytes just read (and checked below), written as `cp` writes: without waiting for the disk.
  if (values.out !== undefined) await writeWhole(values.out, force, (temp) => writeFile(temp, bytes, { flag: 'wx' }));
  else await new Promise<void>((done, fail) => process.stdout.write(bytes, (err) => (err ? fail(err) : done())));
  const verdict = await checkExported(source, bytes, stats);
  if (verdict.ok) return code;
  console.error(`Warning: ${source.label} is not intact: ${verdict.reason}. It was exported as it is.`);
  return 1;
}
