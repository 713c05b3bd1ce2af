// Real disk faults for the reliability suites: a small tmpfs that can be filled or made read-only (root only;
// where mounting is not allowed the test is skipped with the reason), and a fingerprint of a folder tree to show
// that nothing outside the data folder was touched.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstat, mkdtemp, readdir, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { promisify } from 'node:util';

/** Runs a command (mount, umount, df), rejecting with its stderr. */
export const run = promisify(execFile);

/** A fresh folder with a tmpfs of `size` (e.g. '2m') mounted on it, unmounted and removed when the test ends. */
export async function tmpfs(t: TestContext, size: string): Promise<string | undefined> {
  const dir = await mkdtemp(join(tmpdir(), 'cardtrail-tmpfs-'));
  try {
    await run('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir]);
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    t.skip(`cannot mount a tmpfs here (${String((err as Error).message).split('\n')[0]}): the full-disk and read-only cases need root`);
    return undefined;
  }
  t.after(async () => {
    await run('umount', ['-l', dir]).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });
  return dir;
}

/** Remounts a tmpfs read-only (true) or writable again (false). */
export async function readOnly(dir: string, on: boolean): Promise<void> {
  await run('mount', ['-o', `remount,${on ? 'ro' : 'rw'}`, dir]);
}

/** Fills the file system holding `dir` to the last byte with one file, and returns that file (remove it to free the space). */
export async function fill(dir: string): Promise<string> {
  const file = join(dir, 'filler.bin');
  const { stdout } = await run('df', ['--output=avail', '-B1', dir]);
  const avail = Number(stdout.trim().split('\n').pop());
  await writeFile(file, Buffer.alloc(Math.max(0, avail))).catch(() => undefined);
  // Whatever is left, down to a single byte.
  for (let chunk = 4096; chunk >= 1; chunk = Math.floor(chunk / 2))
    for (;;) {
      const ok = await writeFile(file, Buffer.alloc(chunk), { flag: 'a' }).then(
        () => true,
        () => false,
      );
      if (!ok) break;
    }
  return file;
}

/** Every entry under a folder with what it is (a file's sha256 and size, a link's target): equal fingerprints mean untouched. */
export async function fingerprint(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  async function walk(path: string, rel: string): Promise<void> {
    const info = await lstat(path);
    if (info.isSymbolicLink()) out[rel] = `link ${await readlink(path)}`;
    else if (info.isDirectory()) {
      out[rel] = 'dir';
      for (const name of (await readdir(path)).sort()) await walk(join(path, name), join(rel, name));
    } else out[rel] = `file ${info.size} ${createHash('sha256').update(await readFile(path)).digest('hex')} ${info.mtimeMs}`;
  }
  await walk(dir, '.');
  return out;
}
