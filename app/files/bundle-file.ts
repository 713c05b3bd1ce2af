import { createWriteStream } from 'node:fs';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { bundlePath, packFiles } from './bundle.ts';
import { SessionFiles } from './session-files.ts';

/** What a written bundle left out: the disk path of each link, and whether the files folder itself was one. */
export type LeftOut = { leftOut: string[]; folderIsLink: boolean };

/**
 * Writes the files of the session whose log is at `logPath` as a .tar bundle to `out` (the CLI's --files), a new
 * file (`wx`); says which links were left out.
 */
export async function writeFilesBundle(logPath: string, out: string): Promise<LeftOut> {
  const files = new SessionFiles(join(dirname(logPath), 'files'));
  const links = files.links();
  await pipeline(packFiles(files, links), createWriteStream(out, { flush: true, flags: 'wx' }));
  return { leftOut: links.map((link) => join(dirname(logPath), bundlePath(link))), folderIsLink: links[0] === '.' };
}
