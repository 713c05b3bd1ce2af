// The stale-tab decision (app/engine/stale.ts) on its own: events in, a verdict out, no disk and no server.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isOutdated, positionOf, upTo } from '../app/engine/stale.ts';
import { EngineError } from '../app/engine/errors.ts';
import type { LogEvent, NewEvent } from '../app/log/events.ts';

const STEPS = [{ id: 'name' }, { id: 'greeting' }, { id: 'extra' }];
let seq = 10;
const at = (e: NewEvent): LogEvent => ({ ...e, seq: ++seq, at: '2026-01-01T00:00:00.000Z', hash: 'h' }) as LogEvent;

test('a page rendered at the current position, or sent without a position, is never out of date', () => {
  assert.equal(isOutdated(7, 7, [], () => true), false);
  assert.equal(isOutdated(undefined, 7, [at({ type: 'step.reverted', step: 'name' })], () => true), false);
});

test('a position the log has not reached is not a page of this log', () => {
  assert.equal(isOutdated(8, 7, [], () => true), true);
});

test('the issue case: a greeting form from before the name was reverted and given anew is out of date', () => {
  const later = [
    at({ type: 'step.reverted', step: 'name' }),
    at({ type: 'param.set', step: 'name', key: 'name', value: 'Bob', source: 'user' }),
    at({ type: 'step.completed', step: 'name' }),
  ];
  assert.equal(isOutdated(3, 6, later, upTo(STEPS, 'greeting')), true);
});

test('changes to later steps do not outdate an earlier step, and notes or archiving outdate nothing', () => {
  const later = [
    at({ type: 'param.set', step: 'extra', key: 'x', value: 1, source: 'user' }),
    at({ type: 'step.completed', step: 'extra' }),
    at({ type: 'job.failed', step: 'extra', job: 'j', error: 'no' }),
    at({ type: 'note', step: 'name', text: 'why' }),
    at({ type: 'note', step: null, text: 'session note' }),
    at({ type: 'session.archived' }),
    at({ type: 'session.unarchived' }),
  ];
  assert.equal(isOutdated(3, 3 + later.length, later, upTo(STEPS, 'greeting')), false);
  assert.equal(isOutdated(3, 3 + later.length, later, upTo(STEPS, 'extra')), true, 'but they outdate that step itself');
});

test('each kind of step entry outdates the steps that depend on it', () => {
  const kinds: NewEvent[] = [
    { type: 'param.set', step: 'name', key: 'name', value: 'x', source: 'user' },
    { type: 'step.completed', step: 'name' },
    { type: 'step.reverted', step: 'name' },
    { type: 'job.started', step: 'name', job: 'j' },
    { type: 'job.finished', step: 'name', job: 'j' },
    { type: 'job.cancelled', step: 'name', job: 'j' },
    { type: 'job.interrupted', step: 'name', job: 'j' },
  ];
  for (const e of kinds) {
    assert.equal(isOutdated(1, 2, [at(e)], upTo(STEPS, 'greeting')), true, e.type);
    assert.equal(isOutdated(1, 2, [at({ ...e, step: 'extra' } as NewEvent)], upTo(STEPS, 'greeting')), false, `${e.type} of a later step`);
  }
});

test('a new definition or a change of lock outdates every page', () => {
  for (const e of [{ type: 'session.migrated', version: 'v2' }, { type: 'session.finalized' }, { type: 'session.unfinalized' }] as NewEvent[])
    assert.equal(isOutdated(1, 2, [at(e)], () => false), true, e.type);
});

test('a form position is an entry number or nothing', () => {
  assert.equal(positionOf(undefined), undefined);
  assert.equal(positionOf('12'), 12);
  assert.equal(positionOf(['5', '9']), 5);
  for (const bad of ['', '-1', '1e3', 'abc', '9'.repeat(16), '<script>'])
    assert.throws(() => positionOf(bad), (err) => err instanceof EngineError && err.status === 400, bad);
});
