// History end to end through the real app (app.request), real logs in temp folders and the real SQLite catalog:
// time travel, the timeline and its integrity verdict, edit-and-recompute, forks, notes, workflow versions,
// export/import, and the session list (filters, archive, delete).
import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { chainHash } from '../app/log/chain.ts';
import type { Json, LogEvent, NewEvent } from '../app/log/events.ts';
import { helloFolder } from './support/workflow-folder.ts';
import helloWorkflow from '../workflows/hello.ts';
import tickerWorkflow from '../workflows/ticker.ts';
import tripWorkflow from '../workflows/trip.ts';
import { labelOf } from '../views/display.ts';
import { Client, type Form, type Headers, hello, HTMX, MODES, paramsSet, parseLog, sessionOf, withoutPlace } from './support/client.ts';
import { controlValue, decode, doneSteps, doneValue, escapeRe, notice, openStep, reverts, textOf } from './support/html.ts';

/** Lines of a log as written: each with its newline. */
const linesOf = (bytes: Buffer): string[] => String(bytes).split(/(?<=\n)/);

/** A log with a correct hash chain, made from bare events (seq and time added). */
function chained(events: NewEvent[]): string {
  let previous = '';
  return events
    .map((e, i) => {
      const event = { seq: i + 1, at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(), ...e } as LogEvent;
      const hash = chainHash(previous, event);
      previous = hash;
      return JSON.stringify({ ...event, hash }) + '\n';
    })
    .join('');
}

/** Polls (no timing assertion) until the log satisfies `done`; fails with the log if it never does. */
async function untilLog(client: Client, id: string, done: (events: LogEvent[]) => boolean): Promise<LogEvent[]> {
  for (let i = 0; i < 2000; i++) {
    const events = await client.events(id);
    if (done(events)) return events;
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.fail(`the log never reached the expected state: ${JSON.stringify(await client.events(id))}`);
}

// ---- Reading the HTML the views render ----

/** One card's HTML. */
const card = (html: string, step: string) => new RegExp(`<article id="card-${escapeRe(step)}"[^>]*>(.*?)</article>`).exec(html)?.[0] ?? '';
/** The note texts a card shows. */
const cardNotes = (html: string, step: string) =>
  [...card(html, step).matchAll(/<li data-seq="\d+"><small>[^<]*<\/small> <bdi>([^<]*)<\/bdi><\/li>/g)].map((m) => decode(m[1]));
/** Every form in a page's content (not the site header's menu): where it posts and its hidden fields. */
const forms = (html: string) =>
  [...html.slice(Math.max(0, html.indexOf('<main'))).matchAll(/<form [^>]*action="([^"]+)"[^>]*>(.*?)<\/form>/g)].map((m) => ({
    action: m[1],
    hidden: Object.fromEntries([...m[2].matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"\/>/g)].map((h) => [h[1], decode(h[2])])),
  }));
const banner = (html: string, kind: string) => new RegExp(`<article class="banner ${kind}"[^>]*>(.*?)</article>`).exec(html)?.[1];

/** The timeline table: one row per entry, in page order. */
function timelineRows(html: string): { seq: number; type: string; entry: string; link: string | undefined }[] {
  return [...html.matchAll(/<tr data-seq="(\d+)" data-type="([^"]+)">(.*?)<\/tr>/g)].map((m) => {
    const cells = [...m[3].matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((c) => c[1]);
    return { seq: Number(m[1]), type: m[2], entry: textOf(cells[2] ?? ''), link: /href="([^"]+)"/.exec(cells[3] ?? '')?.[1] };
  });
}
const integrity = (html: string) => {
  const m = /<p class="integrity (ok|bad)[^"]*"[^>]*>(.*?)<\/p>/.exec(html);
  return m ? { ok: m[1] === 'ok', text: textOf(m[2]) } : undefined;
};
const olderLink = (html: string) => /<a href="([^"]+)">Older entries<\/a>/.exec(html)?.[1];

/** The home page's session table: the ids listed. */
const listed = (html: string) => [...html.matchAll(/<tr data-session="([^"]+)">/g)].map((m) => m[1]).sort();

/** A plain 404 page. */
async function assertNotFound(res: Response, what: string): Promise<void> {
  assert.equal(res.status, 404, what);
  assert.match(res.headers.get('content-type') ?? '', /^text\/html/, what);
  const html = await res.text();
  assert.match(html, /<h1>Not found<\/h1>/, what);
  assert.match(html, /<a href="\/">Back to the home page<\/a>/, what);
}

const TRIP_PLACES: Form = { places: ['Lisbon', 'Seville'], days: '5' };
const TRIP_TRAVELLER: Form = { 'traveller.name': 'Ann', 'traveller.adults': '2', 'traveller.rail': 'on', pace: 'slow' };

/** A finished trip for 5 days and 2 adults (default budget 1200) with the budget given. */
async function trip(client: Client, budget: string): Promise<string> {
  const id = await client.start('trip');
  await client.submit(id, 'places', TRIP_PLACES);
  await client.submit(id, 'traveller', TRIP_TRAVELLER);
  await client.submit(id, 'budget', { budget, notes: 'pack light' });
  return id;
}

/** The values a page's open form shows for these control names, as a browser would post them back. */
function shown(html: string, names: string[]): Form {
  const form: Form = {};
  for (const name of names) {
    const value = controlValue(html, name);
    if (value !== undefined) form[name] = value;
  }
  return form;
}

// ---- A workflows folder the test can edit ----

const GREETING_STEP = "    {\n      id: 'greeting',";
const MOOD_STEP = `    {
      id: 'mood',
      title: 'Mood',
      fields: [{ key: 'mood', kind: 'text', label: 'Mood', required: true }],
    },
`;

const withMood = (source: string) => {
  assert.ok(source.includes(GREETING_STEP));
  return source.replace(GREETING_STEP, MOOD_STEP + GREETING_STEP);
};
const withoutGreeting = (source: string) => {
  const from = source.indexOf(GREETING_STEP);
  const to = source.lastIndexOf('  ],\n});');
  assert.ok(from > 0 && to > from);
  return source.slice(0, from) + source.slice(to);
};

// =====================================================================================================
// Time travel: the session at any entry
// =====================================================================================================

/** A hello session with a revert in it: the state after each entry, as the past page must show it. */
async function helloWithRevert(client: Client): Promise<string> {
  const id = await hello(client, 'Ada', 'Hi there'); // 1 start, 2-3 name, 4-5 greeting
  await client.act(`/s/${id}/steps/name/revert`); // 6
  await client.submit(id, 'name', { name: 'Bob' }); // 7-8
  return id;
}

const PAST: { seq: number; done: string[]; values: Record<string, string>; waiting: string | null }[] = [
  { seq: 1, done: [], values: {}, waiting: 'name' },
  { seq: 2, done: [], values: {}, waiting: 'name' }, // the name was given but its step not yet completed
  { seq: 3, done: ['name'], values: { name: 'Ada' }, waiting: 'greeting' }, // after the name, before the greeting
  { seq: 5, done: ['name', 'greeting'], values: { name: 'Ada', greeting: 'Hi there' }, waiting: null },
  { seq: 6, done: [], values: {}, waiting: 'name' }, // right after the revert
  { seq: 8, done: ['name'], values: { name: 'Bob' }, waiting: 'greeting' },
];

