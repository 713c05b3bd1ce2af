import { createWriteStream } from 'node:fs';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { packFiles } from './bundle.ts';
import { SessionFiles } from './session-files.ts';

/** Writes the files of the session whose log is at `logPath` as a .tar bundle to `out` (the CLI's --files). */
export async function writeFilesBundle(logPath: string, out: string): Promise<void> {
  await pipeline(packFiles(new SessionFiles(join(dirname(logPath), 'files'))), createWriteStream(out, { flush: true }));
}
