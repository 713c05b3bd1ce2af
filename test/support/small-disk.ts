import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { tempDir } from './app.ts';

/** Runs a command, true when it worked (mounting needs root). */
function tryRun(cmd: string, args: string[]): boolean {
  try {
    execFileSync(cmd, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Mounts a tmpfs of `size` (such as `2m`) at the folder `dir`; false where mounting is not allowed (not root). */
export function mountTmpfs(dir: string, size: string): boolean {
  return tryRun('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir]);
}

/** Unmounts what mountTmpfs mounted (lazily: a file still open does not keep it). */
export function unmount(dir: string): boolean {
  return tryRun('umount', ['-l', dir]);
}

/**
 * A data folder that is a 2 MB tmpfs holding only the catalog, with its sessions folder bound in from a roomy
 * disk, so log appends succeed while catalog writes meet a full disk once `fillDisk` has run. `undo` steps run in
 * reverse order when the test ends (push a close there), then the mounts go and the folders are removed.
 * Undefined, with the test skipped, where mounting is not allowed.
 */
export async function catalogOnSmallDisk(t: TestContext): Promise<{ data: string; roomy: string; undo: (() => unknown)[] } | undefined> {
  const { dir: base, cleanup } = await tempDir();
  const undo: (() => unknown)[] = [];
  t.after(async () => {
    for (const step of undo.reverse()) await step();
    await cleanup();
  });
  const data = join(base, 'data');
  const roomy = join(base, 'sessions');
  await mkdir(data);
  await mkdir(roomy);
  if (!mountTmpfs(data, '2m')) return void t.skip('cannot mount a tmpfs here (needs root)');
  undo.push(() => unmount(data));
  await mkdir(join(data, 'sessions'));
  if (!tryRun('mount', ['--bind', roomy, join(data, 'sessions')])) return void t.skip('cannot bind-mount here (needs root)');
  undo.push(() => unmount(join(data, 'sessions')));
  return { data, roomy, undo };
}

/** Fills what is left of the disk under `dir` with one file; its path (remove it to give the space back). */
export async function fillDisk(dir: string): Promise<string> {
  const filler = join(dir, 'filler');
  await writeFile(filler, '');
  try {
    execFileSync('dd', ['if=/dev/zero', `of=${filler}`, 'bs=64k'], { stdio: 'ignore' });
  } catch {
    // dd stops with an error when the disk is full: that is the point.
  }
  return filler;
}

/**
 * mountTmpfs for a test: unmounted when the test ends. False, with the test skipped, where mounting is not
 * allowed.
 */
export function mountTmpfsFor(t: TestContext, dir: string, size: string): boolean {
  if (!mountTmpfs(dir, size)) {
    t.skip(`cannot mount a ${size} tmpfs here (needs root): the real full disk is not exercised`);
    return false;
  }
  t.after(() => unmount(dir));
  return true;
}

/** A fresh folder that is a tmpfs of `size`, unmounted and removed when the test ends; undefined where not allowed. */
export async function smallTmpfs(t: TestContext, size: string): Promise<string | undefined> {
  const { dir, cleanup } = await tempDir('cardtrail-tmpfs-');
  const mounted = mountTmpfsFor(t, dir, size);
  t.after(cleanup); // after the unmount: hooks run in the order they were added
  return mounted ? dir : undefined;
}