test('GET /s/<id>/at/<seq> shows the cards as they were after that entry, read-only, with a way back', async (t) => {
  const client = await Client.open(t);
  const id = await helloWithRevert(client);
  assert.equal((await client.events(id)).length, 8);
  for (const { seq, done, values, waiting } of PAST) {
    const html = await client.html(`/s/${id}/at/${seq}`);
    const what = `at ${seq}`;
    assert.match(html, /<strong>Viewing the past:<\/strong> the session as it was after entry (\d+)/, what);
    assert.equal(/as it was after entry (\d+)/.exec(html)?.[1], String(seq), what);
    assert.match(banner(html, 'past') ?? '', new RegExp(`<a href="/s/${id}" role="button">Back to the session now</a>`), what);
    assert.deepEqual(doneSteps(html), done, what);
    for (const [key, value] of Object.entries(values)) assert.equal(doneValue(html, key), value, `${what}: ${key}`);
    assert.equal(openStep(html), undefined, `${what}: no open card`);
    if (waiting) assert.match(card(html, waiting), /waiting for input at this point/, what);
    else assert.match(html, /Every step was done at this point/, what);
    assert.deepEqual(reverts(html), [], `${what}: no Revert buttons`);
    // The only form is "Fork from this point"; no step, note, finalize or revert forms.
    assert.deepEqual(forms(html), [{ action: `/s/${id}/fork`, hidden: { seq: String(seq) } }], what);
    assert.doesNotMatch(html, /<textarea|<input (?!type="hidden")/, `${what}: no inputs`);
  }
  const filesNote = /Files the steps wrote are shown as they are now/;
  assert.doesNotMatch(banner(await client.html(`/s/${id}/at/3`), 'past') ?? 'no banner', filesNote, 'no files, no word about them');
  await mkdir(join(client.dir, 'sessions', id, 'files'), { recursive: true });
  await writeFile(join(client.dir, 'sessions', id, 'files', 'report.txt'), 'written later');
  assert.match(banner(await client.html(`/s/${id}/at/3`), 'past') ?? '', filesNote, 'the past view says its files are today\'s');
  // The present is unchanged by looking at the past.
  const now = await client.page(id);
  assert.equal(openStep(now), 'greeting');
  assert.equal(controlValue(now, 'greeting'), 'Hi there', 'the typed greeting is kept after the name changed');
});

test('the past shows notes given up to that entry only, and a finalized moment without Unfinalize', async (t) => {
  const client = await Client.open(t);
  const id = await hello(client, 'Ada', null); // 1..5
  await client.act(`/s/${id}/notes`, { step: 'name', text: 'first note' }); // 6
  await client.act(`/s/${id}/finalize`); // 7
  await client.act(`/s/${id}/notes`, { step: 'name', text: 'second note' }); // 8
  const cases: [number, string[], boolean][] = [
    [5, [], false],
    [6, ['first note'], false],
    [7, ['first note'], true],
    [8, ['first note', 'second note'], true],
  ];
  for (const [seq, notes, finalized] of cases) {
    const html = await client.html(`/s/${id}/at/${seq}`);
    assert.deepEqual(cardNotes(html, 'name'), notes, `at ${seq}`);
    assert.equal(/the session was finalized/.test(html), finalized, `at ${seq}`);
    assert.deepEqual(
      forms(html).map((f) => f.action),
      [`/s/${id}/fork`],
      `at ${seq}: no Unfinalize, no note form`,
    );
  }
});

test(
  'the past offers no actions on the present: no Unarchive, no "continue under the new definition"',
  async (t) => {
    const problems: string[] = [];
    // A moment when the session was archived.
    const client = await Client.open(t);
    const id = await hello(client, 'Ada', null); // 1..5
    await client.act(`/s/${id}/archive`); // 6
    await client.act(`/s/${id}/unarchive`); // 7
    const archived = forms(await client.html(`/s/${id}/at/6`)).map((f) => f.action);
    if (archived.join() !== `/s/${id}/fork`) problems.push(`at an archived moment the past page posts to ${archived.join(', ')}`);
    // A moment before the session went on under a changed workflow.
    const folder = await helloFolder(t);
    const versioned = await Client.open(t, { workflowsDir: folder.dir });
    const vid = await hello(versioned, 'Ada', null); // 1..5
    await versioned.reopen({ beforeOpen: () => folder.write(withMood(folder.original)) });
    await versioned.act(`/s/${vid}/migrate`); // 6
    const before = forms(await versioned.html(`/s/${vid}/at/5`)).map((f) => f.action);
    if (before.join() !== `/s/${vid}/fork`) problems.push(`before the migration the past page posts to ${before.join(', ')}`);
    assert.deepEqual(problems, []);
  },
);

test('an entry out of range or not a number is a plain 404 page', async (t) => {
  const client = await Client.open(t);
  const id = await hello(client, 'Ada', null); // 5 entries
  for (const seq of ['0', '6', '99', '-1', '1.5', 'abc', '%20', 'NaN', 'Infinity'])
    await assertNotFound(await client.get(`/s/${id}/at/${seq}`), `at/${seq}`);
  await assertNotFound(await client.get('/s/AAAAAAAAAAAAAAAAAAAAA/at/1'), 'an unknown session');
  assert.equal((await client.get(`/s/${id}/at/5`)).status, 200, 'the last entry is in range');
});

test(
  'an entry number written other than in plain digits is a 404 too',
  async (t) => {
    const client = await Client.open(t);
    const id = await hello(client, 'Ada', null);
    for (const seq of ['1e0', '0x2', '%202', '2.0']) assert.equal((await client.get(`/s/${id}/at/${seq}`)).status, 404, `at/${seq}`);
  },
);

// =====================================================================================================
// The timeline
// =====================================================================================================

const SOURCE_WORDS: Record<string, string> = {
  user: 'typed by you',
  default: 'suggested default',
  fork: 'copied',
  import: 'imported',
  job: 'produced by a job',
};

/** Checks that a timeline page lists exactly these log events in order, each described in words. */
function assertTimeline(html: string, id: string, events: LogEvent[], what: string): void {
  const rows = timelineRows(html);
  assert.deepEqual(
    rows.map((r) => [r.seq, r.type]),
    events.map((e) => [e.seq, e.type]),
    `${what}: every entry in order`,
  );
  for (const [i, e] of events.entries()) {
    const row = rows[i];
    if (e.type === 'param.set') {
      const workflow = [helloWorkflow, tripWorkflow, tickerWorkflow].find((w) => w.steps.some((st) => st.id === e.step))!;
      assert.ok(row.entry.includes(` · ${labelOf(workflow, e.step, e.key)}: `), `${what} #${e.seq}: the field by its label (${row.entry})`);
      assert.ok(row.entry.endsWith(`(${SOURCE_WORDS[e.source]})`), `${what} #${e.seq}: the source in words (${row.entry})`);
    }
    if (e.type === 'note') assert.ok(row.entry.endsWith(`: ${e.text}`), `${what} #${e.seq}: the note (${row.entry})`);
    assert.equal(row.link, `/s/${id}/at/${endOfWrite(events, i)}`, `${what} #${e.seq}: a link to the end of its write`);
  }
}

/** The seq of the last listed event written together with events[i] (same `at`, one after another). */
function endOfWrite(events: LogEvent[], i: number): number {
  let end = i;
  while (end + 1 < events.length && events[end + 1].at === events[i].at) end++;
  return events[end].seq;
}

