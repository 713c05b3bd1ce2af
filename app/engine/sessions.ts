import { nanoid } from 'nanoid';
import { availableParallelism } from 'node:os';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Catalog } from '../catalog/catalog.ts';
import { Checkpoints } from '../jobs/checkpoints.ts';
import { JobRunner, type JobSpec, type Outcome } from '../jobs/runner.ts';
import type { JobEvent, Json, LogEvent, NewEvent, Origin } from '../log/events.ts';
import { fold, type SessionState } from '../log/fold.ts';
import { SessionStates } from '../log/states.ts';
import { SessionNotFound, type LogStore } from '../log/store.ts';
import { KeyedQueue } from '../log/queue.ts';
import { isKey, SESSION_ID } from '../log/names.ts';
import type { Step, Values } from './definition.ts';
import type { LoadedWorkflow } from './discover.ts';
import { conflict, EngineError, notFound, WorkflowMissing } from './errors.ts';
import { seedEvents } from './seed.ts';
import { defaultOf, parseField, type FieldErrors, type RawForm } from './fields.ts';
import { prefill } from './prefill.ts';
import { currentStep, valuesOf } from './progress.ts';
import { SessionFiles } from '../files/session-files.ts';
import { copySessionFiles } from '../files/copy.ts';


const NOTE_MAX = 2000;

/**
 * A session read from its log: its folded state, the workflow it belongs to, and how many entries once seen are
 * missing from the end of its log (see Catalog.seenSeq).
 */
export type Loaded = Logged & { workflow: LoadedWorkflow; files: SessionFiles };

/** A session's folded log alone, whether or not its workflow is installed. */
export type Logged = { id: string; state: SessionState; missing: number };

/** The open step's form as it is to be shown: pre-filled, or as the user sent it with what was wrong. */
export type OpenForm = { step: Step; raw: RawForm; errors: FieldErrors };

/** The outcome of a submit: either it was recorded, or the form comes back with messages. */
export type SubmitResult = { ok: true } | { ok: false; form: OpenForm };

/** Starts, advances, reverts and finalizes sessions. Every change is an append; every read is a fold. */
export class Engine {
  readonly jobs: JobRunner;
  readonly states: SessionStates;
  /** Each change to a session (check, then append) runs alone, so two submits cannot both pass the check. */
  private readonly changes = new KeyedQueue();

  constructor(
    readonly store: LogStore,
    readonly catalog: Catalog,
    readonly workflows: ReadonlyMap<string, LoadedWorkflow>,
    jobLimit = availableParallelism(),
  ) {
    this.states = new SessionStates(store);
    this.jobs = new JobRunner(jobLimit, {
      settle: (spec, outcome) => this.settleJob(spec, outcome),
      record: (snap) => catalog.jobProgress({ job: snap.job, status: snap.status, done: snap.done, total: snap.total, message: snap.message }),
    });
  }

  /** Creates a session of a workflow and returns its id; `seed` gives it values at once (fork, import). */
  async start(workflowId: string, origin: Origin | null = null, seed: (wf: LoadedWorkflow) => NewEvent[] = () => []): Promise<string> {
    const workflow = this.workflows.get(workflowId);
    if (!workflow) throw notFound(`There is no workflow called "${workflowId}".`);
    const id = nanoid();
    await this.store.create(id, { type: 'session.started', workflow: workflow.id, version: workflow.version, forkedFrom: origin });
    const events = seed(workflow);
    if (events.length) await this.append(await this.load(id), events);
    else await this.index(id, []);
    return id;
  }

  /** Starts a new session carrying the values of a session's steps up to `step` (or of all completed steps). */
  async fork(id: string, step?: string, atSeq?: number): Promise<string> {
    const s = await this.load(id);
    if (step !== undefined && !s.workflow.steps.some((st) => st.id === step)) throw notFound(`There is no step "${step}" to fork from.`);
    const state = atSeq === undefined ? s.state : (await this.past(id, atSeq)).state;
    // Values that no longer pass today's definition leave their step open in the fork, to be given anew.
    const forked = await this.start(s.workflow.id, { session: id, seq: state.lastSeq }, (wf) => seedEvents(state, wf, step, 'fork').events);
    await copySessionFiles(join(this.store.sessionDir(id), 'files'), join(this.store.sessionDir(forked), 'files'));
    return forked;
  }

