// The compiled copy (bin/compiled.js): `cardtrail serve` runs plain JavaScript built from the sources, is rebuilt
// when a source changes, reports a broken workflow with its line, and falls back to the sources when the copy
// cannot be written. Each test works on its own copy of the project, so the repository's own build is untouched.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cp, mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ROOT, tempDir } from './support/app.ts';
import { freePort } from './support/server-process.ts';

const CACHE = join('node_modules', '.cache', 'cardtrail');
const cleanups: Array<() => Promise<void>> = [];
after(() => Promise.all(cleanups.map((c) => c())));

/** A copy of the project's code, with node_modules a folder of links to the real packages (its .cache its own). */
async function projectCopy(): Promise<string> {
  const { dir, cleanup } = await tempDir('cardtrail-compiled-');
  cleanups.push(cleanup);
  for (const part of ['bin', 'app', 'views', 'workflows', 'public', 'tsconfig.json', 'package.json', 'package-lock.json'])
    await cp(join(ROOT, part), join(dir, part), { recursive: true });
  await mkdir(join(dir, 'node_modules'));
  for (const name of await readdir(join(ROOT, 'node_modules'))) {
    if (name !== '.cache') await symlink(join(ROOT, 'node_modules', name), join(dir, 'node_modules', name));
  }
  return dir;
}

type Run = { home: string; stderr: string };

/** `cardtrail serve` from the copy: its home page once it is serving, and what it printed to stderr. */
async function serveOnce(project: string): Promise<Run> {
  const port = await freePort();
  const data = join(project, 'data');
  const child = spawn(process.execPath, [join(project, 'bin', 'cardtrail.js'), 'serve', '--port', String(port), '--data', data, '--no-open'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  try {
    await new Promise<void>((ok, fail) => {
      const timer = setTimeout(() => fail(new Error(`not serving after 30 s:\n${stdout}\n${stderr}`)), 30_000);
      child.stdout.on('data', () => stdout.includes('Cardtrail is serving') && (clearTimeout(timer), ok()));
      child.once('exit', (code) => (clearTimeout(timer), fail(new Error(`exited ${code}:\n${stdout}\n${stderr}`))));
    });
    const home = await (await fetch(`http://127.0.0.1:${port}/`)).text();
    return { home, stderr };
  } finally {
    child.kill('SIGKILL');
  }
}

const builds = async (project: string) => (await readdir(join(project, CACHE))).filter((n) => n.startsWith('b-'));

test('serve runs the compiled copy, builds it once, and builds again when a source changes', async () => {
  const project = await projectCopy();
  const first = await serveOnce(project);
  assert.match(first.home, /Plan a trip/);
  const [build] = await builds(project);
  assert.ok(build, 'the first start made a build');
  const main = await readFile(join(project, CACHE, build, 'app', 'main.mjs'), 'utf8');
  assert.doesNotMatch(main, /from\s+["'][^"']+\.tsx?["']/, 'the compiled copy imports no TypeScript');

  await serveOnce(project);
  assert.deepEqual(await builds(project), [build], 'an unchanged project is not built again');

  const trip = join(project, 'workflows', 'trip.ts');
  await writeFile(trip, (await readFile(trip, 'utf8')).replace("title: 'Plan a trip'", "title: 'Plan a journey'"));
  const edited = await serveOnce(project);
  assert.match(edited.home, /Plan a journey/, 'the edited workflow is served, not the stale build');
  assert.doesNotMatch(edited.home, /Plan a trip/);
  assert.equal((await builds(project)).length, 2, 'the edit made a new build beside the old one');

  // An install that changes the lock file (a new esbuild or Hono, which the build bundles) makes a new build too.
  const lock = join(project, 'package-lock.json');
  await writeFile(lock, `${await readFile(lock, 'utf8')}\n`);
  await serveOnce(project);
  assert.equal((await builds(project)).length, 3, 'a changed lock file made a new build');
});

test('a workflow that does not compile or throws is reported with its line; the others are served', async () => {
  const project = await projectCopy();
  const header = "import { defineWorkflow } from '../app/engine/definition.ts';\n";
  await writeFile(join(project, 'workflows', 'broken.ts'), `${header}export default defineWorkflow({ id: 'broken', title: 'B', steps: [ ) });\n`);
  await writeFile(join(project, 'workflows', 'thrower.ts'), `${header}const none: any = undefined;\nconst boom = none.boom;\nexport default defineWorkflow({ id: 'thrower', title: 'T', steps: [] });\n`);
  const { home } = await serveOnce(project);
  assert.match(home, /Plan a trip/);
  assert.match(home, /workflows\/broken\.ts was not loaded:.*cannot be loaded: line 2: /s);
  assert.match(home, /workflows\/thrower\.ts was not loaded:.*cannot be loaded: line 3: Cannot read properties of undefined/s, 'the source map gives the .ts line');
});

test('when the compiled copy cannot be written, the sources run instead, after a line saying why', async () => {
  const project = await projectCopy();
  await mkdir(join(project, 'node_modules', '.cache'), { recursive: true });
  await writeFile(join(project, CACHE), 'a file where the folder should be');
  const { home, stderr } = await serveOnce(project);
  assert.match(home, /Plan a trip/);
  assert.match(stderr, /could not write its compiled copy in .*node_modules\/\.cache\/cardtrail \(ENOTDIR\); running the sources instead/);
});
