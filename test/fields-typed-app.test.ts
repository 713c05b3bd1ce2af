// The refusals of fields-typed.test.ts through the real app on a real data folder: what a tester typed into the
// kitchen sink, hello and the rename form comes back as a 422 fragment naming the field and why, and nothing
// of it reaches the log.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Client, HTMX, hello, type Form } from './support/client.ts';
import { textOf } from './support/html.ts';

const BASICS: Form = { name: 'Ada', budget: '12.5', depth: '2', level: '7', pace: 'fast', size: 'm', columns: ['id'], agree: 'on' };
const TIMES: Form = { start: '2026-03-07', at: '09:30', meeting: '2026-03-07T14:00', slot: '1 hour' };
const LINKS: Form = { site: 'https://example.com', contact: 'ada@example.com', code: 'ADA-123', config: '{"retries": 5}' };

/** Posts a step as htmx does and expects it refused with a 422 fragment; returns its words. */
async function refused(client: Client, id: string, step: string, form: Form): Promise<string> {
  const before = (await client.events(id)).length;
  const res = await client.post(`/s/${id}/steps/${step}`, form, HTMX);
  assert.equal(res.status, 422, JSON.stringify(form));
  assert.equal((await client.events(id)).length, before, 'nothing recorded');
  return textOf(await res.text());
}

test('kitchen sink: numbers beyond what is kept, in e or hex notation, or between a slider’s steps are refused with their reason', async (t) => {
  const client = await Client.open(t);
  const id = await client.start('kitchen-sink');
  const cases: [Form, string][] = [
    [{ budget: '99999999999999999999' }, 'Budget in euros must have at most 15 digits before the point; larger numbers cannot be kept exactly.'],
    [{ budget: '1e308' }, 'Budget in euros must be written out in digits, like 1500 rather than 1.5e3.'],
    [{ budget: '1e400' }, 'Budget in euros must be written out in digits, like 1500 rather than 1.5e3.'],
    [{ budget: '2.5e2' }, 'Budget in euros must be written out in digits, like 1500 rather than 1.5e3.'],
    [{ budget: '0x10' }, 'Budget in euros must be a number.'],
    [{ level: '5.5' }, 'Level must go in steps of 1.'],
    [{ name: '\u200B\u200B' }, 'Name is required.'],
  ];
  for (const [change, message] of cases) assert.ok((await refused(client, id, 'basics', { ...BASICS, ...change })).includes(message), `${JSON.stringify(change)}: ${message}`);

  await client.submit(id, 'basics', { ...BASICS, budget: '99999999999999.5' });
  assert.equal((await client.ct.engine.load(id)).state.values.basics.budget.value, 99999999999999.5, 'a number of 15 digits is kept as typed');
  await client.submit(id, 'times', TIMES);
  const json = await refused(client, id, 'links', { ...LINKS, config: '{"a":1e999}' });
  assert.ok(json.includes('Settings (JSON) must hold numbers that can be kept as written: 1e999 is too large (line 1, column 6).'), json);
  const odd: [string, string][] = [
    ['http://[::1]:0', 'it has port 0, which nothing can be reached at.'],
    ['http://a..b/', 'it has an empty label in its host name "a..b".'],
    ['http://-x-.com/', 'it has a label in its host name that starts or ends with "-" ("-x-").'],
  ];
  for (const [site, reason] of odd) assert.ok((await refused(client, id, 'links', { ...LINKS, site })).includes(`Web site cannot be reached: ${reason}`), site);
  await client.submit(id, 'links', LINKS);
  assert.deepEqual((await client.ct.engine.load(id)).state.values.links.config.value, { retries: 5 });
});

test('hello and the rename form: zero-width text is no name and no title; text with something visible is kept as typed', async (t) => {
  const client = await Client.open(t);
  const start = await client.start('hello');
  assert.ok((await refused(client, start, 'name', { name: '\u200B\u200B' })).includes('Name is required.'));

  const id = await hello(client, 'Ada');
  const derived = '<title>Hello — Ada · Cardtrail</title>';
  const count = (await client.events(id)).length;
  assert.equal((await client.post(`/s/${id}/title`, { title: '\u200B\u200B\u200D' })).status, 303);
  assert.equal((await client.events(id)).length, count, 'no title was given: nothing recorded');
  assert.ok((await client.page(id)).includes(derived), 'the derived title stays');
  const home = await client.html('/');
  assert.match(home, new RegExp(`<tr data-session="${id}">.*?>Hello — Ada</a>`), 'the home list links the session by a name that shows');

  // A title given, then one of zero-width characters: the given title goes, the derived one comes back.
  await client.act(`/s/${id}/title`, { title: '👩\u200D💻 Ada' });
  assert.equal((await client.ct.engine.load(id)).state.title, '👩\u200D💻 Ada', 'the emoji keeps its joiner');
  await client.act(`/s/${id}/title`, { title: '\uFEFF \u2060' });
  assert.deepEqual((await client.events(id)).at(-1), { ...(await client.events(id)).at(-1), type: 'session.titled', title: '' }, 'recorded as no title');
  assert.ok((await client.page(id)).includes(derived));
});