test('the timeline lists every entry in order with its source in words, notes, and "Log intact"', async (t) => {
  const client = await Client.open(t);
  // typed by you, suggested default, and a note
  const typed = await hello(client, 'Ada', null);
  await client.act(`/s/${typed}/notes`, { step: 'name', text: 'chose it because it is short' });
  await client.act(`/s/${typed}/notes`, { text: 'a note on the whole session' });
  // forked, imported
  const forked = sessionOf(await client.post(`/s/${typed}/fork`));
  const imported = sessionOf(await client.upload(await client.logBytes(typed), 'ada.jsonl'));
  // produced by a job (the ticker counts two ticks without waiting), then the suggested verdict
  const job = await client.start('ticker');
  await client.submit(job, 'simulate', { ticks: '2', interval: '0', failAt: '' });
  await untilLog(client, job, (events) => events.some((e) => e.type === 'step.completed' && e.step === 'simulate'));
  const verdict = controlValue(await client.page(job), 'verdict');
  assert.match(String(verdict), /^Counted 2 ticks in \d+ ms\.$/);
  await client.submit(job, 'review', { verdict: String(verdict) });

  const seen = new Set<string>();
  for (const id of [typed, forked, imported, job]) {
    const events = await client.events(id);
    const html = await client.html(`/s/${id}/history`);
    assertTimeline(html, id, events, id);
    assert.deepEqual(integrity(html), { ok: true, text: `✓ Log intact: ${events.length} entries, every line's hash matches the chain.` });
    assert.equal(olderLink(html), undefined);
    assert.match(html, new RegExp(`<a href="/s/${id}">Back to the session</a>`));
    for (const e of events) if (e.type === 'param.set') seen.add(e.source);
  }
  assert.deepEqual([...seen].sort(), Object.keys(SOURCE_WORDS).sort(), 'every source appears');

  const rows = timelineRows(await client.html(`/s/${typed}/history`));
  assert.deepEqual(
    rows.filter((r) => r.type === 'note').map((r) => r.entry),
    ['Note on Your name: chose it because it is short', 'Note: a note on the whole session'],
  );
  assert.equal(rows.find((r) => r.seq === 2)?.entry, 'Your name · Name: Ada (typed by you)');
  assert.equal(rows.find((r) => r.seq === 4)?.entry, 'Greeting · Greeting: Hello Ada! (suggested default)');
  const jobRows = timelineRows(await client.html(`/s/${job}/history`));
  assert.ok(
    jobRows.some((r) => r.entry === 'Simulate · Ticks counted: 2 (produced by a job)'),
    jobRows.map((r) => r.entry).join('\n'),
  );
});

/** Changes line 2's name value on disk without touching its hash. */
async function tamperLine2(client: Client, id: string, value: string): Promise<void> {
  const lines = linesOf(await client.logBytes(id));
  const event = JSON.parse(lines[1]) as LogEvent;
  assert.equal(event.type, 'param.set');
  lines[1] = JSON.stringify({ ...event, value }) + '\n';
  await writeFile(client.logPath(id), lines.join(''));
}

test('a value changed on disk in line 2 (hash kept) makes the timeline say the log was altered at line 2', async (t) => {
  // Same length (the app's size-keyed caches cannot notice) and a different length; in the running app and a new one.
  for (const value of ['Eve', 'Evangeline']) {
    const client = await Client.open(t);
    const id = await hello(client, 'Ada', null);
    await client.act(`/s/${id}/notes`, { step: 'greeting', text: 'later lines are untouched' });
    assert.equal(integrity(await client.html(`/s/${id}/history`))?.ok, true, 'intact before');
    await tamperLine2(client, id, value);
    for (const app of ['the running app', 'a new app']) {
      if (app === 'a new app') await client.reopen();
      const html = await client.html(`/s/${id}/history`);
      const verdict = integrity(html);
      assert.equal(verdict?.ok, false, `${value}, ${app}`);
      assert.equal(
        verdict?.text,
        '✗ The log cannot be trusted as it is: line 2 was altered after it was written (its hash does not match the chain).',
        `${value}, ${app}`,
      );
      // Every entry is still listed, as it is on disk.
      assertTimeline(html, id, await client.events(id), `${value}, ${app}`);
      assert.equal(timelineRows(html)[1].entry, `Your name · Name: ${value} (typed by you)`);
    }
  }
});

test('lines cut from the end of a log (at a line boundary) are reported missing while the catalog remembers them', async (t) => {
  const client = await Client.open(t);
  const id = await hello(client, 'Ada', null);
  const lines = (await readFile(client.logPath(id), 'utf8')).split(/(?<=\n)/);
  assert.equal(integrity(await client.html(`/s/${id}/history`))?.ok, true, 'intact before');
  await client.reopen({ beforeOpen: () => writeFile(client.logPath(id), lines.slice(0, 3).join('')) });
  assert.deepEqual(integrity(await client.html(`/s/${id}/history`)), {
    ok: false,
    text: `✗ Entries are missing from the end of the log: it ends at entry 3, but entry ${lines.length} was seen before. (The hash chain cannot show lines cut from the end; the catalog remembered them.)`,
  });
  // Nothing more is written to it: new lines would take the lost seqs and hide the cut. A fork goes on.
  assert.match(await client.html(`/s/${id}`), /Entries are missing from the end of this log/);
  const refused = await client.ct.app.request(`/s/${id}/notes`, { method: 'POST', body: new URLSearchParams({ step: 'name', text: 'x' }) });
  assert.equal(refused.status, 409);
  assert.equal((await readFile(client.logPath(id), 'utf8')).split(/(?<=\n)/).length, 3, 'the cut log is left as it is');
  assert.equal((await client.ct.app.request(`/s/${id}/fork`, { method: 'POST' })).status, 303, 'a fork goes on');
  // A rebuilt catalog has nothing to remember: the chain of what is left is all that can be checked.
  await client.reopen({ deleteCatalog: true });
  assert.equal(integrity(await client.html(`/s/${id}/history`))?.ok, true, 'after the catalog is rebuilt');
});

test('a long timeline pages by 200 with ?before=, oldest pages last, until the first entry', async (t) => {
  const client = await Client.open(t);
  const id = await hello(client, 'Ada'); // 3 entries
  const notes: NewEvent[] = Array.from({ length: 447 }, (_, i) => ({ type: 'note', step: 'name', text: `note ${i + 1}` }));
  await client.ct.engine.store.append(id, notes); // appended through the log store, as one write
  const total = 450;
  assert.equal((await client.events(id)).length, total);
  const pages: [string, [number, number], string | undefined][] = [
    [`/s/${id}/history`, [251, 450], `/s/${id}/history?before=251`],
    [`/s/${id}/history?before=251`, [51, 250], `/s/${id}/history?before=51`],
    [`/s/${id}/history?before=51`, [1, 50], undefined],
    [`/s/${id}/history?before=3`, [1, 2], undefined],
    [`/s/${id}/history?before=1000`, [251, 450], `/s/${id}/history?before=251`],
  ];
  const events = await client.events(id);
  for (const [path, [from, to], older] of pages) {
    const html = await client.html(path);
    assertTimeline(html, id, events.slice(from - 1, to), path);
    assert.equal(olderLink(html), older, path);
    assert.equal(integrity(html)?.text, `✓ Log intact: ${total} entries, every line's hash matches the chain.`, path);
  }
  // The session page still reads the whole log (200 is a page of the timeline, not a limit of the session).
  assert.equal(openStep(await client.page(id)), 'greeting');
  for (const before of ['abc', '0', '-5']) await assertNotFound(await client.get(`/s/${id}/history?before=${before}`), `before=${before}`);
});

// =====================================================================================================
// Edit an earlier step and recompute
// =====================================================================================================

