// Concurrency through the real app on a real data folder: double submits, stale tabs, and a race of revert,
// submit and finalize, after which the log must still tell one consistent story.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OUT_OF_DATE } from '../app/engine/stale.ts';
import type { LogEvent } from '../app/log/events.ts';
import { fold } from '../app/log/fold.ts';
import { verifyLog } from '../app/log/verify.ts';
import { Client, HTMX, hello, paramsSet } from './support/client.ts';
import { controlValue, notice, openStep } from './support/html.ts';

/** The log position a page's forms were rendered from (every changing form carries the same one). */
const positionIn = (html: string): string => {
  const all = [...html.matchAll(/name="rendered-seq" value="(\d+)"/g)].map((m) => m[1]);
  assert.ok(all.length, 'the page has forms carrying their position');
  assert.equal(new Set(all).size, 1, 'every form of one page carries one position');
  return all[0];
};

test('a stale tab cannot record its old greeting after another tab changed the name (the issue case)', async (t) => {
  const client = await Client.open(t);
  const id = await hello(client, 'Ada');
  const tabA = await client.page(id);
  assert.equal(controlValue(tabA, 'greeting'), 'Hello Ada!');
  const seenByA = positionIn(tabA);

  // Tab B reverts the name and gives Bob, each from the page it has just been shown.
  await client.act(`/s/${id}/steps/name/revert`, { 'rendered-seq': positionIn(await client.page(id)) });
  await client.submit(id, 'name', { name: 'Bob', 'rendered-seq': positionIn(await client.page(id)) });

  // Tab A still shows "Hello Ada!" and submits it, with htmx as the page does and as a plain form.
  for (const headers of [HTMX, {}]) {
    const res = await client.post(`/s/${id}/steps/greeting`, { greeting: 'Hello Ada!', 'rendered-seq': seenByA }, headers);
    assert.equal(res.status, 409);
    const html = await res.text();
    assert.equal(notice(html), OUT_OF_DATE);
    assert.equal(openStep(html), 'greeting', 'the answer is the current trail');
    assert.equal(controlValue(html, 'greeting'), 'Hello Bob!', 'pre-filled from the current name');
  }
  const events = await client.events(id);
  assert.deepEqual(paramsSet(events, 'greeting'), [], 'nothing of the stale tab was recorded');

  // Submitting from the current page works.
  await client.submit(id, 'greeting', { greeting: 'Hello Bob!', 'rendered-seq': positionIn(await client.page(id)) });
  assert.deepEqual(paramsSet(await client.events(id), 'greeting'), [{ value: 'Hello Bob!', source: 'default' }]);
});

test('a stale revert or finalize is refused; a note from another tab does not make a page stale', async (t) => {
  const client = await Client.open(t);
  const id = await hello(client, 'Ada', null);
  const old = positionIn(await client.page(id));
  await client.act(`/s/${id}/notes`, { step: 'name', text: 'written in tab B' });
  await client.act(`/s/${id}/steps/greeting/revert`, { 'rendered-seq': old }); // a note changes nothing a revert depends on
  await client.submit(id, 'greeting', { greeting: 'Hi Ada', 'rendered-seq': positionIn(await client.page(id)) });

  const before = (await client.events(id)).length;
  const revert = await client.post(`/s/${id}/steps/greeting/revert`, { 'rendered-seq': old }, HTMX);
  assert.equal(revert.status, 409, 'the greeting that page shows is no longer the recorded one');
  assert.equal(notice(await revert.text()), OUT_OF_DATE);
  const finalize = await client.post(`/s/${id}/finalize`, { 'rendered-seq': old });
  assert.equal(finalize.status, 409, 'finalizing values the page did not show');
  const future = await client.post(`/s/${id}/finalize`, { 'rendered-seq': String(before + 5) });
  assert.equal(future.status, 409, 'a position this log has not reached');
  const garbage = await client.post(`/s/${id}/finalize`, { 'rendered-seq': 'yesterday' });
  assert.equal(garbage.status, 400);
  assert.equal((await client.events(id)).length, before, 'no refused change was recorded');
  // Reverting the name depends on the name alone, which is as that page shows it.
  await client.act(`/s/${id}/steps/name/revert`, { 'rendered-seq': old });
  await client.submit(id, 'name', { name: 'Ada', 'rendered-seq': positionIn(await client.page(id)) });
  await client.submit(id, 'greeting', { greeting: 'Hi Ada', 'rendered-seq': positionIn(await client.page(id)) });
  await client.act(`/s/${id}/finalize`, { 'rendered-seq': positionIn(await client.page(id)) });
});

