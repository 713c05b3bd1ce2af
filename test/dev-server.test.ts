// `cardtrail dev` (npm run dev) as a real child process: a workflow file saved into workflows/ is served without
// a restart, a broken save is reported in the terminal with its file and line while the last good version
// keeps serving, and a removed file leaves the home page.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import test from 'node:test';
import { fillTemplate } from '../app/cli/new.ts';
import { ROOT, tempDir } from './support/app.ts';
import { freePort } from './support/server-process.ts';

test('cardtrail dev reloads a saved workflow, keeps the last good one on a broken save, and drops a removed one', async (t) => {
  const id = `t-dev-${process.pid}`;
  const file = join(ROOT, 'workflows', `${id}.ts`);
  const { dir, cleanup } = await tempDir('cardtrail-dev-');
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, CARDTRAIL_NO_OPEN: '1' };
  delete env.NODE_TEST_CONTEXT;
  const child = spawn(process.execPath, [join(ROOT, 'bin/cardtrail.js'), 'dev', '--port', String(port), '--data', dir, '--no-open'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
  t.after(async () => {
    child.kill('SIGKILL');
    await rm(file, { force: true });
    await cleanup();
  });
  const waitFor = async (text: string | RegExp, from = 0) => {
    for (let i = 0; i < 200; i++) {
      const seen = out.slice(from);
      if (typeof text === 'string' ? seen.includes(text) : text.test(seen)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.fail(`waited for ${text}; the server printed:\n${out}`);
  };
  const home = async () => (await fetch(`http://127.0.0.1:${port}/`)).text();
  await waitFor('Cardtrail is serving');
  assert.match(out, /Watching workflows\/ for changes/);

  const template = await readFile(join(ROOT, 'app/cli/templates/form.ts.txt'), 'utf8');
  let mark = out.length;
  await writeFile(file, fillTemplate(template, id, 'Dev one'));
  await waitFor(`workflows/${id}.ts reloaded`, mark);
  assert.match(await home(), /Start Dev one/);
  const origin = `http://127.0.0.1:${port}`;
  const started = await fetch(`${origin}/start/${id}`, { method: 'POST', headers: { origin }, redirect: 'manual' });
  assert.equal(started.status, 303);
  const row = async () => /<tr data-session="[^"]+">.*?<\/tr>/s.exec(await home())?.[0] ?? 'no row';
  assert.match(await row(), /title="Resume this session"[^>]*>Dev one</);
  mark = out.length;
  await writeFile(file, fillTemplate(template, id, 'Dev retitled'));
  await waitFor(`workflows/${id}.ts reloaded`, mark);
  for (let i = 0; i < 100 && !/Dev retitled/.test(await row()); i++) await new Promise((r) => setTimeout(r, 50));
  assert.match(await row(), /title="Resume this session"[^>]*>Dev retitled</, 'the session in the list is drawn again under the new title');

  mark = out.length;
  await writeFile(file, fillTemplate(template, id, 'Dev two').replace("id: 'ask',", "id: 'ask',,"));
  await waitFor(/NOT reloaded:\n\s+- cannot be loaded: line \d+: /, mark);
  const page = await home();
  assert.match(page, /Start Dev retitled/, 'the last good version still serves');
  assert.match(page, new RegExp(`workflows/${id}.ts was not loaded`));

  mark = out.length;
  await rm(file);
  await waitFor(`workflows/${id}.ts removed`, mark);
  assert.doesNotMatch(await home(), /Start Dev (one|retitled)/);
});