  /** A session's state right after entry `seq`, with that entry; 404 when it has no such entry. */
  async past(id: string, seq: number): Promise<{ state: SessionState; event: LogEvent }> {
    const events = await this.store.read(id);
    if (!Number.isInteger(seq) || seq < 1 || seq > events.length) throw notFound(`Session ${id} has no entry ${seq}; it has ${events.length}.`);
    return { state: fold(events, seq), event: events[seq - 1] };
  }

  /** Attaches a note to a step (or to the session when step is null). Allowed on finalized sessions too. */
  note(id: string, step: string | null, text: string): Promise<void> {
    return this.changes.run(id, async () => {
      const s = await this.load(id);
      const trimmed = text.trim();
      if (!trimmed) throw new EngineError(422, 'A note cannot be empty.');
      if (trimmed.length > NOTE_MAX) throw new EngineError(422, `A note can be at most ${NOTE_MAX} characters.`);
      if (step !== null && !s.workflow.steps.some((st) => st.id === step)) throw notFound(`There is no step "${step}".`);
      await this.append(s, [{ type: 'note', step, text: trimmed }]);
    });
  }

  /** Goes on under the workflow's current definition: steps matched by id, new steps asked for. */
  migrate(id: string): Promise<void> {
    return this.changes.run(id, async () => {
      const s = await this.load(id);
      if (s.state.version === s.workflow.version) return;
      await this.append(s, [{ type: 'session.migrated', version: s.workflow.version }]);
    });
  }

  /** Hides a session from the list, or shows it again. */
  setArchived(id: string, archived: boolean): Promise<void> {
    return this.changes.run(id, async () => {
      const s = await this.loadLog(id);
      if (s.state.archived === archived) return;
      await this.append(s, [{ type: archived ? 'session.archived' : 'session.unarchived' }]);
    });
  }

  /** Moves a session's folder (log, files, snapshot) to `<data>/trash/`; nothing is erased. */
  trash(id: string, trashDir: string): Promise<string> {
    return this.changes.run(id, async () => {
      const s = await this.loadLog(id);
      if (Object.keys(s.state.jobs).some((step) => this.jobs.snapshot(id, step))) throw conflict('A job is running in this session. Cancel it first.');
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const target = join(trashDir, `${id}-${stamp}`);
      await mkdir(trashDir, { recursive: true });
      await this.store.move(id, target);
      this.states.forget(id);
      this.catalog.remove(id);
      return target;
    });
  }

  /** Reads and folds a session whose workflow is installed. */
  async load(id: string): Promise<Loaded> {
    const s = await this.loadLog(id);
    const workflow = this.workflows.get(s.state.workflow);
    if (!workflow) throw new WorkflowMissing(id, s.state.workflow);
    return { ...s, workflow, files: new SessionFiles(join(this.store.sessionDir(id), 'files')) };
  }

  /**
   * Reads and folds a session without needing its workflow: what keeps a session's log downloadable, and the
   * session archivable and deletable, while its workflow file is missing or broken.
   */
  async loadLog(id: string): Promise<Logged> {
    if (!SESSION_ID.test(id)) throw notFound('That is not a session id.');
    const state = await this.states.get(id).catch((err) => {
      throw err instanceof SessionNotFound ? notFound(`There is no session ${id}.`) : err;
    });
    return { id, state, missing: Math.max(0, (this.catalog.seenSeq(id) ?? 0) - state.lastSeq) };
  }

  /** The open step's form, pre-filled from the log; undefined when every step is done. */
  openForm(s: Loaded): OpenForm | undefined {
    const step = currentStep(s.workflow, s.state);
    return step && { step, raw: prefill(step, s.state, valuesOf(s.state, s.workflow)), errors: {} };
  }

  /** Validates and records the open step's values, then completes it. Nothing is written when a value is bad. */
  submit(id: string, stepId: string, raw: RawForm): Promise<SubmitResult> {
    return this.changes.run(id, async () => {
      const s = await this.load(id);
      const step = this.openStep(s, stepId);
      const values = valuesOf(s.state, s.workflow);
      const errors: FieldErrors = {};
      const parsed = step.fields.map((field) => ({ field, value: parseField(field, raw, '', values, errors) }));
      if (Object.keys(errors).length) return { ok: false, form: { step, raw, errors } };
      const events: NewEvent[] = parsed.map(({ field, value }) => ({
        type: 'param.set',
        step: step.id,
        key: field.key,
        value,
        source: sameJson(value, defaultOf(field, values)) ? 'default' : 'user',
      }));
      if (!step.run) {
        events.push({ type: 'step.completed', step: step.id });
        await this.append(s, events);
        return { ok: true };
      }
      const job = nanoid();
      events.push({ type: 'job.started', step: step.id, job });
      await this.append(s, events);
      const params = { ...values, ...Object.fromEntries(parsed.map(({ field, value }) => [field.key, value])) };
      this.jobs.submit(this.jobSpec(id, step, job, params));
      return { ok: true };
    });
  }