test('hello: revert the name and change it; a suggested greeting follows, a typed one is kept; the timeline shows both', async (t) => {
  const cases: { typed: string | null; after: string; source: string }[] = [
    { typed: null, after: 'Hello Bob!', source: 'default' },
    { typed: 'Howdy, partner', after: 'Howdy, partner', source: 'user' },
  ];
  for (const { typed, after, source } of cases) {
    const client = await Client.open(t);
    const id = await hello(client, 'Ada', typed);
    await client.act(`/s/${id}/steps/name/revert`);
    let html = await client.page(id);
    assert.equal(openStep(html), 'name');
    assert.equal(controlValue(html, 'name'), 'Ada', 'the reopened form holds the old name');
    await client.submit(id, 'name', { name: 'Bob' });
    html = await client.page(id);
    assert.equal(controlValue(html, 'greeting'), after, `typed: ${typed}`);
    await client.submit(id, 'greeting', { greeting: after });
    const events = await client.events(id);
    assert.deepEqual(paramsSet(events, 'greeting').at(-1), { value: after, source });

    const entries = timelineRows(await client.html(`/s/${id}/history`)).map((r) => r.entry);
    for (const line of [
      'Your name · Name: Ada (typed by you)',
      'Your name · Name: Bob (typed by you)',
      `Greeting · Greeting: ${typed ?? 'Hello Ada!'} (${SOURCE_WORDS[typed ? 'user' : 'default']})`,
      `Greeting · Greeting: ${after} (${SOURCE_WORDS[source]})`,
      'Reopened to edit (with the steps after it) Your name',
    ])
      assert.ok(entries.includes(line), `${typed}: "${line}" in\n${entries.join('\n')}`);
  }
});

const RECOMPUTE: { name: string; budget: string; revert: string; change: Form; expected: string; source: string }[] = [
  // 5 days x 2 adults x 120 = 1200 was the default; 10 days makes it 2400.
  { name: 'a default budget follows the new days', budget: '1200', revert: 'places', change: { days: '10' }, expected: '2400', source: 'default' },
  // 500 is at least 10 x 30: still valid, kept.
  { name: 'a typed budget still valid is kept', budget: '500', revert: 'places', change: { days: '10' }, expected: '500', source: 'user' },
  // 200 was enough for 5 days (150) but not for 10 (300): the new suggestion replaces it.
  { name: 'a typed budget no longer valid is replaced by the suggestion', budget: '200', revert: 'places', change: { days: '10' }, expected: '2400', source: 'default' },
  // Editing the second step: 3 adults make the default 5 x 120 x 3.
  { name: 'a default budget follows the new number of adults', budget: '1200', revert: 'traveller', change: { 'traveller.adults': '3' }, expected: '1800', source: 'default' },
];

for (const c of RECOMPUTE) {
  test(`trip: revert ${c.revert} and change it: ${c.name}`, async (t) => {
    const client = await Client.open(t);
    const id = await trip(client, c.budget);
    const oldSource = c.budget === '1200' ? 'default' : 'user';
    assert.deepEqual(paramsSet(await client.events(id), 'budget'), [{ value: Number(c.budget), source: oldSource }]);

    await client.act(`/s/${id}/steps/${c.revert}/revert`);
    // Every step from the reverted one on reopens, pre-filled with what was given, the change applied on top.
    const steps: [string, string[]][] = [
      ['places', ['places', 'days']],
      ['traveller', ['traveller.name', 'traveller.adults', 'traveller.rail', 'pace']],
    ];
    for (const [step, names] of steps.slice(steps.findIndex(([s]) => s === c.revert))) {
      const html = await client.page(id);
      assert.equal(openStep(html), step);
      const form = shown(html, names);
      const original = step === 'places' ? TRIP_PLACES : TRIP_TRAVELLER;
      assert.deepEqual(form, original, `${step} comes back pre-filled`);
      await client.submit(id, step, { ...form, ...(step === c.revert ? c.change : {}) });
    }
    const html = await client.page(id);
    assert.equal(openStep(html), 'budget');
    assert.equal(controlValue(html, 'budget'), c.expected);
    assert.equal(controlValue(html, 'notes'), 'pack light', 'the typed notes are kept');
    await client.submit(id, 'budget', shown(html, ['budget', 'notes']));

    const events = await client.events(id);
    assert.deepEqual(paramsSet(events, 'budget'), [
      { value: Number(c.budget), source: oldSource },
      { value: Number(c.expected), source: c.source },
    ]);
    const summary = (await (await client.get(`/s/${id}/summary.json`)).json()) as { values: Record<string, Record<string, Json>> };
    assert.equal(summary.values.budget.budget, Number(c.expected));

    const entries = timelineRows(await client.html(`/s/${id}/history`)).map((r) => r.entry);
    const [key, value] = Object.entries(c.change)[0];
    const oldLine = key === 'days' ? 'Places · Days: 5' : 'Traveller · Who travels: Name: Ann; Adults: 2; Rail pass: Yes';
    const newLine = key === 'days' ? `Places · Days: ${value}` : `Traveller · Who travels: Name: Ann; Adults: ${value}; Rail pass: Yes`;
    for (const line of [oldLine, newLine, `Budget · Budget in euros: ${c.budget}`, `Budget · Budget in euros: ${c.expected}`])
      assert.ok(
        entries.some((e) => e.startsWith(line + ' (')),
        `"${line}" in\n${entries.join('\n')}`,
      );
  });
}

// =====================================================================================================
// Fork
// =====================================================================================================

test('fork from the name step: a new session with the name only, opening at the greeting; the original untouched', async (t) => {
  const client = await Client.open(t);
  const id = await hello(client, 'Ada', 'Hi Ada');
  const before = await client.logBytes(id);
  const lastSeq = (await client.events(id)).length;

  const fork = sessionOf(await client.post(`/s/${id}/fork`, { step: 'name' }));
  assert.notEqual(fork, id);
  assert.deepEqual(await client.logBytes(id), before, 'the original log is byte-identical');
  const events = await client.events(fork);
  assert.deepEqual(events.map(withoutPlace), [
    { type: 'session.started', workflow: 'hello', version: client.ct.engine.workflows.get('hello')!.version, forkedFrom: { session: id, seq: lastSeq } },
    { type: 'param.set', step: 'name', key: 'name', value: 'Ada', source: 'fork', was: 'user' },
    { type: 'step.completed', step: 'name' },
  ]);
  const html = await client.page(fork);
  assert.deepEqual(doneSteps(html), ['name']);
  assert.equal(openStep(html), 'greeting');
  assert.equal(controlValue(html, 'greeting'), 'Hello Ada!', 'the greeting is suggested afresh');
  assert.match(html, new RegExp(`a copy of <a href="/s/${id}">session ${id}</a>, with its values up to <a href="/s/${id}/at/${lastSeq}">entry ${lastSeq}</a>`));
  assert.equal(timelineRows(await client.html(`/s/${fork}/history`))[1].entry, 'Your name · Name: Ada (copied)');
});

test('"Run again" (fork without a step) carries every completed step, also from a finalized session', async (t) => {
  for (const finalized of [false, true]) {
    const client = await Client.open(t);
    const id = await hello(client, 'Ada', null);
    if (finalized) await client.act(`/s/${id}/finalize`);
    const page = await client.page(id);
    // The finish card's button is a plain form with no step: that is "Run again with the same inputs".
    assert.ok(forms(page).some((f) => f.action === `/s/${id}/fork` && Object.keys(f.hidden).length === 0), 'the Run again button');
    const before = await client.logBytes(id);

    const fork = sessionOf(await client.post(`/s/${id}/fork`));
    assert.deepEqual(await client.logBytes(id), before, `finalized=${finalized}: the original is untouched`);
    const [started, ...rest] = await client.events(fork);
    assert.deepEqual(started.type === 'session.started' && started.forkedFrom, { session: id, seq: finalized ? 6 : 5 });
    assert.deepEqual(rest.map(withoutPlace), [
      { type: 'param.set', step: 'name', key: 'name', value: 'Ada', source: 'fork', was: 'user' },
      { type: 'step.completed', step: 'name' },
      { type: 'param.set', step: 'greeting', key: 'greeting', value: 'Hello Ada!', source: 'fork', was: 'default' },
      { type: 'step.completed', step: 'greeting' },
    ]);
    const html = await client.page(fork);
    assert.deepEqual(doneSteps(html), ['name', 'greeting']);
    assert.match(html, /All steps are done\./, `finalized=${finalized}: the fork is not finalized`);
    assert.deepEqual(reverts(html), ['name', 'greeting']);
  }
});

