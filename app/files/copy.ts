import { constants } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { prepareInside } from './safe-path.ts';
import { SessionFiles } from './session-files.ts';

/**
 * Gives a new session (a fork) the files of the one it came from, so its done cards show what the original's
 * did. Each regular file is copied (a reflink where the disk can): later atomic writes in either session never
 * reach the other. Links and temp files are left behind, as everywhere.
 */
export async function copySessionFiles(from: string, to: string): Promise<number> {
  const files = new SessionFiles(from).list();
  for (const { name } of files) await copyFile(join(from, name), prepareInside(to, name).path, constants.COPYFILE_FICLONE);
  return files.length;
}
