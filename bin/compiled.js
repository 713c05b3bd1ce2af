// The compiled copy of the project's TypeScript, so the served path starts on plain Node with no TypeScript
// loader in the process (tsx costs about 0.2 s and 35 MB before the app's first line runs). esbuild bundles
// app/main.ts and each workflow in workflows/ as entry points, with shared code split into chunks (so a workflow
// and the server share one copy of app/engine/definition.ts), npm packages left as imports (but Hono, bundled
// in), and inline source maps so stack traces name the .ts files. The output goes to node_modules/.cache/cardtrail/<build>/ with the
// sources' layout (app/main.mjs, workflows/<name>.mjs). The project folder and the build's folder are written into
// the build as CARDTRAIL_BUILD, which app/code-root.ts reads (a moved project folder is a new build).
//
// A build is named by a hash of every source file's size and modification time (and of this file, the tsconfig
// and package-lock.json, which pins esbuild and the bundled Hono), so each start stats the sources and builds
// again only when that build is not there yet (esbuild is loaded only then): an edited file never runs stale.
// A build is made in a temporary folder and renamed into place, so two starts at once never read half a build.
// A workflow that does not compile becomes a module that throws the compiler's "file:line:col: ERROR: …" message
// when imported, so discovery reports it like any other broken workflow and the others are served.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

export const CACHE = join('node_modules', '.cache', 'cardtrail');
const FOLDERS = ['app', 'views', 'workflows'];
const SOURCE = /\.tsx?$/;
// A server started earlier may still import from its own build for a while; a temporary folder that old is a
// build that was cut short.
const KEEP_MS = { build: 24 * 3600 * 1000, temp: 600 * 1000 };

/** Every .ts/.tsx file under the folders, relative to root, with its size and mtime: [file, "size:mtime"]. */
function sources(root) {
  const found = [];
  const walk = (dir) => {
    let entries;
    try {
      entries = readdirSync(join(root, dir), { withFileTypes: true });
    } catch {
      return; // a folder that is not there has nothing to compile
    }
    for (const e of entries) {
      const file = join(dir, e.name);
      if (e.isDirectory()) walk(file);
      else if (e.isFile() && SOURCE.test(e.name) && !e.name.endsWith('.d.ts')) {
        const s = statSync(join(root, file));
        found.push([file, `${s.size}:${s.mtimeMs}`]);
      }
    }
  };
  for (const folder of FOLDERS) walk(folder);
  return found;
}

/**
 * The build's name: a hash of every source's stamp, this file, the tsconfig and the lock file (an `npm install`
 * that changes esbuild or the bundled Hono makes a new build).
 */
function buildName(root, stamps) {
  const hash = createHash('sha256');
  hash.update(root);
  hash.update(readFileSync(new URL(import.meta.url)));
  hash.update(readFileSync(join(root, 'tsconfig.json')));
  hash.update(existsSync(join(root, 'package-lock.json')) ? readFileSync(join(root, 'package-lock.json')) : '');
  hash.update(JSON.stringify(stamps));
  return `b-${hash.digest('hex').slice(0, 16)}`;
}

function writeAtomically(file, text) {
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, text);
  renameSync(temp, file);
}

/** The workflow files discovery loads: workflows/*.ts (sub-folders such as lib/ are helpers). */
const workflowEntries = (stamps) => stamps.map(([f]) => f).filter((f) => dirname(f) === 'workflows');

/**
 * npm packages stay imports, but Hono and its Node server are bundled in: they are the server's own framework,
 * some 50 small modules, of which the build keeps only what it uses.
 */
const BUNDLED = /^(hono|@hono\/node-server)(\/|$)/;
const packagesOutside = {
  name: 'packages-outside',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => (BUNDLED.test(args.path) ? undefined : { path: args.path, external: true }));
  },
};

const options = (root, entryPoints, outdir, build) => ({
  entryPoints: entryPoints.map((f) => join(root, f)),
  outdir,
  outbase: root,
  entryNames: '[dir]/[name]',
  chunkNames: 'chunks/[name]-[hash]',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  splitting: true,
  plugins: [packagesOutside],
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'inline',
  sourcesContent: false, // the maps name the .ts files and lines; the sources stay on disk, not in memory
  tsconfig: join(root, 'tsconfig.json'),
  logLevel: 'silent',
  define: { CARDTRAIL_BUILD: JSON.stringify({ root, folder: join(root, CACHE, build) }) },
});

const failure = (err) =>
  `Transform failed:\n${(err.errors ?? []).map((e) => `${e.location?.file ?? '?'}:${e.location?.line ?? 0}:${e.location?.column ?? 0}: ERROR: ${e.text}`).join('\n') || String(err.message ?? err)}`;

/**
 * Builds into `outdir`. When the whole does not compile, the app is built alone (its failure is thrown: the
 * sources then run and show it) and each workflow with it, to find the ones that fail; those become throwing stubs.
 */
async function buildInto(esbuild, root, workflows, outdir, build) {
  try {
    await esbuild.build(options(root, ['app/main.ts', ...workflows], outdir, build));
    return;
  } catch {
    // found below, one workflow at a time
  }
  await esbuild.build({ ...options(root, ['app/main.ts'], outdir, build), write: false });
  const broken = new Map();
  for (const w of workflows)
    await esbuild.build({ ...options(root, ['app/main.ts', w], outdir, build), write: false }).catch((err) => broken.set(w, failure(err)));
  await esbuild.build(options(root, ['app/main.ts', ...workflows.filter((w) => !broken.has(w))], outdir, build));
  for (const [w, message] of broken) writeAtomically(join(outdir, w.replace(SOURCE, '.mjs')), `throw new Error(${JSON.stringify(message)});\n`);
}

/** Removes other builds once they are a day old, and temporary folders left by a build cut short. */
function removeOldBuilds(cache, keep) {
  for (const name of readdirSync(cache)) {
    const path = join(cache, name);
    const age = Date.now() - statSync(path).mtimeMs;
    if (name !== keep && age > (name.startsWith('tmp-') ? KEEP_MS.temp : KEEP_MS.build)) rmSync(path, { recursive: true, force: true });
  }
}

/**
 * Brings the compiled copy up to date and returns its app/main.mjs. Throws when the copy cannot be written (a
 * read-only project folder, a full disk) or the app does not compile; the caller then runs the sources instead.
 */
export async function compiledMain(root) {
  const cache = join(root, CACHE);
  const stamps = sources(root);
  const build = buildName(root, stamps);
  const main = join(cache, build, 'app', 'main.mjs');
  if (existsSync(main)) return main;
  const temp = join(cache, `tmp-${process.pid}-${Date.now()}`);
  mkdirSync(temp, { recursive: true }); // fails here, with its code, when the folder cannot be made
  const esbuild = await import('esbuild');
  try {
    await buildInto(esbuild, root, workflowEntries(stamps), temp, build);
  } finally {
    await esbuild.stop();
  }
  try {
    renameSync(temp, join(cache, build));
  } catch (err) {
    if (err.code !== 'ENOTEMPTY' && err.code !== 'EEXIST') throw err;
    rmSync(temp, { recursive: true, force: true }); // another start made the same build first
  }
  removeOldBuilds(cache, build);
  return main;
}

/** For messages: where the compiled copy lives, relative to the working folder when it is inside it. */
export function shownCache(root) {
  const shown = relative(process.cwd(), join(root, CACHE));
  return shown.startsWith('..') ? join(root, CACHE) : shown;
}