test('fork of a trip from a middle step carries lists and nested values with their original sources', async (t) => {
  const client = await Client.open(t);
  const id = await trip(client, '1200');
  const fork = sessionOf(await client.post(`/s/${id}/fork`, { step: 'traveller' }));
  assert.deepEqual((await client.events(fork)).slice(1).map(withoutPlace), [
    { type: 'param.set', step: 'places', key: 'places', value: ['Lisbon', 'Seville'], source: 'fork', was: 'user' },
    { type: 'param.set', step: 'places', key: 'days', value: 5, source: 'fork', was: 'user' },
    { type: 'step.completed', step: 'places' },
    { type: 'param.set', step: 'traveller', key: 'traveller', value: { name: 'Ann', adults: 2, rail: true }, source: 'fork', was: 'user' },
    { type: 'param.set', step: 'traveller', key: 'pace', value: 'slow', source: 'fork', was: 'user' },
    { type: 'step.completed', step: 'traveller' },
  ]);
  const html = await client.page(fork);
  assert.equal(openStep(html), 'budget');
  assert.equal(controlValue(html, 'budget'), '1200');
  assert.equal(controlValue(html, 'notes'), '', 'nothing of the budget step is carried');
});

test('fork with seq=N carries the state as of entry N', async (t) => {
  const client = await Client.open(t);
  const id = await helloWithRevert(client);
  const before = await client.logBytes(id);
  const cases: { seq: number; step?: string; carried: [string, Json][]; open: string }[] = [
    { seq: 1, carried: [], open: 'name' },
    { seq: 2, carried: [], open: 'name' }, // the name was given but not completed yet
    { seq: 3, carried: [['name', 'Ada']], open: 'greeting' },
    { seq: 5, carried: [['name', 'Ada'], ['greeting', 'Hi there']], open: '' },
    { seq: 5, step: 'name', carried: [['name', 'Ada']], open: 'greeting' },
    { seq: 6, carried: [], open: 'name' }, // right after the revert
    { seq: 8, carried: [['name', 'Bob']], open: 'greeting' },
  ];
  for (const { seq, step, carried, open } of cases) {
    const what = `seq=${seq} step=${step}`;
    const fork = sessionOf(await client.post(`/s/${id}/fork`, step ? { seq: String(seq), step } : { seq: String(seq) }));
    const [started, ...rest] = await client.events(fork);
    assert.deepEqual(started.type === 'session.started' && started.forkedFrom, { session: id, seq }, what);
    assert.deepEqual(
      rest.flatMap((e) => (e.type === 'param.set' ? [[e.key, e.value]] : [])),
      carried,
      what,
    );
    assert.ok(rest.every((e) => e.type !== 'param.set' || e.source === 'fork'), what);
    const html = await client.page(fork);
    assert.equal(openStep(html) ?? '', open, what);
    assert.match(html, new RegExp(`up to <a href="/s/${id}/at/${seq}">`), what);
  }
  assert.deepEqual(await client.logBytes(id), before, 'the original log is byte-identical');
});

test('the "Fork from this point" button of a past page forks that point', async (t) => {
  const client = await Client.open(t);
  const id = await helloWithRevert(client);
  const past = await client.html(`/s/${id}/at/3`);
  const [form] = forms(past);
  const fork = sessionOf(await client.post(form.action, form.hidden));
  assert.deepEqual(paramsSet(await client.events(fork), 'name'), [{ value: 'Ada', source: 'fork' }]);
});

test('a fork request naming no such step or a bad entry is refused and creates nothing', async (t) => {
  const client = await Client.open(t);
  const id = await hello(client, 'Ada', null);
  const cases: [Form, number][] = [
    [{ step: 'nope' }, 404],
    [{ seq: 'abc' }, 400],
    [{ seq: '0' }, 400],
    [{ seq: '-2' }, 400],
    [{ seq: '1.5' }, 400],
  ];
  for (const [form, status] of cases) {
    const res = await client.post(`/s/${id}/fork`, form);
    assert.equal(res.status, status, JSON.stringify(form));
    assert.doesNotMatch(await res.text(), /node_modules|\.tsx?:\d/);
  }
  assert.deepEqual(await client.sessionIds(), [id]);
  await assertNotFound(await client.post('/s/AAAAAAAAAAAAAAAAAAAAA/fork'), 'an unknown session');
});

test(
  'forking from an entry past the end of the log is refused (as /at/<seq> is) and creates nothing',
  async (t) => {
    const client = await Client.open(t);
    const id = await hello(client, 'Ada', null);
    const res = await client.post(`/s/${id}/fork`, { seq: '99' });
    assert.equal(res.status, 404);
    assert.deepEqual(await client.sessionIds(), [id]);
  },
);

test(
  'in a fork, a value that was the suggested default is still recomputed when an earlier step changes',
  async (t) => {
    const client = await Client.open(t);
    const id = await hello(client, 'Ada', null);
    for (const copy of [sessionOf(await client.post(`/s/${id}/fork`)), sessionOf(await client.upload(await client.logBytes(id), 'ada.jsonl'))]) {
      await client.act(`/s/${copy}/steps/name/revert`);
      await client.submit(copy, 'name', { name: 'Bob' });
      assert.equal(controlValue(await client.page(copy), 'greeting'), 'Hello Bob!');
    }
  },
);

// =====================================================================================================
// Notes
// =====================================================================================================

test('a note on a step is appended, shown on its card and in the timeline (plain and htmx)', async (t) => {
  const client = await Client.open(t);
  const id = await hello(client, 'Ada');
  const cases: [string, string, Headers][] = [
    ['name', 'chose depth 3 because the site is small', {}], // a done card
    ['greeting', 'ask about <b>tone</b> & "style"', HTMX], // the open card
  ];
  for (const [step, text, headers] of cases) {
    const res = await client.post(`/s/${id}/notes`, { step, text: `  ${text}\n` }, headers);
    if (headers === HTMX) {
      assert.equal(res.status, 200);
      const trail = await res.text();
      assert.match(trail, /^<section id="trail"/);
      assert.deepEqual(cardNotes(trail, step), [text]);
    } else {
      assert.equal(res.status, 303);
      assert.equal(res.headers.get('location'), `/s/${id}`);
    }
    assert.deepEqual(withoutPlace((await client.events(id)).at(-1)!), { type: 'note', step, text }, 'trimmed');
  }
  const html = await client.page(id);
  assert.deepEqual(cardNotes(html, 'name'), [cases[0][1]]);
  assert.deepEqual(cardNotes(html, 'greeting'), [cases[1][1]]);
  assert.doesNotMatch(html, /<b>tone<\/b>/, 'escaped');
  const entries = timelineRows(await client.html(`/s/${id}/history`)).map((r) => r.entry);
  assert.deepEqual(entries.slice(-2), [`Note on Your name: ${cases[0][1]}`, `Note on Greeting: ${cases[1][1]}`]);
  assert.equal(openStep(html), 'greeting', 'a note completes nothing');
});

