// Hostile pages: script-injection payloads in every field kind, in notes, in imported logs, in file names and
// in a workflow's own titles, labels and options come back as text on every page that shows them, checked by
// parsing the real HTML (test/support/inert.ts). The browser half is test/browser/hostile.test.ts.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { ALL, PAYLOADS } from './fixtures/hostile/payloads.ts';
import { Client, HTMX, sessionOf } from './support/client.ts';
import { chained } from './support/forge.ts';
import { assertInert } from './support/inert.ts';
import { textOf } from './support/html.ts';

const WORKFLOWS = join(import.meta.dirname, 'fixtures/hostile/workflows');

/** Fills the hostile workflow's first step with a payload in every field that takes text or an option. */
export const everyKind = {
  text: ALL,
  area: ALL,
  count: '7',
  pick: PAYLOADS[1],
  many: [PAYLOADS[0], PAYLOADS[2]],
  tick: 'on',
  'nest.inner': ALL,
};

async function pages(client: Client, id: string): Promise<[string, string][]> {
  const got: [string, string][] = [];
  const last = (await client.events(id)).length;
  for (const path of ['/', '/?status=all', `/s/${id}`, `/s/${id}/history`, `/s/${id}/at/1`, `/s/${id}/at/${last}`, `/s/${id}/delete`])
    got.push([path, await client.html(path)]);
  got.push([`htmx /s/${id}`, await (await client.get(`/s/${id}`, HTMX)).text()]);
  return got;
}

test('payloads in every field kind, in notes and in the workflow itself render as text on every page', async (t) => {
  const client = await Client.open(t, { workflowsDir: WORKFLOWS });
  const id = await client.start('hostile');
  for (const [path, html] of await pages(client, id)) assertInert(html, `a new session: ${path}`);

  // A bad value comes back in its field as typed: still text.
  const bad = await client.post(`/s/${id}/steps/every-kind`, { ...everyKind, count: PAYLOADS[1] }, HTMX);
  assert.equal(bad.status, 422);
  const badHtml = await bad.text();
  assertInert(badHtml, 'the form sent back with a bad number');
  assert.ok(textOf(badHtml).includes('Count'), 'the message is there');

  await client.submit(id, 'every-kind', everyKind);
  await client.act(`/s/${id}/notes`, { step: 'every-kind', text: ALL });
  await client.act(`/s/${id}/notes`, { step: '', text: PAYLOADS.join('\n') });
  for (const [path, html] of await pages(client, id)) assertInert(html, `values and notes given: ${path}`);
  const page = await client.page(id);
  for (const p of PAYLOADS) assert.ok(textOf(page).includes(p), `shown as text: ${p}`);

  await client.submit(id, 'summary', { say: ALL });
  await client.act(`/s/${id}/finalize`);
  for (const [path, html] of await pages(client, id)) assertInert(html, `finished: ${path}`);
  assert.ok(textOf(await client.page(id)).includes(`Summary: ${ALL}`), 'the summary is text');
});

test('payloads in an imported log, its notes and its file name render as text, and so do refusals naming it', async (t) => {
  const client = await Client.open(t, { workflowsDir: WORKFLOWS });
  const version = client.version('hostile');
  const file = chained([
    { type: 'session.started', workflow: 'hostile', version, forkedFrom: null },
    ...Object.entries({ text: ALL, area: ALL, count: 3, pick: PAYLOADS[6], many: [PAYLOADS[7]], tick: true, nest: { inner: ALL, [`x`]: PAYLOADS[0] } }).map(
      ([key, value]) => ({ type: 'param.set', step: 'every-kind', key, value, source: 'user', meta: { why: ALL } }),
    ),
    { type: 'step.completed', step: 'every-kind' },
    { type: 'note', step: 'every-kind', text: ALL },
    { type: 'note', step: 'nowhere', text: ALL },
  ]);
  // (A form sends a double quote in a file name as %22, so this one has single quotes only.)
  const name = `${PAYLOADS[2]}.jsonl`;
  const id = sessionOf(await client.upload(file, name));
  for (const [path, html] of await pages(client, id)) assertInert(html, `an imported session: ${path}`);
  assert.ok(textOf(await client.html(`/s/${id}/history`)).includes(`imported from the file ${name}`));

  const refused = await client.upload(`${ALL}\n`, name);
  assert.equal(refused.status, 422);
  assertInert(await refused.text(), 'an import refusal naming the file');
});

test('error pages and the sign-in page show what was asked for as text', async (t) => {
  const client = await Client.open(t, { workflowsDir: WORKFLOWS });
  for (const path of [`/${encodeURIComponent(PAYLOADS[1])}`, `/s/${encodeURIComponent(PAYLOADS[0])}`, `/s/AAAAAAAAAAAAAAAAAAAAA/at/${encodeURIComponent(PAYLOADS[2])}`]) {
    const res = await client.get(path);
    assert.equal(res.status, 404);
    assertInert(await res.text(), `404 for ${path}`);
    const swap = await client.get(path, { ...HTMX, 'hx-current-url': `javascript:alert(1)//${PAYLOADS[1]}` });
    assertInert(await swap.text(), `htmx 404 for ${path}`);
  }
  const start = await client.post(`/start/${encodeURIComponent(PAYLOADS[0])}`);
  assert.equal(start.status, 404);
  assertInert(await start.text(), 'starting a workflow named by a payload');
});

test('the check itself catches each payload when it is written as markup', () => {
  const page = (inside: string) => `<!doctype html><html><head><script src="/assets/htmx.min.js"></script></head><body><p>${inside}</p></body></html>`;
  assertInert(page('plain text &lt;script&gt;'), 'an escaped page');
  for (const p of PAYLOADS.slice(0, 8)) assert.throws(() => assertInert(page(p), p), /renders text as markup/, p);
  assert.throws(() => assertInert(`<input value="" autofocus onfocus="alert(1)">`, 'attribute break-out'), /onfocus/);
});
