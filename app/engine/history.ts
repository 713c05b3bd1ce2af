import { dirname } from 'node:path';
import type { Json, LogEvent } from '../log/events.ts';
import { verifyLog, type Verdict } from '../log/verify.ts';
import { PastStates } from '../log/past.ts';
import { snapshotKey } from '../log/snapshot-key.ts';
import { plain } from './progress.ts';
import { EngineError } from './errors.ts';
import type { Engine, Loaded } from './sessions.ts';
import { foldStream, ImportRefused } from './import-reader.ts';
import { importPlan } from './import-plan.ts';
import { placeSession } from './import-write.ts';

/**
 * A page of a session's history, newest last, with the chain's verdict over the whole log, and how many entries
 * once seen are missing from its end (the catalog remembers the highest seq it saw).
 */
export type Timeline = { events: LogEvent[]; total: number; verdict: Integrity; missing: number; before: number | undefined };

/** Whether the whole log's chain holds, or where it breaks. */
export type Integrity = { ok: true } | Extract<Verdict, { ok: false }>;

const PAGE = 200;

/** Reading a session's past: its timeline, its state at any seq, exports, and imports of exported logs. */
export class History {
  private readonly past: PastStates;

  constructor(private readonly engine: Engine) {
    this.past = new PastStates(engine.lines, (id) => engine.store.sessionDir(id), () => snapshotKey(dirname(engine.store.root)));
  }

  /**
   * Up to 200 entries ending before `before` (or the latest), and whether the log is intact. Through the log's
   * line index only the page's lines are read (the rest was verified when the index was made); a log that is not
   * intact is read whole, to list every line as it is and say where it breaks.
   */
  async timeline(id: string, before?: number): Promise<Timeline> {
    const { missing } = await this.engine.load(id);
    const index = await this.engine.lines.get(id);
    if (!index) return this.wholeTimeline(id, before, missing);
    const total = index.seq;
    const end = before === undefined ? total : Math.max(0, Math.min(total, before - 1));
    const start = Math.max(0, end - PAGE);
    // An index that does not fit the file after all (a forged one) is only a slower path, never an error.
    const page = await this.engine.lines.lines(id, index, start + 1, end).catch(() => ({ events: [], broken: 0 }));
    if (page.broken !== undefined) return this.wholeTimeline(id, before, missing);
    return { events: page.events, total, verdict: { ok: true }, missing, before: start > 0 ? start + 1 : undefined };
  }

  private async wholeTimeline(id: string, before: number | undefined, missing: number): Promise<Timeline> {
    const bytes = await this.engine.store.rawLog(id);
    const verdict = verifyLog(bytes);
    const events = verdict.ok ? verdict.events : await this.engine.store.read(id);
    const end = before === undefined ? events.length : Math.max(0, Math.min(events.length, before - 1));
    const start = Math.max(0, end - PAGE);
    return { events: events.slice(start, end), total: events.length, verdict, missing, before: start > 0 ? start + 1 : undefined };
  }

  /** The session as it was right after entry `seq`. */
  async at(id: string, seq: number): Promise<Loaded & { event: LogEvent }> {
    const loaded = await this.engine.load(id);
    const index = await this.engine.lines.get(id);
    if (!index || !Number.isInteger(seq) || seq < 1 || seq > index.seq) return { ...loaded, ...(await this.engine.past(id, seq)) };
    const past = await this.past.at(id, index, seq).catch(() => undefined);
    return { ...loaded, ...(past ?? (await this.engine.past(id, seq))) };
  }

  /** The final values, step by step, with what a reader of the export needs to know about the session. */
  async summary(id: string): Promise<Record<string, Json>> {
    const { state, workflow } = await this.engine.load(id);
    const values: Record<string, Json> = {};
    for (const step of workflow.steps) if (state.completed.includes(step.id)) values[step.id] = plain(state.values[step.id]);
    return {
      session: id,
      workflow: workflow.id,
      version: state.version,
      startedAt: state.startedAt,
      updatedAt: state.updatedAt,
      finalized: state.finalized,
      forkedFrom: state.forkedFrom,
      lastSeq: state.lastSeq,
      values,
      notes: state.notes,
    };
  }

  /**
   * Creates a new session from an exported log file as it streams in, carrying its completed steps' values
   * parsed anew (source `import`), its notes and its finalized state; what had to change is said in the new
   * session's history. A file that is damaged, reordered, cut off or altered is refused with the reason, and
   * nothing is written.
   */
  async importStream(chunks: AsyncIterable<Buffer | Uint8Array> | Iterable<Buffer>, fileName: string): Promise<string> {
    const refuse = (why: string) => new EngineError(422, `${fileName} was not imported: ${why}.`);
    const state = await foldStream(chunks).catch((err) => {
      throw err instanceof ImportRefused ? refuse(err.message) : err;
    });
    if (!state) throw new EngineError(422, 'Choose a log file to import.');
    const workflow = this.engine.workflows.get(state.workflow);
    if (!workflow) throw refuse(`its workflow "${state.workflow}" is not installed here`);
    const plan = await importPlan(state, workflow, fileName);
    if ('stoppedAt' in plan) throw refuse(`its values do not pass this workflow's checks (${plan.stoppedAt})`);
    const id = await placeSession(this.engine.store, plan.started, plan.events);
    await this.engine.adopt(id);
    return id;
  }

  /** importStream of a file already in memory. */
  importLog(bytes: Buffer, fileName: string): Promise<string> {
    return this.importStream([bytes], fileName);
  }
}