test('a double submit (the same form sent twice at once) records once', async (t) => {
  const client = await Client.open(t);
  const id = await client.start('hello');
  const seen = positionIn(await client.page(id));
  const answers = await Promise.all(
    Array.from({ length: 5 }, () => client.post(`/s/${id}/steps/name`, { name: 'Ada', 'rendered-seq': seen }, HTMX)),
  );
  assert.deepEqual(answers.map((r) => r.status).sort(), [200, 409, 409, 409, 409]);
  const events = await client.events(id);
  assert.deepEqual(paramsSet(events, 'name'), [{ value: 'Ada', source: 'user' }]);
  assert.equal(events.filter((e) => e.type === 'step.completed').length, 1);
  // Without positions (a client that sends none) the open-step check still lets only one through.
  const bare = await Promise.all([1, 2, 3].map(() => client.post(`/s/${id}/steps/greeting`, { greeting: 'Hi' }, HTMX)));
  assert.deepEqual(bare.map((r) => r.status).sort(), [200, 409, 409]);
  assert.deepEqual(paramsSet(await client.events(id), 'greeting'), [{ value: 'Hi', source: 'user' }]);
});

/**
 * Replays a hello log and checks the story it tells: values only for the open step, completions only of the
 * open step after its values, reverts only of completed steps while unlocked, finalize only when all are done.
 */
function consistent(events: readonly LogEvent[], steps: readonly string[]): string | undefined {
  const completed: string[] = [];
  let finalized = false;
  const given = new Set<string>();
  for (const e of events) {
    const open = steps.find((s) => !completed.includes(s));
    switch (e.type) {
      case 'param.set':
        if (finalized || e.step !== open) return `seq ${e.seq}: a value for ${e.step} while ${open} was open`;
        given.add(e.step);
        break;
      case 'step.completed':
        if (finalized || e.step !== open || !given.has(e.step)) return `seq ${e.seq}: ${e.step} completed out of turn`;
        completed.push(e.step);
        given.delete(e.step);
        break;
      case 'step.reverted':
        if (finalized || !completed.includes(e.step)) return `seq ${e.seq}: reverted ${e.step}, which was not done`;
        completed.splice(completed.indexOf(e.step));
        break;
      case 'session.finalized':
        if (finalized || open) return `seq ${e.seq}: finalized with ${open} open`;
        finalized = true;
        break;
      case 'session.unfinalized':
        finalized = false;
        break;
    }
  }
  return undefined;
}

test('a race of reverts, submits and finalizes from tabs at many positions keeps the log consistent', async (t) => {
  const client = await Client.open(t);
  const id = await hello(client, 'Ada', null);
  const statuses = new Map<number, number>();
  let random = 12345;
  const next = (n: number) => ((random = (random * 1103515245 + 12345) % 2 ** 31), random % n);
  for (let round = 0; round < 40; round++) {
    const page = await client.page(id);
    // A finalized page has no changing form but Unfinalize: its position is the log's end.
    const seen = page.includes('name="rendered-seq"') ? positionIn(page) : String((await client.ct.engine.states.get(id)).lastSeq);
    const stale = String(Math.max(1, Number(seen) - next(4)));
    const actions = [
      () => client.post(`/s/${id}/steps/name/revert`, { 'rendered-seq': next(2) ? seen : stale }, HTMX),
      () => client.post(`/s/${id}/steps/greeting/revert`, { 'rendered-seq': seen }, HTMX),
      () => client.post(`/s/${id}/steps/name`, { name: `N${round}`, 'rendered-seq': seen }, HTMX),
      () => client.post(`/s/${id}/steps/greeting`, { greeting: `G${round}`, 'rendered-seq': next(2) ? seen : stale }, HTMX),
      () => client.post(`/s/${id}/finalize`, { 'rendered-seq': seen }, HTMX),
      () => client.post(`/s/${id}/unfinalize`, {}, HTMX),
      () => client.post(`/s/${id}/steps/greeting`, { greeting: `bare${round}` }, HTMX),
    ];
    const picked = Array.from({ length: 4 }, () => actions[next(actions.length)]);
    for (const res of await Promise.all(picked.map((act) => act()))) statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
  }
  const bytes = await client.logBytes(id);
  const verdict = verifyLog(bytes);
  assert.ok(verdict.ok, 'the hash chain is intact');
  const events = verdict.events;
  assert.equal(consistent(events, ['name', 'greeting']), undefined);
  const state = fold(events);
  assert.deepEqual(await client.ct.engine.states.get(id), state, 'the remembered state is the log replayed');
  assert.equal(client.ct.engine.catalog.list({ status: 'all' }).find((r) => r.id === id)?.lastSeq, state.lastSeq, 'the catalog agrees');
  assert.deepEqual([...statuses.keys()].filter((s) => s >= 500), [], 'no request failed');
  assert.ok((statuses.get(200) ?? 0) > 10 && (statuses.get(409) ?? 0) > 10, `both outcomes were exercised: ${[...statuses]}`);
  t.diagnostic(`race: ${events.length} entries, answers ${JSON.stringify(Object.fromEntries(statuses))}`);
});
