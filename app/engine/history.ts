import type { Json, LogEvent } from '../log/events.ts';
import { fold, type SessionState } from '../log/fold.ts';
import { verifyLog, type Verdict } from '../log/verify.ts';
import { plain } from './progress.ts';
import { EngineError } from './errors.ts';
import type { Engine, Loaded } from './sessions.ts';
import { seedEvents } from './seed.ts';
import { formServices } from '../fields/services.ts';

/**
 * A page of a session's history, newest last, with the chain's verdict over the whole log, and how many entries
 * once seen are missing from its end (the catalog remembers the highest seq it saw).
 */
export type Timeline = { events: LogEvent[]; total: number; verdict: Verdict; missing: number; before: number | undefined };

const PAGE = 200;

/** Reading a session's past: its timeline, its state at any seq, exports, and imports of exported logs. */
export class History {
  constructor(private readonly engine: Engine) {}

  /** Up to 200 entries ending before `before` (or the latest), and whether the log is intact. */
  async timeline(id: string, before?: number): Promise<Timeline> {
    const { missing } = await this.engine.load(id);
    const bytes = await this.engine.store.rawLog(id);
    const verdict = verifyLog(bytes);
    const events = verdict.ok ? verdict.events : await this.engine.store.read(id);
    const end = before === undefined ? events.length : Math.max(0, Math.min(events.length, before - 1));
    const start = Math.max(0, end - PAGE);
    return { events: events.slice(start, end), total: events.length, verdict, missing, before: start > 0 ? start + 1 : undefined };
  }

  /** The session as it was right after entry `seq`. */
  async at(id: string, seq: number): Promise<Loaded & { event: LogEvent }> {
    return { ...(await this.engine.load(id)), ...(await this.engine.past(id, seq)) };
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
   * Creates a new session from an exported log file, carrying its completed steps' values (source `import`).
   * A file that is damaged, reordered, cut off or altered is refused with the reason, and nothing is written.
   */
  async importLog(bytes: Buffer, fileName: string): Promise<string> {
    const verdict = verifyLog(bytes);
    if (!verdict.ok) throw new EngineError(422, `${fileName} was not imported: ${verdict.reason}.`);
    let state: SessionState;
    try {
      state = fold(verdict.events);
    } catch (err) {
      throw new EngineError(422, `${fileName} was not imported: ${(err as Error).message}.`);
    }
    if (!this.engine.workflows.has(state.workflow))
      throw new EngineError(422, `${fileName} was not imported: its workflow "${state.workflow}" is not installed here.`);
    const workflow = this.engine.workflows.get(state.workflow)!;
    // Secrets and files do not travel in a log: their step opens in the new session to ask for them again.
    const seed = await seedEvents(state, workflow, undefined, 'import', formServices(undefined, undefined));
    if (seed.stoppedAt && !seed.reentry) throw new EngineError(422, `${fileName} was not imported: its values do not pass this workflow's checks (${seed.stoppedAt}).`);
    return this.engine.start(state.workflow, { file: fileName, seq: state.lastSeq }, () => seed.events);
  }
}
