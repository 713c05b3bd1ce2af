// `cardtrail new` and `cardtrail check` as child processes: new writes a workflow from a template that check then
// passes; bad ids and existing files are refused; check names each broken file with its problem and line.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import test from 'node:test';
import { fillTemplate, titleOf } from '../app/cli/new.ts';
import { ROOT, tempDir } from './support/app.ts';

type Run = { code: number | null; out: string; err: string };

function cardtrail(args: string[]): Promise<Run> {
  const env = { ...process.env };
  delete env.NODE_TEST_CONTEXT;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/cardtrail.js'), ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

test('titles and templates: the id and title are written as string literals', () => {
  assert.equal(titleOf('weekly-report'), 'Weekly report');
  const filled = fillTemplate("id: '__ID__',\ntitle: '__TITLE__',", 'a-b', 'It\'s "quoted"');
  assert.equal(filled, `id: 'a-b',\ntitle: "It's \\"quoted\\"",`);
});

test('cardtrail new --job writes a workflow that cardtrail check passes; it refuses existing and invalid ids', async (t) => {
  const id = `t-new-${process.pid}`;
  const file = join(ROOT, 'workflows', `${id}.ts`);
  t.after(() => rm(file, { force: true }));
  const made = await cardtrail(['new', id, '--job', '--title', 'Row maker']);
  assert.equal(made.code, 0, made.err);
  assert.match(made.out, new RegExp(`Wrote .*workflows/${id}\\.ts`));
  assert.match(made.out, /Open http:\/\/127\.0\.0\.1:5001\/ and start "Row maker"/);
  const source = await readFile(file, 'utf8');
  assert.match(source, new RegExp(`id: '${id}'`));
  assert.match(source, /title: "Row maker"/);
  const checked = await cardtrail(['check']);
  assert.equal(checked.code, 0, checked.out + checked.err);
  assert.match(checked.out, new RegExp(`ok  workflows/${id}\\.ts  \\(${id}, 2 steps\\)`));

  const again = await cardtrail(['new', id]);
  assert.equal(again.code, 1);
  assert.match(again.err, new RegExp(`workflows/${id}\\.ts exists already`));
  assert.equal(await readFile(file, 'utf8'), source, 'nothing was overwritten');
  for (const bad of ['Bad', 'no_underscores', 'a b', 'x'.repeat(65), 'constructor']) {
    const r = await cardtrail(['new', bad]);
    assert.equal(r.code, 1, bad);
    assert.match(r.err, /is not a valid workflow id/);
  }
  assert.equal((await cardtrail(['new'])).code, 2);
});

test('cardtrail new without --job writes the two-step template, which check passes', async (t) => {
  const id = `t-form-${process.pid}`;
  const file = join(ROOT, 'workflows', `${id}.ts`);
  t.after(() => rm(file, { force: true }));
  assert.equal((await cardtrail(['new', id])).code, 0);
  assert.match(await readFile(file, 'utf8'), /title: "T form \d+"/);
  const checked = await cardtrail(['check']);
  assert.equal(checked.code, 0, checked.out);
  assert.match(checked.out, new RegExp(`ok  workflows/${id}\\.ts  \\(${id}, 2 steps\\)`));
});

test('cardtrail check names each broken file and its problem, with the line where there is one, and exits 1', async (t) => {
  const { dir, cleanup } = await tempDir('cardtrail-check-');
  t.after(cleanup);
  const folder = join(dir, 'flows');
  await mkdir(folder);
  await writeFile(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
  await writeFile(join(folder, 'syntax.ts'), "export default {\n  id: 'x',,\n};\n");
  await writeFile(join(folder, 'throws.ts'), "const a = 1;\nthrow new Error('boom while loading');\n");
  await writeFile(join(folder, 'shape.ts'), "export default { id: 'Bad', title: 'T', steps: [{ id: 's', title: 'S', fields: [], show: 'no' }] };\n");
  const r = await cardtrail(['check', folder]);
  assert.equal(r.code, 1);
  assert.match(r.out, /bad flows\/shape\.ts\n {4}- id "Bad" must be lowercase letters, digits and dashes\n {4}- step 1 \(s\): show must be a function/);
  assert.match(r.out, /bad flows\/syntax\.ts\n {4}- cannot be loaded: line 2: Expected identifier but found ","/);
  assert.match(r.out, /bad flows\/throws\.ts\n {4}- cannot be loaded: line 2: boom while loading/);
});
