// The server loads its heavy libraries when a request first needs them, never at start. Observed from outside:
// the real `cardtrail serve` child runs with test/fixtures/module-trail/record.mjs preloaded (node --import, via
// NODE_OPTIONS), which writes down every module file the process loaded; the app has no test-only code for it.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, test, type TestContext } from 'node:test';
import { lazyRequire, once } from '../app/lazy.ts';
import { Client, hello } from './support/client.ts';
import { killAllServers, startServer, type ServerProcess } from './support/server-process.ts';

after(killAllServers);

// As a file URL, which NODE_OPTIONS takes whatever characters the path holds.
const RECORDER = pathToFileURL(join(import.meta.dirname, 'fixtures/module-trail/record.mjs')).href;

/** Loaded only by code outputs, markdown and help, SVG images, uploads and imports, file bundles, or a crawl. */
const HEAVY = ['highlight.js', 'markdown-it', 'sanitize-html', 'htmlparser2', 'graphology', 'graphology-components', 'graphology-metrics', 'tar-stream', 'busboy', 'csv-stringify', 'robots-parser'];

/** `cardtrail serve` on a data folder, recording the modules it loads; `loaded()` stops it and names their packages. */
async function recordedServer(t: TestContext, dataDir: string): Promise<{ server: ServerProcess; loaded: () => Promise<Set<string>> }> {
  const trail = join(dataDir, '..', `modules-${Date.now()}-${Math.random().toString(36).slice(2)}.txt`);
  const saved = { NODE_OPTIONS: process.env.NODE_OPTIONS, CARDTRAIL_MODULE_TRAIL: process.env.CARDTRAIL_MODULE_TRAIL };
  // startServer hands the child this process's environment: set only while the child is spawned.
  process.env.NODE_OPTIONS = `${saved.NODE_OPTIONS ?? ''} --import=${RECORDER}`.trim();
  process.env.CARDTRAIL_MODULE_TRAIL = trail;
  let server: ServerProcess;
  try {
    server = await startServer({ dataDir });
  } finally {
    for (const [key, value] of Object.entries(saved)) value === undefined ? delete process.env[key] : (process.env[key] = value);
  }
  t.after(() => server.stop());
  return {
    server,
    loaded: async () => {
      await server.kill('SIGTERM');
      return packagesIn(await readFile(trail, 'utf8'));
    },
  };
}

/** The npm packages whose files a module trail lists (by their folder under node_modules, nested ones too). */
function packagesIn(trail: string): Set<string> {
  return new Set([...trail.matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)\//g)].map((m) => m[1]));
}

async function get(url: string): Promise<string> {
  const res = await fetch(url);
  assert.equal(res.status, 200, `GET ${url}`);
  return res.text();
}

test('a started server that has shown its home page has loaded none of the heavy libraries', async (t) => {
  const client = await Client.open(t);
  await hello(client, 'Ada');
  client.ct.close();
  const { server, loaded } = await recordedServer(t, client.dir);
  assert.match(await get(`${server.url}/`), /Ada/);
  await get(`${server.url}/?q=ada`);
  await get(`${server.url}/assets/htmx.min.js`);
  const packages = await loaded();
  // The recorder sees both ways in: nanoid is imported as an ES module, better-sqlite3 is CommonJS. (Hono is
  // bundled into the compiled copy, so it is no package of its own there.)
  for (const seen of ['nanoid', 'better-sqlite3']) assert.ok(packages.has(seen), `the trail lists ${seen} (it lists ${[...packages].join(', ')})`);
  assert.deepEqual(HEAVY.filter((name) => packages.has(name)), [], 'no heavy library is loaded at start or by the home page');
});

test('each library loads when a page first needs it, and the page is as before', async (t) => {
  const client = await Client.open(t);
  const helloId = await hello(client, 'Ada');
  const galleryId = await client.start('gallery');
  await client.submit(galleryId, 'describe', { heading: 'Squares', count: '3' });
  client.ct.close();

  // A session page shows its workflow's help, written in markdown.
  const first = await recordedServer(t, client.dir);
  assert.match(await get(`${first.server.url}/s/${helloId}`), /Two steps: your <strong>name<\/strong>/);
  const afterHelp = await first.loaded();
  for (const name of ['markdown-it', 'sanitize-html']) assert.ok(afterHelp.has(name), `${name} is loaded once help is shown`);
  for (const name of ['highlight.js', 'tar-stream']) assert.ok(!afterHelp.has(name), `${name} is not loaded by a page without code or a bundle`);

  // A done card with a code output, highlighted on the server; a bundle of the session's files.
  const second = await recordedServer(t, client.dir);
  assert.match(await get(`${second.server.url}/s/${galleryId}`), /<span class="hljs-keyword">for<\/span>/);
  const tar = await fetch(`${second.server.url}/s/${galleryId}/files.tar`);
  assert.equal(tar.status, 200);
  assert.equal((await tar.arrayBuffer()).byteLength % 512, 0, 'a tar is whole 512-byte blocks');
  const afterCode = await second.loaded();
  for (const name of ['highlight.js', 'tar-stream']) assert.ok(afterCode.has(name), `${name} is loaded once it was used`);
});

test('once makes its value at the first call only; a library that is not installed is named, and tried again', () => {
  let made = 0;
  const value = once(() => ({ made: ++made }));
  assert.equal(made, 0, 'nothing is made before the first call');
  const first = value();
  assert.equal(value(), first);
  assert.equal(made, 1);
  const missing = lazyRequire('cardtrail-no-such-library');
  assert.throws(missing, { message: 'the library cardtrail-no-such-library is not installed (run npm install)' });
  assert.throws(missing, /not installed/);
  assert.equal(typeof lazyRequire<unknown>('busboy')(), 'function');
});
