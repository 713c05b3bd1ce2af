// A reworded workflow reaches the home page's rows at the next start (and at a reload in `npm run dev`),
// without waiting for each session to change; a start where nothing was reworded reads no log.
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { rewordedWorkflows, wordingOf } from '../app/catalog/wording.ts';
import type { LoadedWorkflow } from '../app/engine/discover.ts';
import helloWorkflow from '../workflows/hello.ts';
import { Client, hello } from './support/client.ts';
import { helloFolder } from './support/workflow-folder.ts';

const loaded = (w: object): LoadedWorkflow => ({ ...helloWorkflow, file: 'hello.ts', version: 'v1', ...w }) as LoadedWorkflow;

test('the wording stamp follows titles and labels, not where the file is or the text of its functions', () => {
  const base = loaded({});
  const stamp = wordingOf(base);
  assert.equal(wordingOf(loaded({ file: 'elsewhere/hello.ts' })), stamp, 'the file it came from');
  const steps = helloWorkflow.steps.map((s, i) => (i === 1 ? { ...s, fields: s.fields.map((f) => ({ ...f, default: () => 'other code' })) } : s));
  assert.equal(wordingOf(loaded({ steps })), stamp, 'a function rewritten');
  assert.notEqual(wordingOf(loaded({ title: 'Hi' })), stamp, 'the workflow title');
  const relabelled = helloWorkflow.steps.map((s, i) => (i === 0 ? { ...s, fields: s.fields.map((f) => ({ ...f, label: 'Full name' })) } : s));
  assert.notEqual(wordingOf(loaded({ steps: relabelled })), stamp, 'a field label');
  assert.notEqual(wordingOf(loaded({ steps: helloWorkflow.steps.map((s) => ({ ...s, title: `${s.title}!` })) })), stamp, 'step titles');

  const installed = new Map([['hello', base]]);
  const plan = (recorded: [string, string][]) => {
    const { changed, gone } = rewordedWorkflows(installed, new Map(recorded));
    return { changed: [...changed], gone };
  };
  assert.deepEqual(plan([['hello', stamp]]), { changed: [], gone: [] }, 'the same stamp: nothing to redraw');
  assert.deepEqual(plan([]), { changed: [['hello', stamp]], gone: [] }, 'no stamp yet: its rows are redrawn');
  assert.deepEqual(plan([['hello', 'old']]), { changed: [['hello', stamp]], gone: [] }, 'another stamp');
  assert.deepEqual(plan([['hello', stamp], ['trip', 'x']]), { changed: [], gone: ['trip'] }, 'a workflow not installed loses its stamp');

  // Whatever a definition holds, stamping it never throws.
  const odd: Record<string, unknown> = { limit: 10n };
  odd.self = odd;
  assert.match(wordingOf(loaded({ meta: odd })), /^[0-9a-f]{16}$/);
  assert.notEqual(wordingOf(loaded({ meta: { limit: 10n } })), wordingOf(loaded({ meta: { limit: 11n } })));
});

test('a workflow that was missing while its sessions changed has their rows drawn again when it is back', async (t) => {
  const folder = await helloFolder(t);
  const client = await Client.open(t, { workflowsDir: folder.dir });
  const id = await hello(client, 'Ada');
  const row = async () => /<tr data-session="[^"]+">.*?<\/tr>/s.exec(await client.html('/'))?.[0] ?? 'no row';
  assert.match(await row(), /Hello — Ada/);
  await client.reopen({ beforeOpen: () => rm(join(folder.dir, 'hello.ts')) });
  // Archived and back while its workflow is gone: the row is drawn without it (no title, no current step).
  for (const path of [`/s/${id}/archive`, `/s/${id}/unarchive`]) assert.equal((await client.request(path, { method: 'POST' })).status, 303);
  assert.doesNotMatch(await row(), /Hello — Ada/);
  await client.reopen({ beforeOpen: () => folder.write(folder.original) });
  assert.match(await row(), /Hello — Ada/, 'the same definition back: its rows are drawn with it again');
  assert.match(await row(), /Greeting/);
});

test('relabelling a workflow redraws its sessions in the list at the next start', async (t) => {
  const folder = await helloFolder(t);
  const client = await Client.open(t, { workflowsDir: folder.dir });
  const id = await hello(client, 'Ada');
  const row = async () => /<tr data-session="[^"]+">.*?<\/tr>/s.exec(await client.html('/'))?.[0] ?? 'no row';
  assert.match(await row(), /Name: Ada/);
  assert.match(await row(), /Greeting/, 'the current step by its title');

  const entries = (await client.events(id)).length;
  const reworded = folder.original.replace("label: 'Name'", "label: 'Full name'").replace("title: 'Greeting'", "title: 'Salutation'");
  assert.notEqual(reworded, folder.original);
  await client.reopen({ beforeOpen: () => folder.write(reworded) });
  assert.match(await row(), /Full name: Ada/, 'the preview uses the new label');
  assert.match(await row(), /Salutation/, 'the current step its new title');
  assert.doesNotMatch(await row(), /Greeting/);
  assert.equal((await client.events(id)).length, entries, 'nothing was written to the log');

  // A start with nothing reworded leaves the rows alone: a row changed behind the app's back stays as it is.
  client.ct.engine.catalog.db.prepare("UPDATE sessions SET preview = 'planted' WHERE id = ?").run(id);
  await client.reopen();
  assert.match(await row(), /planted/, 'no wording changed, so no row was drawn again');
});
