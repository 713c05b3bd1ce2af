import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { STATEMENTS, type Op } from './writes.ts';

/**
 * The thread's whole program, plain JavaScript so that it runs the same whether the server runs from its
 * TypeScript sources or a compiled copy (a worker gets no TypeScript loader). It knows no catalog: it opens the
 * file, prepares the statements it is given, runs every op it is sent inside one transaction, and commits when
 * told that the ops are the last. Closing without the commit rolls everything back.
 */
const PROGRAM = `
const { parentPort, workerData } = require('node:worker_threads');
let db, statements, failed = false;
try {
  const Database = require(workerData.sqlite);
  db = new Database(workerData.path, { timeout: 5000 });
  db.pragma('synchronous = NORMAL');
  statements = Object.fromEntries(Object.entries(workerData.statements).map(([name, sql]) => [name, db.prepare(sql)]));
  db.exec('BEGIN IMMEDIATE');
} catch (err) {
  fail(err);
}
function fail(err) {
  failed = true;
  try { db && db.close(); } catch {}
  parentPort.postMessage({ error: String(err && err.message || err) });
}
parentPort.on('message', (message) => {
  if (failed) return;
  try {
    const { ops, last } = JSON.parse(message);
    for (const [name, ...params] of ops) statements[name].run(...params);
    if (!last) return;
    db.exec('COMMIT');
    db.close();
    parentPort.postMessage({ committed: true });
  } catch (err) {
    fail(err);
  }
});
`;

const sqlite = createRequire(import.meta.url).resolve('better-sqlite3');

/**
 * Writes a large batch on a second thread, in one transaction of its own connection, while the main thread goes
 * on producing it (start-up's reading and folding of every log). Ops are sent as they come; `finish` sends the
 * last ones and resolves once they are committed, or rejects with the reason nothing was (then nothing was).
 */
export class SideWriter {
  private readonly worker: Worker;
  private readonly outcome: Promise<void>;

  constructor(path: string) {
    this.worker = new Worker(PROGRAM, { eval: true, execArgv: [], workerData: { sqlite, path, statements: STATEMENTS } });
    this.outcome = new Promise<void>((resolve, reject) => {
      this.worker.on('message', (m: { committed?: true; error?: string }) => (m.committed ? resolve() : reject(new Error(m.error))));
      this.worker.on('error', reject);
      this.worker.on('exit', (code) => reject(new Error(`the writing thread ended (${code}) before it committed`)));
    });
    this.outcome.catch(() => {}); // a failure is seen by finish(); until then it must not be unhandled
  }

  // Ops go as JSON text: copying one string to the thread costs the main thread far less than cloning the
  // objects, and JSON holds everything an op carries (strings, numbers, null).
  send(ops: Op[]): void {
    if (ops.length) this.worker.postMessage(JSON.stringify({ ops }));
  }

  async finish(ops: Op[]): Promise<void> {
    this.worker.postMessage(JSON.stringify({ ops, last: true }));
    try {
      await this.outcome;
    } finally {
      await this.worker.terminate();
    }
  }
}
