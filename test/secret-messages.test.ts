// What a secret field says when the secret its form refers to is not in the data folder, in each way that
// happens, through the real app on its disk (a restart is a new app on the same folder): a form sent back and
// sent again after a restart, a reopened step whose secret left the secrets file (said when the page is drawn,
// and when a tab drawn before is sent), a page whose reference was changed, and an import whose step is wrong
// for another reason. Each names what happened and what to do, and only where it applies.
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { Client } from './support/client.ts';
import { controlValue, textOf } from './support/html.ts';
import { ROOT } from './support/app.ts';
import { chained } from './support/forge.ts';
import { startServer } from './support/server-process.ts';
import { helloFolder } from './support/workflow-folder.ts';
import { STAGED_MAX } from '../app/secrets/vault.ts';
import { BASICS, LINKS, throughAccess, TIMES } from './support/kitchen-sink.ts';

const ELSEWHERE = /another machine or file|does not hold it/;

/** Posts the access step's form (multipart, as its page sends it) and gives the answer's status and text. */
async function sendAccess(client: Client, id: string, fields: Record<string, string>, keywords?: File): Promise<{ status: number; text: string; html: string }> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  if (keywords) form.append('keywords', keywords);
  const res = await client.request(`/s/${id}/steps/access`, { method: 'POST', body: form, headers: { 'HX-Request': 'true' } });
  const html = await res.text();
  return { status: res.status, text: textOf(html), html };
}

const goodFile = () => new File(['alpha\n'], 'keywords.txt', { type: 'text/plain' });

async function atAccess(client: Client): Promise<string> {
  const id = await client.start('kitchen-sink');
  for (const [step, form] of [['basics', BASICS], ['times', TIMES], ['links', LINKS]] as const) await client.submit(id, step, form);
  return id;
}

test('a secret on a form sent back, sent again to the server started anew, is asked for again in words that say so', async (t) => {
  const client = await Client.open(t);
  const id = await atAccess(client);
  const back = await sendAccess(client, id, { token: 'tok_live_9c1b2e7f44a0d13f' }, new File(['MZ'], 'k.exe', { type: 'application/x-msdownload' }));
  assert.equal(back.status, 422);
  const ref = controlValue(back.html, 'token:keep') as string;
  assert.match(ref, /^sec_/);

  // The server that sent the form back stops; a real `cardtrail serve` on the same data folder takes the form.
  client.ct.close();
  const server = await startServer({ dataDir: client.dir });
  t.after(() => server.stop());
  const form = new FormData();
  form.append('token:keep', ref);
  form.append('token:shown', '…3f');
  form.append('keywords', goodFile());
  const res = await fetch(`${server.url}/s/${id}/steps/access`, { method: 'POST', body: form, headers: { origin: server.url, 'HX-Request': 'true' } });
  const html = await res.text();
  const again = { status: res.status, text: textOf(html), html };
  assert.equal(again.status, 422);
  assert.match(again.text, /API token must be typed again: the secret this form refers to was never stored \(one typed on a form that was sent back is held only until the server restarts\)\./);
  assert.doesNotMatch(again.text, ELSEWHERE);
  assert.equal(controlValue(again.html, 'token:keep'), undefined, 'the form no longer offers to keep it');
});

test('a secret on a form sent back and let go for many newer ones is asked for again in words that say so', async (t) => {
  const client = await Client.open(t);
  const id = await atAccess(client);
  const back = await sendAccess(client, id, { token: 'tok_live_9c1b2e7f44a0d13f' }, new File(['MZ'], 'k.exe', { type: 'application/x-msdownload' }));
  const ref = controlValue(back.html, 'token:keep') as string;
  // Other forms sent back meanwhile, each with a secret staged (as every such form stages one).
  for (let i = 0; i < STAGED_MAX; i++) client.ct.engine.secrets.stage(`other-secret-${i}`);
  const again = await sendAccess(client, id, { 'token:keep': ref, 'token:shown': '…3f' }, goodFile());
  assert.equal(again.status, 422);
  assert.match(again.text, /API token must be typed again: the secret this form refers to was never stored \(it was typed on a form that was sent back, and let go after many other forms were sent back\)\./);
  assert.doesNotMatch(again.text, /restarts/);
});

test('a reopened step whose secret left the secrets file says so on its page, and so does a tab drawn before', async (t) => {
  const client = await Client.open(t);
  const id = await client.start('kitchen-sink');
  await throughAccess(client, id);
  await client.act(`/s/${id}/steps/access/revert`);
  const tab = await client.page(id);
  assert.match(tab, /Leave empty to keep it/, 'while the secrets file holds it, it is kept');
  const said = /API token must be typed again: this data folder’s secrets file no longer holds it \(it was removed or replaced, or this session was copied from another data folder\)\./;
  assert.doesNotMatch(textOf(tab), said);

  await rm(join(client.dir, 'secrets.json'));
  await client.reopen();
  const page = await client.page(id);
  assert.match(textOf(page), said, 'said when the page is drawn');
  assert.doesNotMatch(page, /Leave empty to keep it/);
  assert.doesNotMatch(textOf(page), ELSEWHERE);

  const stale = await sendAccess(client, id, {
    'token:keep': controlValue(tab, 'token:keep') as string,
    'token:shown': controlValue(tab, 'token:shown') as string,
    'keywords:keep': controlValue(tab, 'keywords:keep') as string,
    'rendered-seq': /name="rendered-seq" value="(\d+)"/.exec(tab)![1],
  });
  assert.equal(stale.status, 422);
  assert.match(stale.text, said, 'said when the tab drawn before is sent');
});

test('a reference the page never gave is refused in words that say the page was changed', async (t) => {
  const client = await Client.open(t);
  const id = await atAccess(client);
  const sent = await sendAccess(client, id, { 'token:keep': '../secrets.json' }, goodFile());
  assert.equal(sent.status, 422);
  assert.match(sent.text, /API token must be typed: the page sent something in its place that is not a secret this app stored \(the page was changed\)\./);
  assert.doesNotMatch(sent.text, ELSEWHERE);
});


test('an import refused for another value of a step with a secret names that value, not the secret', async (t) => {
  const folder = await helloFolder(t);
  await folder.write(`import { defineWorkflow } from ${JSON.stringify(join(ROOT, 'app/engine/definition.ts'))};
export default defineWorkflow({ id: 'vaulted', title: 'Vaulted', steps: [{ id: 'access', title: 'Access', fields: [
  { key: 'token', kind: 'secret', label: 'Token', required: true },
  { key: 'count', kind: 'integer', label: 'Count', required: true, max: 5 },
] }] });
`);
  const client = await Client.open(t, { workflowsDir: folder.dir });
  const file = chained([
    { type: 'session.started', workflow: 'vaulted', version: client.version('vaulted'), forkedFrom: null },
    { type: 'param.set', step: 'access', key: 'token', value: { secret: `sec_${'1'.repeat(32)}`, fingerprint: '' }, source: 'user' },
    { type: 'param.set', step: 'access', key: 'count', value: 9, source: 'user' },
    { type: 'step.completed', step: 'access' },
  ]);
  const res = await client.upload(file, 'vaulted.jsonl');
  assert.equal(res.status, 422);
  const text = textOf(await res.text());
  assert.match(text, /vaulted\.jsonl was not imported: its values do not pass this workflow's checks \(step "Access", count: Count .*5.*\)/);
  assert.doesNotMatch(text, /Token must|typed again|travel in a log/);
});