test('an empty or over-2000-character note is refused with 422 and a message; nothing is appended', async (t) => {
  const client = await Client.open(t);
  const id = await hello(client, 'Ada');
  const refused: [string, string][] = [
    ['', 'A note cannot be empty.'],
    ['   \n\t ', 'A note cannot be empty.'],
    ['x'.repeat(2001), 'A note can be at most 2000 characters.'],
  ];
  for (const [text, message] of refused)
    for (const { mode, headers } of MODES) {
      const before = await client.logBytes(id);
      const res = await client.post(`/s/${id}/notes`, { step: 'name', text }, headers);
      assert.equal(res.status, 422, `${mode} ${text.length}`);
      assert.equal(notice(await res.text()), message, `${mode} ${text.length}`);
      assert.deepEqual(await client.logBytes(id), before, `${mode} ${text.length}: nothing appended`);
    }
  const missing = await client.post(`/s/${id}/notes`, { step: 'name' });
  assert.equal(missing.status, 422, 'no text field at all');
  await assertNotFound(await client.post(`/s/${id}/notes`, { step: 'nope', text: 'hi' }), 'an unknown step');

  // Exactly 2000 characters (after trimming) is accepted.
  await client.act(`/s/${id}/notes`, { step: 'name', text: ` ${'y'.repeat(2000)} ` });
  assert.deepEqual(withoutPlace((await client.events(id)).at(-1)!), { type: 'note', step: 'name', text: 'y'.repeat(2000) });
});

test('a note on a finalized session is allowed and shown on the locked card', async (t) => {
  const client = await Client.open(t);
  const id = await hello(client, 'Ada', null);
  await client.act(`/s/${id}/finalize`);
  await client.act(`/s/${id}/notes`, { step: 'greeting', text: 'sent on Monday' });
  const events = await client.events(id);
  assert.deepEqual(events.slice(-2).map(withoutPlace), [{ type: 'session.finalized' }, { type: 'note', step: 'greeting', text: 'sent on Monday' }]);
  const html = await client.page(id);
  assert.deepEqual(cardNotes(html, 'greeting'), ['sent on Monday']);
  assert.deepEqual(reverts(html), [], 'still locked');
});

// =====================================================================================================
// Workflow versions
// =====================================================================================================

test('a changed workflow file holds its sessions: banner, 409 on submit and revert, then migrate asks the new step', async (t) => {
  const folder = await helloFolder(t);
  const client = await Client.open(t, { workflowsDir: folder.dir });
  const oldVersion = client.ct.engine.workflows.get('hello')!.version;
  const id = await hello(client, 'Ada', null);
  assert.equal(banner(await client.page(id), 'version-changed'), undefined, 'no banner before the change');

  await client.reopen({ beforeOpen: () => folder.write(withMood(folder.original)) });
  const newVersion = client.ct.engine.workflows.get('hello')!.version;
  assert.notEqual(newVersion, oldVersion);
  assert.deepEqual(
    client.ct.engine.workflows.get('hello')!.steps.map((s) => s.id),
    ['name', 'mood', 'greeting'],
  );
  let html = await client.page(id);
  const changed = banner(html, 'version-changed');
  assert.ok(changed, 'the banner');
  assert.match(textOf(changed), new RegExp(`The workflow has changed since this session last ran \\(.*hello\\.ts was edited\\).*\\(Versions: now ${newVersion}, this session ${oldVersion}\\.\\)`));
  assert.deepEqual(
    forms(changed).map((f) => [f.action, f.hidden]),
    [
      [`/s/${id}/migrate`, {}],
      [`/s/${id}/fork`, {}],
    ],
  );

  const before = await client.logBytes(id);
  const MESSAGE = 'The workflow has changed since this session last ran. Continue under the new definition, or fork into a fresh session.';
  const refused: [string, Form][] = [
    [`/s/${id}/steps/mood`, { mood: 'calm' }],
    [`/s/${id}/steps/name/revert`, {}],
    [`/s/${id}/steps/greeting/revert`, {}],
  ];
  for (const [path, form] of refused)
    for (const { mode, headers } of MODES) {
      const res = await client.post(path, form, headers);
      assert.equal(res.status, 409, `${mode} ${path}`);
      assert.equal(notice(await res.text()), MESSAGE, `${mode} ${path}`);
    }
  assert.deepEqual(await client.logBytes(id), before, 'nothing appended while held');

  await client.act(`/s/${id}/migrate`);
  const events = await client.events(id);
  assert.deepEqual(withoutPlace(events.at(-1)!), { type: 'session.migrated', version: newVersion });
  assert.equal(events.length, parseLog(before).length + 1);
  html = await client.page(id);
  assert.equal(banner(html, 'version-changed'), undefined, 'the banner is gone');
  assert.deepEqual(doneSteps(html), ['name', 'greeting']);
  assert.equal(openStep(html), 'mood', 'the new required step is asked for');
  await client.submit(id, 'mood', { mood: 'calm' });
  html = await client.page(id);
  assert.deepEqual(doneSteps(html), ['name', 'mood', 'greeting']);
  assert.match(html, /All steps are done\./);
  assert.ok(timelineRows(await client.html(`/s/${id}/history`)).some((r) => r.entry === `Continued under workflow version ${newVersion}`));

  // Migrating again changes nothing.
  const after = await client.logBytes(id);
  await client.act(`/s/${id}/migrate`);
  assert.deepEqual(await client.logBytes(id), after);
});

test('continuing after a step was removed keeps its values in the log but no longer applies them', async (t) => {
  const folder = await helloFolder(t);
  const client = await Client.open(t, { workflowsDir: folder.dir });
  const id = await hello(client, 'Ada', 'Hi Ada');
  await client.reopen({ beforeOpen: () => folder.write(withoutGreeting(folder.original)) });
  assert.ok(banner(await client.page(id), 'version-changed'));
  await client.act(`/s/${id}/migrate`);

  const html = await client.page(id);
  assert.equal(banner(html, 'version-changed'), undefined);
  assert.deepEqual(doneSteps(html), ['name']);
  assert.doesNotMatch(html, /data-step="greeting"/, 'no card for the removed step');
  assert.deepEqual(paramsSet(await client.events(id), 'greeting'), [{ value: 'Hi Ada', source: 'user' }], 'still in the log');
  const summary = (await (await client.get(`/s/${id}/summary.json`)).json()) as { values: Record<string, unknown>; version: string };
  assert.deepEqual(summary.values, { name: { name: 'Ada' } });
  assert.equal(summary.version, client.ct.engine.workflows.get('hello')!.version);
});

test('"Fork into a fresh session" from the changed-workflow banner starts under the new definition; the old log is untouched', async (t) => {
  const folder = await helloFolder(t);
  const client = await Client.open(t, { workflowsDir: folder.dir });
  const id = await hello(client, 'Ada', 'Hi Ada');
  await client.reopen({ beforeOpen: () => folder.write(withMood(folder.original)) });
  const before = await client.logBytes(id);
  const [, forkForm] = forms(banner(await client.page(id), 'version-changed') ?? '');
  assert.equal(forkForm.action, `/s/${id}/fork`);

  const fork = sessionOf(await client.post(forkForm.action, forkForm.hidden));
  assert.deepEqual(await client.logBytes(id), before);
  const [started, ...rest] = await client.events(fork);
  assert.equal(started.type === 'session.started' && started.version, client.ct.engine.workflows.get('hello')!.version);
  assert.deepEqual(
    rest.flatMap((e) => (e.type === 'param.set' ? [[e.key, e.value, e.source]] : [])),
    [
      ['name', 'Ada', 'fork'],
      ['greeting', 'Hi Ada', 'fork'],
    ],
  );
  const html = await client.page(fork);
  assert.equal(banner(html, 'version-changed'), undefined);
  assert.equal(openStep(html), 'mood');
  await client.submit(fork, 'mood', { mood: 'cheerful' });
  assert.match(await client.page(fork), /All steps are done\./);
  assert.ok(banner(await client.page(id), 'version-changed'), 'the original is still held');
});

// =====================================================================================================
// Export and import
// =====================================================================================================

