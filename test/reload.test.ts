// Hot reload: a workflows folder on a real disk watched with node:fs.watch, feeding the real app. A saved file is
// reloaded without a restart; a broken save keeps the last good version serving and reports the file and line;
// a label edit keeps the version (sessions are not held), a structural edit changes it; helpers in lib/ reload.
import assert from 'node:assert/strict';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import test from 'node:test';
import { discoverWorkflows, reasonOf, type Discovered } from '../app/engine/discover.ts';
import { applyReload, watchWorkflows, type ReloadReport } from '../app/engine/workflow-reload.ts';
import { structuralVersion } from '../app/engine/workflow-version.ts';
import { createApp } from '../app/server.ts';
import type { Workflow } from '../app/engine/definition.ts';
import { ROOT, tempDir } from './support/app.ts';
import { textOf } from './support/html.ts';

const DEFINITION = JSON.stringify(join(ROOT, 'app/engine/definition.ts'));

const workflowSource = (opts: { label?: string; extraField?: boolean; helper?: boolean } = {}) => `import { defineWorkflow } from ${DEFINITION};
${opts.helper ? "import { suggestion } from './lib/suggest.ts';" : ''}
export default defineWorkflow({
  id: 'live',
  title: 'Live',
  steps: [
    {
      id: 'one',
      title: 'One',
      fields: [
        { key: 'name', kind: 'text', label: ${JSON.stringify(opts.label ?? 'Name')}, required: true${opts.helper ? ', default: () => suggestion' : ''} },
        ${opts.extraField ? "{ key: 'age', kind: 'number', label: 'Age' }," : ''}
      ],
    },
    { id: 'two', title: 'Two', fields: [{ key: 'done', kind: 'checkbox', label: 'Done' }] },
  ],
});
`;

type Live = { dir: string; served: Discovered; get: (path: string) => Promise<string>; post: (path: string, form: Record<string, string>) => Promise<Response>; reports: ReloadReport[]; next: () => Promise<ReloadReport> };

async function live(t: test.TestContext): Promise<Live> {
  const folder = await tempDir('cardtrail-reload-');
  const data = await tempDir('cardtrail-reload-data-');
  const dir = join(folder.dir, 'workflows');
  await mkdir(join(dir, 'lib'), { recursive: true });
  await writeFile(join(folder.dir, 'package.json'), JSON.stringify({ type: 'module' }));
  await writeFile(join(dir, 'live.ts'), workflowSource());
  await writeFile(join(dir, 'lib/suggest.ts'), "export const suggestion = 'first';\n");
  const served = await discoverWorkflows(dir);
  const ct = await createApp({ dataDir: data.dir, root: ROOT, discovered: served });
  const reports: ReloadReport[] = [];
  const waiting: ((r: ReloadReport) => void)[] = [];
  const reloader = watchWorkflows(dir, served, (r) => {
    reports.push(r);
    waiting.shift()?.(r);
  }, 50);
  t.after(async () => {
    reloader.close();
    ct.close();
    await folder.cleanup();
    await data.cleanup();
  });
  return {
    dir,
    served,
    reports,
    next: () => new Promise((resolve) => waiting.push(resolve)),
    get: async (path) => (await ct.app.request(path)).text(),
    post: async (path, form) => ct.app.request(path, { method: 'POST', body: new URLSearchParams(form), headers: { 'sec-fetch-site': 'same-origin' } }),
  };
}

/** Saves a file and waits for the watcher's report on it. */
async function save(l: Live, name: string, text: string): Promise<ReloadReport> {
  const report = l.next();
  await writeFile(join(l.dir, name), text);
  return report;
}

test('structural version: labels, help and defaults do not count; step ids, field keys and kinds in order do', () => {
  const base: Workflow = { id: 'w', title: 'W', steps: [{ id: 'a', title: 'A', fields: [{ key: 'x', kind: 'text', label: 'X' }] }] };
  const v = structuralVersion(base);
  assert.equal(structuralVersion({ ...base, title: 'Other', steps: [{ id: 'a', title: 'B', description: 'd', fields: [{ key: 'x', kind: 'text', label: 'Y', help: 'h', default: 'z' }] }] }), v);
  assert.notEqual(structuralVersion({ ...base, steps: [{ id: 'a', title: 'A', fields: [{ key: 'x', kind: 'textarea', label: 'X' }] }] }), v);
  assert.notEqual(structuralVersion({ ...base, steps: [{ id: 'b', title: 'A', fields: [{ key: 'x', kind: 'text', label: 'X' }] }] }), v);
  assert.notEqual(structuralVersion({ ...base, steps: [{ id: 'a', title: 'A', fields: [{ key: 'x', kind: 'text', label: 'X' }], run: async () => ({}) }] }), v);
  const group = (keys: string[]): Workflow => ({ ...base, steps: [{ id: 'a', title: 'A', fields: [{ key: 'g', kind: 'group', label: 'G', fields: keys.map((key) => ({ key, kind: 'text' as const, label: key })) }] }] });
  assert.notEqual(structuralVersion(group(['p', 'q'])), structuralVersion(group(['q', 'p'])));
});

