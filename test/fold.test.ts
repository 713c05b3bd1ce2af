import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Json, LogEvent, NewEvent } from '../app/log/events.ts';
import { fold, FoldError, type SessionState } from '../app/log/fold.ts';

/** Numbers events as the log would: seq 1.. and one second apart. */
function log(...events: NewEvent[]): LogEvent[] {
  return events.map((e, i) => ({ seq: i + 1, at: new Date(Date.UTC(2024, 0, 1, 0, 0, i)).toISOString(), hash: `h${i + 1}`, ...e }) as LogEvent);
}

const start: NewEvent = { type: 'session.started', workflow: 'three', version: 'abc123', forkedFrom: { session: 'parent', seq: 4 } };
const set = (step: string, key: string, value: Json, source: 'user' | 'default' = 'user'): NewEvent => ({ type: 'param.set', step, key, value, source });
const complete = (step: string): NewEvent => ({ type: 'step.completed', step });
const revert = (step: string): NewEvent => ({ type: 'step.reverted', step });

/** Steps a, b and c, each with one value, all completed: seqs 1..7. */
const THREE_DONE: NewEvent[] = [start, set('a', 'x', 1), complete('a'), set('b', 'y', [2, 3]), complete('b'), set('c', 'z', { n: 4 }), complete('c')];

/** A step's values without their provenance. */
const valuesOf = (state: SessionState, where: 'values' | 'drafts') =>
  Object.fromEntries(Object.entries(state[where]).map(([step, params]) => [step, Object.fromEntries(Object.entries(params).map(([k, p]) => [k, p.value]))]));

test('a lone session.started folds to an empty session carrying the start’s fields', () => {
  const [first] = log(start);
  const state = fold([first]);
  const keys = ['workflow', 'version', 'forkedFrom', 'startedAt', 'updatedAt', 'lastSeq', 'completed', 'values', 'drafts', 'finalized', 'notes', 'jobs'] as const;
  assert.deepEqual(Object.fromEntries(keys.map((k) => [k, state[k]])), {
    workflow: 'three',
    version: 'abc123',
    forkedFrom: { session: 'parent', seq: 4 },
    startedAt: first.at,
    updatedAt: first.at,
    lastSeq: 1,
    completed: [],
    values: {},
    drafts: {},
    finalized: false,
    notes: {},
    jobs: {},
  });
});

test('fold up to seq N is the state the log had at N', () => {
  const expected: [number, string[]][] = [
    [1, []],
    [2, []],
    [3, ['a']],
    [5, ['a', 'b']],
    [7, ['a', 'b', 'c']],
  ];
  const events = log(...THREE_DONE, revert('b'));
  expected.push([8, ['a']]);
  for (const [n, completed] of expected) {
    const state = fold(events, n);
    assert.equal(state.lastSeq, n);
    assert.equal(state.updatedAt, events[n - 1].at);
    assert.deepEqual(state.completed, completed, `completed at seq ${n}`);
    assert.deepEqual(state, fold(events.slice(0, n)), `fold(events, ${n}) equals folding the first ${n} events`);
  }
  assert.deepEqual(fold(events, 100), fold(events));
});

test('step.completed snapshots the drafts into values; later drafts do not change them', () => {
  const state = fold(log(start, set('a', 'x', 'first'), set('a', 'x', 'second', 'default'), complete('a'), set('a', 'x', 'third')));
  assert.deepEqual(state.values.a.x, { value: 'second', source: 'default', seq: 3 });
  assert.deepEqual(state.drafts.a.x, { value: 'third', source: 'user', seq: 5 });
  assert.deepEqual(state.completed, ['a']);
});

test('reverting a step drops it and every step completed after it from completed and values, but keeps the drafts', () => {
  const cases: { step: string; completed: string[] }[] = [
    { step: 'a', completed: [] },
    { step: 'b', completed: ['a'] },
    { step: 'c', completed: ['a', 'b'] },
  ];
  const allDrafts = { a: { x: 1 }, b: { y: [2, 3] }, c: { z: { n: 4 } } };
  for (const { step, completed } of cases) {
    const state = fold(log(...THREE_DONE, revert(step)));
    assert.deepEqual(state.completed, completed, `revert ${step}`);
    assert.deepEqual(Object.keys(state.values).sort(), completed, `values after reverting ${step}`);
    assert.deepEqual(valuesOf(state, 'drafts'), allDrafts, `drafts after reverting ${step}`);
    assert.equal(state.lastSeq, 8);
  }
});

test('a reverted step completed again comes back with its new values; reverting an open step changes nothing', () => {
  const events = log(start, set('a', 'x', 1), complete('a'), revert('a'), set('a', 'x', 2), complete('a'), revert('b'));
  const state = fold(events);
  assert.deepEqual(state.completed, ['a']);
  assert.deepEqual(valuesOf(state, 'values'), { a: { x: 2 } });
  const { lastSeq, updatedAt, ...rest } = state;
  const { lastSeq: l6, updatedAt: u6, ...before } = fold(events, 6);
  assert.deepEqual(rest, before);
  assert.deepEqual([lastSeq, l6], [7, 6]);
});