  /** Asks the running job of a step to stop. */
  async cancel(id: string, stepId: string): Promise<void> {
    await this.load(id);
    if (!(await this.jobs.cancel(id, stepId))) throw conflict('No job is running in this step any more.');
  }

  /** Marks jobs that were running when the server last stopped as interrupted: nothing runs them now. */
  async recoverJobs(): Promise<number> {
    let marked = 0;
    for (const row of this.catalog.unfinishedJobs()) {
      if (this.jobs.snapshot(row.session, row.step)) continue;
      const interrupted = await this.changes.run(row.session, async () => {
        const s = await this.load(row.session).catch(() => undefined);
        const status = s?.state.jobs[row.step];
        if (!s || s.missing || status?.job !== row.job || status.status !== 'running') return false;
        await this.append(s, [{ type: 'job.interrupted', step: row.step, job: row.job, error: 'the server stopped while it ran.' }]);
        return true;
      });
      if (interrupted) marked++;
    }
    return marked;
  }

  /** Reopens a completed step; the steps after it leave the current state but stay in the log. */
  revert(id: string, stepId: string): Promise<void> {
    return this.changes.run(id, async () => {
      const s = await this.load(id);
      if (s.state.finalized) throw conflict('This session is finalized. Unfinalize it to change a step.');
      if (!s.state.completed.includes(stepId)) throw conflict(`Step "${stepId}" is not completed, so there is nothing to revert.`);
      this.sameVersion(s);
      // The log decides: a job whose end is already recorded no longer blocks, even while the runner lets go.
      const running = Object.keys(s.state.jobs).find((step) => s.state.jobs[step].status === 'running' && this.jobs.snapshot(id, step));
      if (running) throw conflict('A job is running in this session. Cancel it before reverting a step.');
      await this.append(s, [{ type: 'step.reverted', step: stepId }]);
    });
  }

  /** Locks a completed session against changes. */
  finalize(id: string): Promise<void> {
    return this.changes.run(id, async () => {
      const s = await this.load(id);
      if (s.state.finalized) return;
      const open = currentStep(s.workflow, s.state);
      if (open) throw conflict(`Finish the step "${open.title}" before finalizing.`);
      await this.append(s, [{ type: 'session.finalized' }]);
    });
  }

  /** Unlocks a finalized session. */
  unfinalize(id: string): Promise<void> {
    return this.changes.run(id, async () => {
      const s = await this.load(id);
      if (!s.state.finalized) return;
      await this.append(s, [{ type: 'session.unfinalized' }]);
    });
  }

  /** Brings the catalog up to date with the logs on disk: rows for new or changed logs, none for vanished ones. */
  async syncCatalog(onDamaged: (id: string, err: Error) => void = () => {}): Promise<number> {
    const ids = await this.store.list();
    const known = this.catalog.logSizes();
    let refreshed = 0;
    for (const id of ids) {
      if (known.get(id) === (await this.store.size(id))) continue;
      try {
        await this.index(id, await this.store.read(id));
        refreshed++;
      } catch (err) {
        onDamaged(id, err as Error);
      }
    }
    this.catalog.keepOnly(new Set(ids));
    return refreshed;
  }

  private openStep(s: Loaded, stepId: string): Step {
    if (s.state.finalized) throw conflict('This session is finalized. Unfinalize it to change a step.');
    this.sameVersion(s);
    const step = s.workflow.steps.find((st) => st.id === stepId);
    if (!step) throw notFound(`The workflow "${s.workflow.title}" has no step "${stepId}".`);
    if (currentStep(s.workflow, s.state)?.id !== stepId)
      throw conflict(`The step "${step.title}" is not the open step any more (perhaps it was submitted in another tab).`);
    if (this.jobs.snapshot(s.id, stepId)) throw conflict(`The job of "${step.title}" is already running.`);
    return step;
  }

