import { join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * Where this copy of the code runs from. `cardtrail serve` (and verify, export, replay) run the compiled copy
 * that bin/compiled.js builds under <root>/node_modules/.cache/cardtrail/<build>, laid out like the sources; it
 * writes the two folders into the build as CARDTRAIL_BUILD. The author's tools and the tests run the TypeScript
 * sources through tsx, where CARDTRAIL_BUILD is not defined.
 */
declare const CARDTRAIL_BUILD: { root: string; folder: string } | undefined;
const build = typeof CARDTRAIL_BUILD === 'undefined' ? undefined : CARDTRAIL_BUILD;

/** The project's folder, where package.json, node_modules, public/ and workflows/ are. */
export const ROOT = build?.root ?? resolve(fileURLToPath(import.meta.url), '..', '..');

/**
 * The URL to import a source file (a workflow) by: the file itself under tsx, its compiled twin (x.mjs at the
 * same relative path in the build) when this code is the compiled copy. A file outside the project has no
 * twin; its own URL is returned, and importing it says why it cannot be loaded.
 */
export function moduleUrl(file: string): string {
  const path = resolve(file);
  const inside = relative(ROOT, path);
  if (!build || inside.startsWith('..')) return pathToFileURL(path).href;
  return pathToFileURL(join(build.folder, inside.replace(/\.tsx?$/, '.mjs'))).href;
}
