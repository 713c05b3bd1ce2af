import assert from 'node:assert/strict';
import { test } from 'node:test';
import { idsAsArguments } from '../app/cli/resolve.ts';
import { newSessionId, SESSION_ID } from '../app/log/names.ts';

test('a new session id has the id shape and never begins with "-"', () => {
  // One nanoid in 64 begins with "-": 20,000 draws hit that case about 300 times.
  for (let i = 0; i < 20_000; i++) {
    const id = newSessionId();
    assert.match(id, SESSION_ID);
    assert.ok(!id.startsWith('-'), id);
  }
});

test('words of the id shape that begin with "-" are moved behind "--"; options and their values stay', () => {
  const options = { data: { type: 'string' }, force: { type: 'boolean' } } as const;
  const id = '-9pu3lhareQSXew7WCUSJ';
  assert.deepEqual(idsAsArguments([id, '--data', 'd'], options), ['--data', 'd', '--', id]);
  assert.deepEqual(idsAsArguments(['--force', id], options), ['--force', '--', id]);
  assert.deepEqual(idsAsArguments(['--data', id], options), ['--data', id], 'the value of --data');
  assert.deepEqual(idsAsArguments([id, '--', 'more'], options), ['--', id, 'more'], 'before words already behind "--"');
  assert.deepEqual(idsAsArguments(['--', id], options), ['--', id], 'already an argument');
  assert.deepEqual(idsAsArguments(['abc', '-x'], options), ['abc', '-x'], 'nothing of the id shape: unchanged');
  assert.deepEqual(idsAsArguments(['-abc'], options), ['-abc'], 'too short for an id');
});
