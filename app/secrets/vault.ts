import { randomBytes } from 'node:crypto';
import { readFileSafelySync } from '../log/disk.ts';
import { writePrivate } from '../files/private-file.ts';

/** What a secret field records in the log: a reference to the secrets file and a hint to recognise it by. */
export type SecretRef = { secret: string; fingerprint: string };

type Entry = { value: string; fingerprint: string; at: string };

const REF = /^sec_[0-9a-f]{32}$/;
export const STAGED_MAX = 1000;

/**
 * The data folder's own secrets file (`secrets.json`, mode 0600): secret values by reference. Logs, exports,
 * pages and the catalog only ever hold the reference and a fingerprint; jobs are given the value. A secret is
 * staged while its form is checked and written only when the whole form is accepted.
 */
export class SecretVault {
  private entries: Record<string, Entry> | undefined;
  private readonly staged = new Map<string, Entry>();
  /** References let go from `staged` to make room (as many at most), so a form carrying one can be told why. */
  private readonly letGo = new Set<string>();

  constructor(readonly file: string) {}

  /**
   * Keeps a value until `commit`, returning the reference it will have. A form sent back with another field's
   * message carries the reference, so its staged value waits for the next submit (the oldest are let go).
   */
  stage(value: string): string {
    const ref = `sec_${randomBytes(16).toString('hex')}`;
    this.staged.set(ref, { value, fingerprint: fingerprintOf(value), at: new Date().toISOString() });
    if (this.staged.size > STAGED_MAX) {
      const oldest = this.staged.keys().next().value!;
      this.staged.delete(oldest);
      this.letGo.add(oldest);
      if (this.letGo.size > STAGED_MAX) this.letGo.delete(this.letGo.keys().next().value!);
    }
    return ref;
  }

  /** Whether a reference was staged by this process and let go to make room for newer ones. */
  wasLetGo(ref: string): boolean {
    return this.letGo.has(ref);
  }

  /** The hint shown for a reference, staged or stored; undefined when this data folder does not hold it. */
  fingerprint(ref: string): string | undefined {
    return (this.staged.get(ref) ?? this.load()[ref])?.fingerprint;
  }

  /** The value of a stored reference. */
  reveal(ref: string): string | undefined {
    return REF.test(ref) ? this.load()[ref]?.value : undefined;
  }

  /** Writes the staged secrets among `refs` to the file (atomically, fsynced, 0600) and forgets the rest. */
  commit(refs: readonly string[]): void {
    const adding = refs.filter((ref) => this.staged.has(ref));
    if (adding.length) {
      const next = { ...this.load() };
      for (const ref of adding) next[ref] = this.staged.get(ref)!;
      writePrivate(this.file, `${JSON.stringify(next, null, 1)}\n`);
      this.entries = next;
    }
    for (const ref of refs) this.staged.delete(ref);
  }

  private load(): Record<string, Entry> {
    if (this.entries) return this.entries;
    try {
      this.entries = JSON.parse(readFileSafelySync(this.file)) as Record<string, Entry>;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`The secrets file ${this.file} cannot be read: ${(err as Error).message}`);
      this.entries = {};
    }
    return this.entries;
  }
}

/** "…3f": the last two characters of a value long enough that they give little away; otherwise nothing. */
export function fingerprintOf(value: string): string {
  return value.length >= 12 ? `…${value.slice(-2)}` : '';
}

/** The secret references anywhere in a value (a step's values, with groups and list rows). */
export function secretRefs(value: unknown): string[] {
  if (isSecretRef(value)) return [value.secret];
  if (typeof value !== 'object' || value === null) return [];
  return Object.values(value).flatMap(secretRefs);
}

/** A reference-shaped value as the log holds it. */
export function isSecretRef(value: unknown): value is SecretRef {
  const v = value as SecretRef | null;
  return typeof v === 'object' && v !== null && typeof v.secret === 'string' && REF.test(v.secret) && typeof v.fingerprint === 'string';
}

