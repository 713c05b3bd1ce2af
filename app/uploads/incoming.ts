import { rm } from 'node:fs/promises';
import { placeUpload } from './store.ts';

/**
 * The files one form brought, received (each in a temporary file of its own) but not yet among the session's
 * uploads. A file becomes an upload when something claims it: the entries about to be written name it, or the
 * form sent back carries it to be sent again. The bytes of every other one (a file refused for its type, the
 * files of a form that recorded nothing) are removed once the request is answered: nothing could name them.
 */
export class Incoming {
  /** Received files by sha256: their size and temporary files (the same content may come twice). */
  private readonly waiting = new Map<string, { size: number; temps: string[] }>();

  constructor(private readonly dir: string) {}

  add(sha256: string, size: number, temp: string): void {
    const had = this.waiting.get(sha256);
    if (had) had.temps.push(temp);
    else this.waiting.set(sha256, { size, temps: [temp] });
  }

  /** Places the files with these sha256s among the session's uploads, named by content; others stay waiting. */
  async claim(shas: Iterable<string>): Promise<void> {
    for (const sha256 of new Set(shas)) {
      const file = this.waiting.get(sha256);
      if (!file) continue;
      this.waiting.delete(sha256);
      const [first, ...again] = file.temps;
      await placeUpload(this.dir, sha256, file.size, first);
      for (const temp of again) await rm(temp, { force: true });
    }
  }

  /** Removes the bytes of every file no one claimed. */
  async dropRest(): Promise<void> {
    const temps = [...this.waiting.values()].flatMap((file) => file.temps);
    this.waiting.clear();
    await Promise.all(temps.map((temp) => rm(temp, { force: true })));
  }
}
