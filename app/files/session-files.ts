import { closeSync, lstatSync, readdirSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { fileNameProblem, TEMP_PREFIX } from './names.ts';
import { FileMissing, openInside, resolveInside } from './safe-path.ts';

/** One file of a session: its name relative to the files folder (with `/` between folders) and size in bytes. */
export type FileEntry = { name: string; size: number };

/** How much `readText` reads at most, so a show() cannot make a page read a huge file into memory. */
export const MAX_READ = 64 * 1024 * 1024;
/** How many files `list` reports at most. */
const MAX_LIST = 10_000;

/**
 * The read side of a session's files folder, as a step's `show` and the widgets see it. Synchronous, since pages
 * render in one pass. Names are checked; links are never followed (a link is neither listed nor read); files
 * being written (temp files) are invisible.
 */
export class SessionFiles {
  constructor(readonly dir: string) {}

  /** Every regular file, sorted by name, sub-folders included. */
  list(): FileEntry[] {
    const found: FileEntry[] = [];
    for (const { name, path } of this.files()) {
      if (found.length >= MAX_LIST) break;
      found.push({ name, size: lstatSync(path).size });
    }
    return found.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** Whether the folder holds any file `list` would show; reads only as far as the first. */
  any(): boolean {
    return !this.files().next().done;
  }

  /**
   * The symbolic links `list` leaves out (they are never followed), by name, sorted; `.` alone when the files
   * folder itself is a link.
   */
  links(): string[] {
    if (lstatSync(this.dir, { throwIfNoEntry: false })?.isSymbolicLink()) return ['.'];
    const found: string[] = [];
    for (const { name, link } of this.entries()) if (link && found.length < MAX_LIST) found.push(name);
    return found.sort();
  }

  /** The regular files, folder by folder as the disk lists them: links, temp files and bad names left out. */
  private *files(): Generator<{ name: string; path: string }> {
    for (const entry of this.entries()) if (!entry.link) yield entry;
  }

  /** The regular files and the links (not followed), folder by folder; temp files and bad names left out. */
  private *entries(folder = this.dir, prefix = ''): Generator<{ name: string; path: string; link: boolean }> {
    if (!prefix && !this.isFolder()) return;
    let entries;
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const name = prefix + entry.name;
      if (entry.name.startsWith(TEMP_PREFIX) || fileNameProblem(name)) continue;
      const path = join(folder, entry.name);
      if (entry.isSymbolicLink()) yield { name, path, link: true };
      else if (entry.isDirectory()) yield* this.entries(path, `${name}/`);
      else if (entry.isFile()) yield { name, path, link: false };
    }
  }

  /** True when `name` is a regular file reachable without links. */
  has(name: string): boolean {
    return this.size(name) !== undefined;
  }

  /** The size in bytes, or undefined when there is no such file (or the name is not allowed). */
  size(name: string): number | undefined {
    try {
      return resolveInside(this.dir, name).stat.size;
    } catch {
      return undefined;
    }
  }

  /**
   * Tells versions of a file apart without reading it (inode, size, modification time: an atomic write renames a
   * new inode into place); undefined when there is no such file.
   */
  version(name: string): string | undefined {
    try {
      const { stat } = resolveInside(this.dir, name);
      return `${stat.ino}:${stat.size}:${stat.mtimeMs}`;
    } catch {
      return undefined;
    }
  }

  /** The file's text (UTF-8). Throws FileMissing, UnsafeFileName, or for a file over `max` bytes. */
  readText(name: string, max = MAX_READ): string {
    return this.readBytes(name, max).toString('utf8');
  }

  /** The file's first `max` bytes (all of it when smaller); throws for a file over `max` unless `partial`. */
  readBytes(name: string, max = MAX_READ, partial = false): Buffer {
    const { fd, stat } = openInside(this.dir, name);
    try {
      if (stat.size > max && !partial) throw new FileMissing(`${name} is ${stat.size} bytes, more than the ${max} that can be read here`);
      const buf = Buffer.alloc(Math.min(stat.size, max));
      let got = 0;
      while (got < buf.length) {
        const n = readSync(fd, buf, got, buf.length - got, got);
        if (n === 0) break;
        got += n;
      }
      return buf.subarray(0, got);
    } finally {
      closeSync(fd);
    }
  }

  private isFolder(): boolean {
    try {
      const st = lstatSync(this.dir);
      return st.isDirectory() && !st.isSymbolicLink();
    } catch {
      return false;
    }
  }
}