test('finalize and unfinalize toggle finalized', () => {
  const events = log(start, { type: 'session.finalized' }, { type: 'session.unfinalized' }, { type: 'session.finalized' });
  assert.deepEqual(
    [1, 2, 3, 4].map((n) => fold(events, n).finalized),
    [false, true, false, true],
  );
});

test('notes gather by step, in order, with their time and seq; a note on no step is kept under ""', () => {
  const events = log(start, { type: 'note', step: 'a', text: 'one' }, { type: 'note', step: null, text: 'general' }, { type: 'note', step: 'a', text: 'two' });
  assert.deepEqual(fold(events).notes, {
    a: [
      { text: 'one', at: events[1].at, seq: 2 },
      { text: 'two', at: events[3].at, seq: 4 },
    ],
    '': [{ text: 'general', at: events[2].at, seq: 3 }],
  });
});

test('job events set jobs[step].status to the latest lifecycle event', () => {
  const statuses = [
    ['job.started', 'running'],
    ['job.finished', 'finished'],
    ['job.failed', 'failed'],
    ['job.cancelled', 'cancelled'],
    ['job.interrupted', 'interrupted'],
  ] as const;
  for (const [type, status] of statuses) {
    const events = log(start, { type: 'job.started', step: 'a', job: 'j1' }, { type, step: 'a', job: 'j2', error: type === 'job.failed' ? 'boom' : undefined });
    assert.deepEqual(fold(events).jobs, {
      a: { job: 'j2', status, ...(type === 'job.failed' && { error: 'boom' }), seq: 3, at: events[2].at },
    });
  }
  const reverted = log(start, set('a', 'x', 1), complete('a'), { type: 'job.finished', step: 'a', job: 'j' }, revert('a'));
  assert.deepEqual(fold(reverted, 4).jobs.a?.status, 'finished');
  assert.deepEqual(fold(reverted).jobs, {}, 'reverting a step forgets its job');
});

test('fold throws FoldError for an empty log, a log not starting with session.started, or a second start', () => {
  const bad: [string, LogEvent[]][] = [
    ['empty', []],
    ['starts with param.set', log(set('a', 'x', 1), start)],
    ['starts with a note', log({ type: 'note', step: null, text: 'hi' })],
    ['two starts', log(start, set('a', 'x', 1), start)],
  ];
  for (const [name, events] of bad) assert.throws(() => fold(events), FoldError, name);
});

test('fold is pure: the same events give deepEqual states, and the events are not changed', () => {
  const events = log(
    ...THREE_DONE,
    revert('b'),
    { type: 'session.finalized' },
    { type: 'note', step: 'b', text: 'n' },
    { type: 'job.failed', step: 'a', job: 'j', error: 'e' },
  );
  const copy = structuredClone(events);
  const once = fold(events);
  const twice = fold(events);
  assert.deepEqual(once, twice);
  assert.notEqual(once, twice);
  assert.deepEqual(events, copy);
  // Deeply frozen events: any write to them inside fold would throw.
  const frozen = structuredClone(events);
  deepFreeze(frozen);
  assert.deepEqual(fold(frozen), once);
  // Changing one state does not reach the next fold.
  once.completed.push('z');
  once.values.a.x.seq = -1;
  assert.deepEqual(fold(events), twice);
});

function deepFreeze(value: unknown): void {
  if (typeof value !== 'object' || value === null) return;
  for (const v of Object.values(value)) deepFreeze(v);
  Object.freeze(value);
}

test('advance(fold(head), tail) is fold(all), and leaves the state it advanced from as it was (random logs)', async () => {
  const fc = (await import('fast-check')).default;
  const step = fc.constantFrom('a', 'b', 'c');
  const event: import('fast-check').Arbitrary<NewEvent> = fc.oneof(
    fc.record({ step, key: fc.constantFrom('x', 'y'), value: fc.jsonValue({ maxDepth: 2 }) }).map(({ step, key, value }) => set(step, key, value as Json)),
    step.map(complete),
    step.map(revert),
    fc.record({ step: fc.option(step, { nil: null }), text: fc.string({ minLength: 1 }) }).map(({ step, text }): NewEvent => ({ type: 'note', step, text })),
    fc.record({ step, job: fc.constantFrom('j1', 'j2') }).map(({ step, job }): NewEvent => ({ type: 'job.started', step, job })),
    fc.record({ step, job: fc.constantFrom('j1', 'j2') }).map(({ step, job }): NewEvent => ({ type: 'job.failed', step, job, error: 'boom' })),
    fc.constantFrom<NewEvent>({ type: 'session.finalized' }, { type: 'session.unfinalized' }, { type: 'session.archived' }, { type: 'session.titled', title: 'T' }, { type: 'session.titled', title: '' }),
  );
  const { advance } = await import('../app/log/fold.ts');
  fc.assert(
    fc.property(fc.array(event, { maxLength: 40 }), fc.nat(), (events, cut) => {
      const all = log(start, ...events);
      const at = 1 + (cut % all.length);
      const head = fold(all.slice(0, at));
      const before = structuredClone(head);
      const advanced = advance(head, all.slice(at));
      assert.deepEqual(advanced, fold(all), 'advancing gives what folding everything gives');
      assert.deepEqual(head, before, 'the state advanced from is unchanged');
    }),
    { numRuns: 500 },
  );
});