test('GET log.jsonl is the log byte for byte as an attachment; GET summary.json has the values', async (t) => {
  const client = await Client.open(t);
  const id = await trip(client, '900');
  await client.act(`/s/${id}/notes`, { step: 'budget', text: 'ü ñ 😀 multi-byte text' });
  const res = await client.get(`/s/${id}/log.jsonl`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-disposition'), `attachment; filename="trip-${id}.jsonl"`);
  assert.match(res.headers.get('content-type') ?? '', /^application\/x-ndjson/);
  assert.deepEqual(Buffer.from(await res.arrayBuffer()), await client.logBytes(id));

  const summaryRes = await client.get(`/s/${id}/summary.json`);
  assert.equal(summaryRes.status, 200);
  assert.equal(summaryRes.headers.get('content-disposition'), `attachment; filename="trip-${id}.json"`);
  const summary = (await summaryRes.json()) as Record<string, unknown>;
  assert.deepEqual(summary.values, {
    places: { places: ['Lisbon', 'Seville'], days: 5 },
    traveller: { traveller: { name: 'Ann', adults: 2, rail: true }, pace: 'slow' },
    budget: { budget: 900, notes: 'pack light' },
  });
  const events = await client.events(id);
  assert.equal(summary.session, id);
  assert.equal(summary.workflow, 'trip');
  assert.equal(summary.lastSeq, events.length);
  assert.equal(summary.finalized, false);
  assert.equal(summary.forkedFrom, null);
  assert.deepEqual((summary.notes as Record<string, { text: string }[]>).budget.map((n) => n.text), ['ü ñ 😀 multi-byte text']);
  for (const path of ['log.jsonl', 'summary.json']) await assertNotFound(await client.get(`/s/AAAAAAAAAAAAAAAAAAAAA/${path}`), path);
});

test('POST /import of an exported log starts a new session with its values (source import) and its origin', async (t) => {
  const client = await Client.open(t);
  const id = await hello(client, 'Ada', 'Hi Ada');
  await client.act(`/s/${id}/steps/greeting/revert`); // the greeting is not a current value any more, only a draft
  const exported = Buffer.from(await (await client.get(`/s/${id}/log.jsonl`)).arrayBuffer());
  const rows = client.catalogCount();

  const imported = sessionOf(await client.upload(exported, `hello-${id}.jsonl`));
  assert.deepEqual(await client.logBytes(id), exported, 'the original is untouched');
  assert.equal(client.catalogCount(), rows + 1);
  const events = await client.events(imported);
  assert.deepEqual(events.map(withoutPlace), [
    { type: 'session.started', workflow: 'hello', version: client.ct.engine.workflows.get('hello')!.version, forkedFrom: { file: `hello-${id}.jsonl`, seq: 6 } },
    { type: 'param.set', step: 'name', key: 'name', value: 'Ada', source: 'import', was: 'user' },
    { type: 'step.completed', step: 'name' },
    { type: 'param.set', step: 'greeting', key: 'greeting', value: 'Hi Ada', source: 'import', was: 'user' },
  ]);
  const html = await client.page(imported);
  assert.match(html, new RegExp(`imported from the file hello-${id}\\.jsonl`));
  assert.equal(openStep(html), 'greeting');
  assert.equal(controlValue(html, 'greeting'), 'Hi Ada', 'the reopened step is pre-filled as it was');
  assert.ok(listed(await client.html('/')).includes(imported), 'listed on the home page');
});

/** Ways an uploaded file can be wrong, made from a good exported log, and what the refusal must say. */
function badImports(good: Buffer, version: string): { name: string; bytes: Buffer | string; file: string; reason: RegExp }[] {
  const lines = linesOf(good);
  const swapped = [...lines];
  [swapped[2], swapped[3]] = [swapped[3], swapped[2]];
  const tampered = [...lines];
  tampered[1] = tampered[1].replace('"value":"Ada"', '"value":"Eve"');
  assert.notEqual(tampered[1], lines[1]);
  const cut = good.subarray(0, good.length - Math.floor(lines.at(-1)!.length / 2));
  const base: NewEvent = { type: 'session.started', workflow: 'nope', version: 'x', forkedFrom: null };
  return [
    { name: 'truncated mid-line', bytes: cut, file: 'cut.jsonl', reason: new RegExp(`cut.jsonl was not imported: line ${lines.length} is cut off`) },
    { name: 'two lines swapped', bytes: swapped.join(''), file: 'swapped.jsonl', reason: /swapped\.jsonl was not imported: line 3: seq is 4, expected 3/ },
    { name: 'a value changed', bytes: tampered.join(''), file: 'tampered.jsonl', reason: /tampered\.jsonl was not imported: line 2 was altered after it was written/ },
    { name: 'not JSON', bytes: 'This is not a log.\nIt is a letter.\n', file: 'letter.txt', reason: /letter\.txt was not imported: line 1: not JSON/ },
    { name: 'a JSON file that is no log', bytes: '{"name":"cardtrail"}\n{"a":1}\n', file: 'package.json', reason: /package\.json was not imported: line 1: seq is undefined, expected 1/ },
    { name: 'missing its first line', bytes: lines.slice(1).join(''), file: 'headless.jsonl', reason: /headless\.jsonl was not imported: line 1: seq is 2, expected 1/ },
    { name: 'an empty upload', bytes: '', file: 'empty.jsonl', reason: /^Choose a log file to import\.$/ },
    {
      name: 'a log of an unknown workflow',
      bytes: chained([base, { type: 'param.set', step: 'a', key: 'a', value: 1, source: 'user' }, { type: 'step.completed', step: 'a' }]),
      file: 'nope.jsonl',
      reason: /nope\.jsonl was not imported: its workflow "nope" is not installed here\./,
    },
    {
      name: 'a chained log whose values break the workflow (a name of 200 characters, over its 100)',
      bytes: chained([
        { type: 'session.started', workflow: 'hello', version, forkedFrom: null },
        { type: 'param.set', step: 'name', key: 'name', value: 'A'.repeat(200), source: 'user' },
        { type: 'step.completed', step: 'name' },
      ]),
      file: 'long.jsonl',
      reason: /long\.jsonl was not imported: its values do not pass this workflow's checks \(step "Your name", name: Name must be at most 100 characters\.\)/,
    },
    {
      name: 'a chained log that does not fold (session.started twice)',
      bytes: chained([{ type: 'session.started', workflow: 'hello', version, forkedFrom: null }, { type: 'session.started', workflow: 'hello', version, forkedFrom: null }]),
      file: 'twice.jsonl',
      reason: /twice\.jsonl was not imported: session\.started appears again at seq 2/,
    },
  ];
}

test('imports of cut-off, reordered, altered, non-log, empty and unknown-workflow files are refused with 422 and write nothing', async (t) => {
  const client = await Client.open(t);
  const id = await hello(client, 'Ada', null);
  const good = await client.logBytes(id);
  const sessions = await client.sessionIds();
  const rows = client.catalogCount();
  for (const c of badImports(good, client.ct.engine.workflows.get('hello')!.version)) {
    const res = await client.upload(c.bytes, c.file);
    assert.equal(res.status, 422, c.name);
    const html = await res.text();
    assert.match(html, /<h1>Start a workflow<\/h1>/, `${c.name}: the home page`);
    assert.match(notice(html), c.reason, `${c.name}: ${notice(html)}`);
    assert.deepEqual(await client.sessionIds(), sessions, `${c.name}: no session folder`);
    assert.equal(client.catalogCount(), rows, `${c.name}: no catalog row`);
  }
  // No file at all, and a form that is not multipart.
  for (const init of [{ method: 'POST', body: new FormData() }, { method: 'POST', body: new URLSearchParams({ log: 'x' }) }]) {
    const res = await client.request('/import', init);
    assert.equal(res.status, 422);
    assert.equal(notice(await res.text()), 'Choose a log file to import.');
  }
  assert.deepEqual(await client.sessionIds(), sessions);
  assert.deepEqual(await client.logBytes(id), good);
});

// =====================================================================================================
// The session list: filters, archive, delete
// =====================================================================================================

test('the session list filters by workflow and status', async (t) => {
  const client = await Client.open(t);
  const open = await hello(client, 'Ada');
  const finalized = await hello(client, 'Bob', null);
  await client.act(`/s/${finalized}/finalize`);
  const archived = await client.start('trip');
  await client.act(`/s/${archived}/archive`);
  const archivedFinal = await hello(client, 'Cy', null);
  await client.act(`/s/${archivedFinal}/finalize`);
  await client.act(`/s/${archivedFinal}/archive`);
  const tripOpen = await client.start('trip');

  const cases: [string, string[]][] = [
    ['/', [open, finalized, tripOpen]],
    ['/?status=active', [open, finalized, tripOpen]],
    ['/?status=open', [open, tripOpen]],
    ['/?status=finalized', [finalized]],
    ['/?status=archived', [archived, archivedFinal]],
    ['/?status=all', [open, finalized, archived, archivedFinal, tripOpen]],
    ['/?status=bogus', [open, finalized, tripOpen]],
    ['/?workflow=hello', [open, finalized]],
    ['/?workflow=trip', [tripOpen]],
    ['/?workflow=trip&status=archived', [archived]],
    ['/?workflow=hello&status=all', [open, finalized, archivedFinal]],
    ['/?workflow=hello&status=open', [open]],
    ['/?workflow=nope&status=all', []],
    ['/?workflow=&status=all', [open, finalized, archived, archivedFinal, tripOpen]],
  ];
  for (const [path, ids] of cases) {
    const html = await client.html(path);
    assert.deepEqual(listed(html), [...ids].sort(), path);
    if (!ids.length) assert.match(html, /No sessions match\./, path);
  }
  const html = await client.html('/?workflow=trip&status=archived');
  assert.match(html, /<option value="trip" selected="">/);
  assert.match(html, /<option value="archived" selected="">/);
});

test('archive hides a session from the default list and shows it under Archived; unarchive brings it back', async (t) => {
  const client = await Client.open(t);
  const id = await hello(client, 'Ada');
  const other = await client.start('trip');

  let res = await client.act(`/s/${id}/archive`, { back: 'home' });
  assert.equal(res.headers.get('location'), '/?notice=archived');
  let html = await client.html(res.headers.get('location')!);
  assert.deepEqual(listed(html), [other]);
  assert.match(html, /The session was archived/);
  assert.deepEqual(listed(await client.html('/?status=archived')), [id]);
  assert.equal((await client.events(id)).at(-1)?.type, 'session.archived');

  // The session itself still opens, says it is archived and can still be worked on.
  const page = await client.page(id);
  assert.ok(banner(page, 'archived'));
  assert.equal(openStep(page), 'greeting');
  // Archiving twice appends nothing.
  const before = await client.logBytes(id);
  await client.act(`/s/${id}/archive`);
  assert.deepEqual(await client.logBytes(id), before);

  res = await client.act(`/s/${id}/unarchive`);
  assert.equal(res.headers.get('location'), `/s/${id}`);
  assert.equal((await client.events(id)).at(-1)?.type, 'session.unarchived');
  assert.equal(banner(await client.page(id), 'archived'), undefined);
  assert.deepEqual(listed(await client.html('/')), [id, other].sort());
  assert.deepEqual(listed(await client.html('/?status=archived')), []);

  // The catalog agrees after a restart.
  await client.act(`/s/${other}/archive`);
  await client.reopen();
  assert.deepEqual(listed(await client.html('/')), [id]);
  assert.deepEqual(listed(await client.html('/?status=archived')), [other]);
});

test('delete asks first, then moves the session folder to <data>/trash/<id>-<time>/ with its log intact', async (t) => {
  const client = await Client.open(t);
  const id = await hello(client, 'Ada', null);
  const keep = await client.start('trip');
  const log = await client.logBytes(id);

  const confirm = await client.html(`/s/${id}/delete`);
  assert.match(confirm, /<h1>Delete this session\?<\/h1>/);
  assert.ok(textOf(confirm).includes(join(client.dir, 'trash')), 'names the trash folder');
  assert.deepEqual(
    forms(confirm).map((f) => f.action),
    [`/s/${id}/delete`],
  );
  assert.match(confirm, new RegExp(`<a href="/s/${id}" role="button"[^>]*>Cancel</a>`));
  assert.deepEqual(await client.sessionIds(), [id, keep].sort(), 'asking deletes nothing');

  const res = await client.act(`/s/${id}/delete`);
  assert.equal(res.headers.get('location'), '/?notice=deleted');
  assert.deepEqual(await client.sessionIds(), [keep]);
  const trashed = await readdir(join(client.dir, 'trash'));
  assert.equal(trashed.length, 1);
  assert.match(trashed[0], new RegExp(`^${escapeRe(id)}-\\d{4}-\\d\\d-\\d\\dT[\\d-]+Z$`));
  assert.deepEqual(await readFile(join(client.dir, 'trash', trashed[0], 'log.jsonl')), log, 'the log is intact in the trash');

  assert.match(await client.html('/?notice=deleted'), /moved to the trash folder/);
  for (const path of ['/', '/?status=all']) assert.deepEqual(listed(await client.html(path)), [keep], path);
  for (const path of [`/s/${id}`, `/s/${id}/history`, `/s/${id}/at/1`, `/s/${id}/delete`, `/s/${id}/log.jsonl`])
    await assertNotFound(await client.get(path), path);
  assert.equal((await client.post(`/s/${id}/delete`)).status, 404, 'deleting again');

  // A restart does not bring it back.
  await client.reopen();
  assert.deepEqual(listed(await client.html('/?status=all')), [keep]);
  await assertNotFound(await client.get(`/s/${id}`), 'after a restart');
  assert.ok((await stat(join(client.dir, 'trash', trashed[0]))).isDirectory());
});

test('two deletions land in two trash folders, also when the trash folder already exists', async (t) => {
  const client = await Client.open(t);
  const ids = [await client.start('hello'), await client.start('hello')];
  await mkdir(join(client.dir, 'trash'), { recursive: true });
  for (const id of ids) await client.act(`/s/${id}/delete`);
  const trashed = (await readdir(join(client.dir, 'trash'))).sort();
  assert.deepEqual(
    trashed.map((name) => name.slice(0, 21)).sort(),
    [...ids].sort(),
  );
  assert.deepEqual(await client.sessionIds(), []);
});

test('a session whose workflow is no longer installed keeps its log: a plain page offers download and delete, and both work', async (t) => {
  const folder = await helloFolder(t);
  const client = await Client.open(t, { workflowsDir: folder.dir });
  const id = await hello(client, 'Ada', null);
  await client.reopen({ beforeOpen: () => rm(join(folder.dir, 'hello.ts')) });

  const page = await client.ct.app.request(`/s/${id}`);
  assert.equal(page.status, 404);
  const html = await page.text();
  assert.match(html, /belongs to the workflow &quot;hello&quot;, which is not installed here/);
  assert.ok(html.includes(`href="/s/${id}/log.jsonl"`) && html.includes(`href="/s/${id}/delete"`), 'download and delete are offered');
  const log = await client.ct.app.request(`/s/${id}/log.jsonl`);
  assert.equal(log.status, 200);
  assert.deepEqual(Buffer.from(await log.arrayBuffer()), await client.logBytes(id));
  assert.equal((await client.ct.app.request(`/s/${id}/delete`)).status, 200, 'the confirmation page');
  assert.equal((await client.ct.app.request(`/s/${id}/archive`, { method: 'POST' })).status, 303, 'archive works');
  assert.equal((await client.ct.app.request(`/s/${id}/delete`, { method: 'POST' })).status, 303, 'delete works');
  assert.deepEqual(await client.sessionIds(), []);
});
