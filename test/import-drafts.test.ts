// An export and its import keep a reopened step's pre-filled values (its drafts), through the real app on its
// disk, exported both by the session's download link and by `cardtrail export` run as a child process; what
// cannot come across (a secret, a file) is named in the import's note.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT } from './support/app.ts';
import { Client, sessionOf } from './support/client.ts';
import { controlValue, openStep, textOf } from './support/html.ts';
import { chained } from './support/forge.ts';
import { BASICS, LINKS, throughAccess, TIMES } from './support/kitchen-sink.ts';

/** `cardtrail export <id> --out <file>` on the client's data folder; the bytes it wrote. */
async function cliExport(client: Client, id: string): Promise<Buffer> {
  // Outside the data folder: export never writes into it.
  const folder = await mkdtemp(join(tmpdir(), 'cardtrail-export-'));
  const out = join(folder, `${id}.jsonl`);
  const env = { ...process.env };
  delete env.NODE_TEST_CONTEXT;
  const code = await new Promise<number | null>((ok, fail) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'cardtrail.js'), 'export', id, '--data', client.dir, '--out', out], { env, stdio: 'ignore' });
    child.on('error', fail);
    child.on('close', ok);
  });
  assert.equal(code, 0, 'cardtrail export');
  try {
    return await readFile(out);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/** The session's log as its page's download link gives it. */
async function downloaded(client: Client, id: string): Promise<Buffer> {
  const res = await client.get(`/s/${id}/log.jsonl`);
  assert.equal(res.status, 200);
  return Buffer.from(await res.arrayBuffer());
}

const positionIn = (html: string) => /name="rendered-seq" value="(\d+)"/.exec(html)![1];

test('a reopened step is pre-filled the same after an export and an import, by the download link or the command line', async (t) => {
  const client = await Client.open(t);
  const id = await client.start('hello');
  await client.submit(id, 'name', { name: 'Ada' });
  await client.submit(id, 'greeting', { greeting: 'Good morning, Ada' });
  await client.act(`/s/${id}/steps/name/revert`, { 'rendered-seq': positionIn(await client.page(id)) });
  assert.equal(controlValue(await client.page(id), 'name'), 'Ada', 'the reopened step is pre-filled before the export');

  for (const [how, bytes] of [['download', await downloaded(client, id)], ['cli', await cliExport(client, id)]] as const) {
    const copy = sessionOf(await client.upload(bytes, `${how}.jsonl`));
    const page = await client.page(copy);
    assert.equal(openStep(page), 'name', how);
    assert.equal(controlValue(page, 'name'), 'Ada', `${how}: the reopened step keeps its value`);
    assert.equal((await client.events(copy))[0].meta, undefined, `${how}: nothing was left out, so the import has no note`);
    await client.submit(copy, 'name', { name: 'Ada' });
    assert.equal(controlValue(await client.page(copy), 'greeting'), 'Good morning, Ada', `${how}: the greeting typed before comes back, not the suggestion`);
  }
});

test('a reopened step’s secret and file are not carried by an import, and its note names them; its other values are', async (t) => {
  const client = await Client.open(t);
  const id = await client.start('kitchen-sink');
  await throughAccess(client, id);
  await client.act(`/s/${id}/steps/basics/revert`, { 'rendered-seq': positionIn(await client.page(id)) });

  const copy = sessionOf(await client.upload(await cliExport(client, id), 'kitchen.jsonl'));
  const changes = ((await client.events(copy))[0].meta?.import ?? []) as string[];
  assert.deepEqual(changes, ['Asked for again, since secrets and files do not travel in a log: "API token" and "Keyword list" (step "Access").']);
  assert.match(textOf(await client.html(`/s/${copy}/history`)), /which changed this:\s*Asked for again, since secrets and files do not travel in a log: "API token" and "Keyword list" \(step "Access"\)\./);

  let page = await client.page(copy);
  assert.equal(openStep(page), 'basics');
  assert.deepEqual([controlValue(page, 'name'), controlValue(page, 'budget'), controlValue(page, 'pace')], ['Ada', '12.5', 'fast']);
  await client.submit(copy, 'basics', BASICS);
  await client.submit(copy, 'times', TIMES);
  page = await client.page(copy);
  assert.equal(controlValue(page, 'code'), 'ADA-123', 'a later reopened step is pre-filled too');
  await client.submit(copy, 'links', LINKS);
  page = await client.page(copy);
  assert.equal(openStep(page), 'access');
  assert.equal(controlValue(page, 'token:keep'), undefined, 'the secret is asked for, not kept from the other session');
  assert.doesNotMatch(page, /Leave empty to keep it/);
});

test('a reopened step’s value that no longer passes is not pre-filled, and the import’s note says so', async (t) => {
  const client = await Client.open(t);
  const file = chained([
    { type: 'session.started', workflow: 'hello', version: client.version('hello'), forkedFrom: null },
    { type: 'param.set', step: 'name', key: 'name', value: 'x'.repeat(101), source: 'user' },
    { type: 'step.completed', step: 'name' },
    { type: 'step.reverted', step: 'name' },
  ]);
  const copy = sessionOf(await client.upload(file, 'long-name.jsonl'));
  const changes = ((await client.events(copy))[0].meta?.import ?? []) as string[];
  assert.equal(changes.length, 1, changes.join('\n'));
  assert.match(changes[0], /^Your name · name: not pre-filled, since it no longer passes \(.+\)$/);
  assert.equal(controlValue(await client.page(copy), 'name'), '');
});
