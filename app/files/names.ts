/**
 * The names of a session's files, checked before anything touches the disk. A name is a plain relative path
 * inside the session's `files/` folder: sub-folders with `/`, never `..`, `.`, an absolute path, a backslash,
 * a control character or a percent-escape left over after the URL was decoded once (an encoded traversal).
 */

/** Files being written start with this; they are never listed, served or bundled. */
export const TEMP_PREFIX = '.cardtrail-tmp-';

const MAX_NAME = 1024;
const MAX_SEGMENT_BYTES = 255;

/** Why a name cannot name a session file, or undefined when it can. Pure. */
export function fileNameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string' || name === '') return 'a file name is needed';
  if (name.length > MAX_NAME) return `a file name can be at most ${MAX_NAME} characters`;
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'a file name cannot hold control characters';
  if (name.includes('\\')) return 'a file name cannot hold a backslash';
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return 'a file name must be relative to the session folder';
  if (/%[0-9A-Fa-f]{2}/.test(name)) return 'a file name cannot hold percent-escapes (an encoded path)';
  for (const segment of name.split('/')) {
    if (segment === '') return 'a file name cannot have an empty part (// or a / at either end)';
    if (segment === '.' || segment === '..') return 'a file name cannot climb out of its folder (. or ..)';
    if (segment.startsWith(TEMP_PREFIX)) return 'that name is reserved for files being written';
    if (Buffer.byteLength(segment) > MAX_SEGMENT_BYTES) return `each part of a file name can be at most ${MAX_SEGMENT_BYTES} bytes`;
  }
  return undefined;
}

/** The parts of a name that passed fileNameProblem. */
export function segmentsOf(name: string): string[] {
  return name.split('/');
}

/** Thrown for a name that is not allowed or a path that is (or passes through) a symbolic link. */
export class UnsafeFileName extends Error {}

/** Throws UnsafeFileName unless the name is allowed; returns its parts. */
export function checkedSegments(name: unknown): string[] {
  const problem = fileNameProblem(name);
  if (problem) throw new UnsafeFileName(`${JSON.stringify(name)}: ${problem}`);
  return segmentsOf(name as string);
}
