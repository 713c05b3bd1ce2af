// A session's uploads on the real disk, through the real app: a symbolic link at an upload or at the uploads
// folder is never followed (a job is not started on it, a form is not stored through it, a fork does not copy
// it).
import assert from 'node:assert/strict';
import { lstat, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { Client, sessionOf } from './support/client.ts';
import { textOf } from './support/html.ts';
import { accessForm, throughAccess, throughLinks } from './support/kitchen-sink.ts';
import { tempDir } from './support/app.ts';

/** A folder outside the data folder, holding one file a link may point to. */
async function outside(t: TestContext): Promise<{ dir: string; file: string }> {
  const { dir, cleanup } = await tempDir('cardtrail-outside-');
  t.after(cleanup);
  const file = join(dir, 'private.txt');
  await writeFile(file, 'not for the job\n');
  return { dir, file };
}

/** Replaces the session's one upload by a link to `target`. */
async function linkUpload(client: Client, id: string, target: string): Promise<string> {
  const uploads = join(client.dir, 'sessions', id, 'uploads');
  const [sha] = (await readdir(uploads)).filter((n) => /^[0-9a-f]{64}$/.test(n));
  await rm(join(uploads, sha));
  await symlink(target, join(uploads, sha));
  return sha;
}

test('a job step whose earlier upload was replaced by a link is refused, the link named, and no job started', async (t) => {
  const client = await Client.open(t);
  const { file } = await outside(t);
  const id = await client.start('kitchen-sink');
  await throughAccess(client, id);
  const sha = await linkUpload(client, id, file);
  const before = (await client.events(id)).length;
  const res = await client.request(`/s/${id}/steps/check`, { method: 'POST', body: new FormData(), headers: { 'HX-Request': 'true' } });
  const text = textOf(await res.text());
  assert.equal(res.status, 403);
  assert.match(text, new RegExp(`uploads/${sha} is a symbolic link\\. Cardtrail never follows links`));
  assert.equal((await client.events(id)).length, before, 'nothing written');
  assert.ok(!(await client.events(id)).some((e) => e.type === 'job.started'));
});

test('an upload into an uploads folder replaced by a link is refused, and nothing is written where it points', async (t) => {
  const client = await Client.open(t);
  const away = await outside(t);
  const id = await client.start('kitchen-sink');
  await throughLinks(client, id);
  await rm(join(client.dir, 'sessions', id, 'uploads'), { recursive: true, force: true });
  await symlink(away.dir, join(client.dir, 'sessions', id, 'uploads'));
  const res = await client.request(`/s/${id}/steps/access`, { method: 'POST', body: accessForm(), headers: { 'HX-Request': 'true' } });
  assert.equal(res.status, 403);
  assert.match(textOf(await res.text()), /uploads is a symbolic link\. Cardtrail never follows links/);
  assert.deepEqual(await readdir(away.dir), ['private.txt'], 'nothing stored outside the data folder');
  assert.ok(!(await client.events(id)).some((e) => e.type === 'param.set' && e.step === 'access'));
});

test('a fork does not carry over an upload that is a link', async (t) => {
  const client = await Client.open(t);
  const { file } = await outside(t);
  const id = await client.start('kitchen-sink');
  await throughAccess(client, id);
  const sha = await linkUpload(client, id, file);
  const forked = sessionOf(await client.post(`/s/${id}/fork`));
  const copied = await lstat(join(client.dir, 'sessions', forked, 'uploads', sha)).catch(() => undefined);
  assert.equal(copied, undefined, 'the link was left behind, neither copied through nor linked again');
});
