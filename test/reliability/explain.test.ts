// Every kind of failure has its own status, title and sentence, and only the unexpected ones get a stack.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { conflict } from '../../app/engine/errors.ts';
import { asDiskFault, LinkRefused } from '../../app/log/disk.ts';
import { FoldError } from '../../app/log/fold.ts';
import { LogNotAFile, LogStopped } from '../../app/log/store.ts';
import { explain } from '../../app/routes/explain.ts';

const errno = (code: string) => Object.assign(new Error(`${code}: failed`), { code, syscall: 'write', path: '/d/sessions/x/log.jsonl' });

test('each kind of failure is explained with its own status and words; only the unexpected get a stack', () => {
  const cases = [
    { err: conflict('Not the open step.'), status: 409, title: /Not possible now/, message: /Not the open step/ },
    { err: asDiskFault(errno('ENOSPC'), '/d'), status: 507, title: /full/, message: /^The data folder \/d is full.*nothing was written/, terminal: /ENOSPC write/ },
    { err: asDiskFault(errno('EDQUOT'), '/d'), status: 507, title: /full/, message: /is full/ },
    { err: asDiskFault(errno('EROFS'), '/d'), status: 503, title: /read-only/, message: /^The data folder \/d is read-only/ },
    { err: asDiskFault(errno('EACCES'), '/d'), status: 503, title: /may not be written/, message: /permission denied/ },
    { err: Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }), status: 507, title: /full/, message: /reload the page to see what was recorded/ },
    { err: Object.assign(new Error('attempt to write a readonly database'), { code: 'SQLITE_READONLY' }), status: 503, title: /read-only/, message: /read-only/ },
    { err: new LinkRefused('/d/sessions/x/log.jsonl'), status: 403, title: /link/, message: /is a symbolic link/, terminal: /symbolic link/ },
    { err: new LogStopped({ line: 3, kind: 'damaged', reason: 'not JSON' }), status: 409, title: /Read-only/, message: /cannot be read past line 3 \(not JSON\)/ },
    { err: new LogStopped({ line: 4, kind: 'unknown', reason: 'type "x"' }), status: 409, title: /Read-only/, message: /does not know \(type "x"\)/ },
    { err: new FoldError('the log does not begin with session.started'), status: 409, title: /Unreadable/, message: /empty, or its first line is damaged/ },
    { err: new LogNotAFile('x', '/d/sessions/x/log.jsonl', 'a folder'), status: 409, title: /not a file/, message: /^This session's log, \/d\/sessions\/x\/log\.jsonl, is a folder, not a file.*move the session to the trash/ },
  ];
  for (const c of cases) {
    const e = explain(c.err);
    assert.equal(e.status, c.status, String(c.err));
    assert.match(e.title, c.title);
    assert.match(e.message, c.message);
    if (c.terminal) assert.match(e.terminal ?? '', c.terminal);
    assert.equal(e.stack, undefined, `${String(c.err)} is known: no stack`);
  }
  const surprise = explain(new TypeError('x is undefined'));
  assert.equal(surprise.status, 500);
  assert.equal(surprise.stack, true);
  assert.doesNotMatch(surprise.message, /x is undefined/, 'the page never shows an unexpected error’s own text');
  // An error that is not a disk failure passes asDiskFault unchanged.
  const other = errno('EEXIST');
  assert.equal(asDiskFault(other, '/d'), other);
});
