import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { writePrivate } from '../files/private-file.ts';
import { readFileSafelySync } from './disk.ts';

/** The data folder's file holding the key its snapshots are sealed with (snapshot-seal.ts). */
export const SNAPSHOT_KEY_FILE = 'snapshot.key';

/**
 * The data folder's snapshot key: read from `snapshot.key` (never through a link), or made (32 random bytes,
 * written 0600 by rename) when there is none. Undefined when it can be neither read nor made: then no snapshot
 * is trusted or written, and every cold load replays its log whole. A key lost only costs that: snapshots
 * sealed with the old key are ignored and written anew.
 */
export function snapshotKey(dataDir: string): Buffer | undefined {
  if (!keys.has(dataDir)) keys.set(dataDir, readOrMake(dataDir));
  return keys.get(dataDir);
}

/** Keys by data folder, read once a process. */
const keys = new Map<string, Buffer | undefined>();

function readOrMake(dataDir: string): Buffer | undefined {
  const file = join(dataDir, SNAPSHOT_KEY_FILE);
  try {
    const text = readFileSafelySync(file).trim();
    if (/^[0-9a-f]{64}$/.test(text)) return Buffer.from(text, 'hex');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') return unusable(file, err);
  }
  try {
    const key = randomBytes(32);
    writePrivate(file, `${key.toString('hex')}\n`);
    return key;
  } catch (err) {
    return unusable(file, err);
  }
}

function unusable(file: string, err: unknown): undefined {
  console.error(`[cardtrail] ${file} cannot be used (${(err as Error).message}): session snapshots are off, each cold load replays its log.`);
  return undefined;
}