test('applyReload keeps the last good version on a bad load, replaces it on a good one, and drops a removed file', () => {
  const wf = (title: string) => ({ id: 'a', title, steps: [], file: 'workflows/a.ts', version: '1' });
  const served: Discovered = { workflows: new Map([['a', wf('First')]]), problems: [] };
  assert.equal(applyReload(served, 'workflows/a.ts', { file: 'workflows/a.ts', problems: ['line 3: oops'] }).outcome, 'kept');
  assert.equal(served.workflows.get('a')!.title, 'First');
  assert.deepEqual(served.problems, [{ file: 'workflows/a.ts', problems: ['line 3: oops', 'the last good version (a) is still serving'] }]);
  assert.equal(applyReload(served, 'workflows/a.ts', wf('Second')).outcome, 'loaded');
  assert.equal(served.workflows.get('a')!.title, 'Second');
  assert.deepEqual(served.problems, []);
  const clash = { ...wf('Clash'), file: 'workflows/b.ts' };
  assert.equal(applyReload(served, 'workflows/b.ts', clash).outcome, 'failed');
  assert.match(String((served as Discovered).problems.map((p) => p.problems).flat()[0]), /already used by workflows\/a.ts/);
  assert.equal(applyReload(served, 'workflows/a.ts', 'removed').outcome, 'removed');
  assert.equal(served.workflows.size, 0);
});

test('load errors name the line: a compiler error and an error thrown while the file runs', () => {
  const compiler = new Error('Transform failed with 1 error:\n/x/workflows/w.ts:7:3: ERROR: Expected "}" but found ")"');
  assert.equal(reasonOf(compiler, 'w.ts'), 'line 7: Expected "}" but found ")"');
  const thrown = new Error('boom');
  thrown.stack = 'Error: boom\n    at <anonymous> (/x/workflows/w.ts?cardtrail=ab-1:12:9)';
  assert.equal(reasonOf(thrown, 'w.ts'), 'line 12: boom');
});

test('a saved label edit is served at once and does not hold an open session', async (t) => {
  const l = await live(t);
  const before = l.served.workflows.get('live')!.version;
  const started = await l.post('/start/live', {});
  const page = started.headers.get('location')!;
  assert.match(await l.get(page), />Name</);
  const report = await save(l, 'live.ts', workflowSource({ label: 'Your full name' }));
  assert.equal(report.outcome, 'loaded');
  assert.equal(l.served.workflows.get('live')!.version, before, 'a label is not structure');
  const html = await l.get(page);
  assert.match(html, />Your full name</);
  assert.ok(!html.includes('version-changed'), 'no "workflow has changed" banner');
  assert.equal((await l.post(`${page}/steps/one`, { name: 'Ada' })).status, 303, 'the session goes on');
});

test('a broken save keeps the last good version serving and shows file and line on the home page; a fix clears it', async (t) => {
  const l = await live(t);
  const broken = await save(l, 'live.ts', workflowSource({ label: 'Broken' }).replace("title: 'Two',", "title: 'Two',,"));
  assert.equal(broken.outcome, 'kept');
  assert.match(broken.problems!.join('\n'), /cannot be loaded: line 15: /);
  assert.equal(l.served.workflows.get('live')!.steps[0].fields[0].label, 'Name', 'the last good version serves');
  const home = textOf(await l.get('/'));
  assert.match(home, /workflows\/live.ts was not loaded: ?cannot be loaded: line 15: Expected identifier but found ",".*the last good version \(live\) is still serving/);
  assert.match(home, /Start Live/);
  const fixed = await save(l, 'live.ts', workflowSource({ label: 'Fixed' }));
  assert.equal(fixed.outcome, 'loaded');
  assert.ok(!textOf(await l.get('/')).includes('was not loaded'));
});

test('a structural edit changes the version and holds sessions; a helper in lib/ reloads; a removed file goes', async (t) => {
  const l = await live(t);
  const before = l.served.workflows.get('live')!.version;
  const page = (await l.post('/start/live', {})).headers.get('location')!;
  await save(l, 'live.ts', workflowSource({ extraField: true }));
  assert.notEqual(l.served.workflows.get('live')!.version, before);
  assert.match(await l.get(page), /version-changed/);
  assert.equal((await l.post(`${page}/steps/one`, { name: 'Ada' })).status, 409);

  await save(l, 'live.ts', workflowSource({ helper: true }));
  const form = await l.get((await l.post('/start/live', {})).headers.get('location')!);
  assert.match(form, /value="first"/);
  const helper = l.next();
  await writeFile(join(l.dir, 'lib/suggest.ts'), "export const suggestion = 'second';\n");
  assert.equal((await helper).outcome, 'loaded');
  assert.match(await l.get((await l.post('/start/live', {})).headers.get('location')!), /value="second"/);
  assert.equal(await readFile(join(l.dir, 'lib/suggest.ts'), 'utf8'), "export const suggestion = 'second';\n");

  const gone = l.next();
  await rm(join(l.dir, 'live.ts'));
  assert.equal((await gone).outcome, 'removed');
  assert.equal(l.served.workflows.has('live'), false);
});