  /** Refuses changes while the session's workflow definition differs from the one it last ran under. */
  private sameVersion(s: Loaded): void {
    if (s.state.version !== s.workflow.version)
      throw conflict('The workflow has changed since this session last ran. Continue under the new definition, or fork into a fresh session.');
  }

  private jobSpec(id: string, step: Step, job: string, params: Values): JobSpec {
    const dir = this.store.sessionDir(id);
    return { job, session: id, step: step.id, run: step.run!, params, outputDir: join(dir, 'files'), checkpoints: new Checkpoints(dir) };
  }

  /** Writes how a job ended into the log, unless the step has moved on without it. */
  private settleJob(spec: JobSpec, outcome: Outcome): Promise<void> {
    return this.changes.run(spec.session, () => this.recordOutcome(spec, outcome));
  }

  private async recordOutcome(spec: JobSpec, reported: Outcome): Promise<void> {
    const outcome = recordable(reported);
    const s = await this.load(spec.session);
    const current = s.state.jobs[spec.step];
    if (current?.job !== spec.job || current.status !== 'running') return;
    const base = { step: spec.step, job: spec.job };
    const events: NewEvent[] =
      outcome.status === 'finished'
        ? [
            ...Object.entries(outcome.result).map(([key, value]): NewEvent => ({ type: 'param.set', step: spec.step, key, value, source: 'job' })),
            { type: 'job.finished', ...base },
            { type: 'step.completed', step: spec.step },
          ]
        : outcome.status === 'failed'
          ? [{ type: 'job.failed', ...base, error: outcome.error }]
          : [{ type: 'job.cancelled', ...base }];
    await this.append(s, events);
    // A finished job needs no resuming, and a cancelled one was abandoned: its Retry starts afresh.
    if (outcome.status !== 'failed') await spec.checkpoints.clear(spec.step);
  }

  private async append(s: Logged, events: NewEvent[]): Promise<void> {
    // New lines would take the seqs of the lost ones and hide that anything was cut: the log is left as evidence.
    if (s.missing)
      throw conflict(
        `Entries are missing from the end of this session's log, so nothing more is written to it. Fork it to go on, or put the log file back.`,
      );
    const appended = await this.store.append(s.id, events);
    this.states.appended(s.id, appended.events, appended.head);
    await this.index(s.id, appended.events);
  }

  /** Brings a session's catalog rows up to date: its row from the folded state, its jobs from these new events. */
  private async index(id: string, events: readonly LogEvent[]): Promise<void> {
    const state = await this.states.get(id);
    for (const e of events) if (isJobEvent(e)) this.catalog.jobEvent(id, e);
    const workflow = this.workflows.get(state.workflow);
    this.catalog.upsert({
      id,
      workflow: state.workflow,
      startedAt: state.startedAt,
      updatedAt: state.updatedAt,
      currentStep: workflow ? (currentStep(workflow, state)?.title ?? null) : null,
      finalized: state.finalized,
      archived: state.archived,
      lastSeq: state.lastSeq,
      logSize: await this.store.size(id),
    });
  }
}

/**
 * The outcome as the log can hold it: a job that returned something other than an object of JSON values with
 * key-shaped names has failed, with the reason, rather than leaving its step with no recorded end.
 */
function recordable(outcome: Outcome): Outcome {
  if (outcome.status !== 'finished') return outcome;
  const { result } = outcome;
  const fail = (why: string): Outcome => ({ status: 'failed', error: `The job returned values that cannot be recorded: ${why}.` });
  if (typeof result !== 'object' || result === null || Array.isArray(result)) return fail('run() must return an object');
  const bad = Object.keys(result).find((key) => !isKey(key));
  if (bad !== undefined) return fail(`"${bad}" is not a key (letters, digits and _)`);
  try {
    const copy = JSON.parse(JSON.stringify(result)) as Record<string, Json>;
    const lost = Object.keys(result).find((key) => !(key in copy));
    return lost === undefined ? { status: 'finished', result: copy } : fail(`"${lost}" is not a JSON value`);
  } catch (err) {
    return fail((err as Error).message);
  }
}

function isJobEvent(e: LogEvent): e is JobEvent {
  return e.type.startsWith('job.');
}

function sameJson(a: Json, b: Json | undefined): boolean {
  return b !== undefined && JSON.stringify(a) === JSON.stringify(b);
}
