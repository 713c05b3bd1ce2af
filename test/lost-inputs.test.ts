// A job step whose inputs from earlier steps are gone (the secrets file no longer holds the secret, an upload
// was removed by hand) is not started with nothing in their place: its form says which value of which step to
// give again, and the log gets no line. Through the real app on its disk; lostInputs itself tested pure.
import assert from 'node:assert/strict';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { lostInputs, lostInputsMessage } from '../app/fields/step.ts';
import type { Step } from '../app/engine/definition.ts';
import { Client } from './support/client.ts';
import { textOf } from './support/html.ts';
import { throughAccess } from './support/kitchen-sink.ts';

async function runCheck(client: Client, id: string): Promise<{ status: number; text: string }> {
  const res = await client.request(`/s/${id}/steps/check`, { method: 'POST', body: new FormData(), headers: { 'HX-Request': 'true' } });
  return { status: res.status, text: textOf(await res.text()) };
}

test('a job step whose secret left the secrets file is not run, and its form says which step to give it again in', async (t) => {
  const client = await Client.open(t);
  const id = await client.start('kitchen-sink');
  await throughAccess(client, id);
  await rm(join(client.dir, 'secrets.json'));
  await client.reopen();
  const before = (await client.events(id)).length;
  const sent = await runCheck(client, id);
  assert.equal(sent.status, 422);
  assert.match(sent.text, /This step's job needs "API token" \(step "Access"\), which this data folder no longer holds .* Go back to that step and give it again; nothing was run\./);
  assert.equal((await client.events(id)).length, before, 'nothing written');
  assert.ok(!(await client.events(id)).some((e) => e.type === 'job.started'));
});

test('a job step whose uploaded file was removed by hand is not run either, and names the file field', async (t) => {
  const client = await Client.open(t);
  const id = await client.start('kitchen-sink');
  await throughAccess(client, id);
  const uploads = join(client.dir, 'sessions', id, 'uploads');
  for (const name of await readdir(uploads)) await rm(join(uploads, name));
  const sent = await runCheck(client, id);
  assert.equal(sent.status, 422);
  assert.match(sent.text, /needs "Keyword list" \(step "Access"\)/);
  assert.doesNotMatch(sent.text, /"API token"/, 'the secret is still held');
  assert.ok(!(await client.events(id)).some((e) => e.type === 'job.started'));
});

test('with its inputs in place the same job runs', async (t) => {
  const client = await Client.open(t);
  const id = await client.start('kitchen-sink');
  await throughAccess(client, id);
  const res = await client.request(`/s/${id}/steps/check`, { method: 'POST', body: new FormData() });
  assert.equal(res.status, 303);
  assert.ok((await client.events(id)).some((e) => e.type === 'job.started'));
});

test('lostInputs walks groups and lists by their kinds, and names each field once', () => {
  const steps = [
    {
      title: 'Keys',
      fields: [
        { key: 'team', kind: 'group', label: 'Team', fields: [{ key: 'token', kind: 'secret', label: 'Token' }] },
        { key: 'rows', kind: 'list', label: 'Rows', fields: [{ key: 'file', kind: 'file', label: 'File' }] },
        { key: 'plain', kind: 'text', label: 'Plain' },
      ],
    },
  ] as unknown as Pick<Step, 'title' | 'fields'>[];
  const ref = (n: string) => ({ secret: `sec_${n.repeat(32)}`, fingerprint: '…ab' });
  const file = (sha: string) => ({ name: 'a.txt', size: 1, type: 'text/plain', sha256: sha.repeat(64) });
  const values = { team: { token: ref('1') }, rows: [{ file: file('a') }, { file: file('b') }], plain: 'x' };
  const held = new Set([ref('1').secret]);
  const present = new Set([`/up/${'a'.repeat(64)}`]);
  const reach = { reveal: (r: string) => (held.has(r) ? 'text' : undefined), uploadPath: (sha: string) => `/up/${sha}` };
  assert.deepEqual(lostInputs(steps, values, reach, (p) => present.has(p)), [{ step: 'Keys', label: 'Rows' }]);
  held.clear();
  assert.deepEqual(lostInputs(steps, values, reach, (p) => present.has(p)), [
    { step: 'Keys', label: 'Team' },
    { step: 'Keys', label: 'Rows' },
  ]);
  assert.deepEqual(lostInputs(steps, values, reach, () => true), [{ step: 'Keys', label: 'Team' }]);
  assert.match(lostInputsMessage([{ step: 'A', label: 'X' }, { step: 'B', label: 'Y' }]), /needs "X" \(step "A"\), "Y" \(step "B"\), .*lost them\)\. Go back to those steps and give them again/);
});
