import { diskCause, type DiskCause } from '../log/disk.ts';

const WHY: Record<DiskCause, string> = {
  full: 'the disk is full',
  'read-only': 'the disk is read-only',
  denied: 'permission was denied',
};

/** The sentence a job fails with when one of its files cannot be written: why, and which file. Pure. */
export function writeFailureMessage(name: string, err: unknown): string {
  const cause = diskCause(err);
  if (cause) return `${WHY[cause]}: ${name} could not be written`;
  return `${name} could not be written: ${err instanceof Error ? err.message : String(err)}`;
}

/** A job's file that could not be written; `cause` keeps the system's own error. */
export class FileNotWritten extends Error {
  constructor(name: string, err: unknown) {
    super(writeFailureMessage(name, err), { cause: err });
  }
}

/** The error as a FileNotWritten (an error that already is one passes unchanged). */
export function notWritten(name: string, err: unknown): FileNotWritten {
  return err instanceof FileNotWritten ? err : new FileNotWritten(name, err);
}
