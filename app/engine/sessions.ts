import { nanoid } from 'nanoid';
import { availableParallelism } from 'node:os';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Catalog, JobRow } from '../catalog/catalog.ts';
import { sessionRow } from '../catalog/row.ts';
import { isJobEvent, syncCatalog } from '../catalog/sync.ts';
import { rewordedWorkflows } from '../catalog/wording.ts';
import { Checkpoints } from '../jobs/checkpoints.ts';
import { JobRunner, type JobSpec, type Outcome } from '../jobs/runner.ts';
import type { Json, LogEvent, NewEvent, Origin } from '../log/events.ts';
import { fold, type SessionState } from '../log/fold.ts';
import { SessionStates } from '../log/states.ts';
import { LineIndexes } from '../log/line-index.ts';
import { SessionNotFound, START, stopMessage, type LogStore, type Stop } from '../log/store.ts';
import { KeyedQueue } from '../log/queue.ts';
import { isKey, newSessionId, SESSION_ID } from '../log/names.ts';
import { isBlank } from '../fields/blank.ts';
import { controlIn, controlMessage } from '../fields/unprintable.ts';
import type { Step, Values } from './definition.ts';
import type { LoadedWorkflow } from './discover.ts';
import { conflict, EngineError, notFound, WorkflowMissing } from './errors.ts';
import { seedEvents } from './seed.ts';
import { AppendFeed, SessionFeed } from './feed.ts';
import type { Milestone } from '../jobs/milestones.ts';
import { defaultOf, type FieldErrors, type RawForm } from './fields.ts';
import { SecretVault, secretRefs } from '../secrets/vault.ts';
import { formServices } from '../fields/services.ts';
import { forgetMissingSecrets } from '../fields/kinds/secret.tsx';
import { jobParams, lostInputs, lostInputsMessage, parseStepValues } from '../fields/step.ts';
import type { Received } from '../fields/types.ts';
import { copyUploads, uploadPath, uploadsDir } from '../uploads/store.ts';
import type { Incoming } from '../uploads/incoming.ts';
import { keptUploads } from '../fields/kinds/file.tsx';
import { namedUploads, sweepUploads } from '../uploads/sweep.ts';
import { prefill } from './prefill.ts';
import { currentStep, valuesOf } from './progress.ts';
import { isOutdated, OUT_OF_DATE, POSITION_FIELD, positionOf, upTo, type Reach } from './stale.ts';
import { SessionFiles } from '../files/session-files.ts';
import { copySessionFiles } from '../files/copy.ts';


export const NOTE_MAX = 2000;
const TITLE_MAX = 120;

/**
 * A session read from its log: its folded state, the workflow it belongs to, and how many entries once seen are
 * missing from the end of its log (see Catalog.seenSeq).
 */
export type Loaded = Logged & { workflow: LoadedWorkflow; files: SessionFiles };

/**
 * A session's folded log alone, whether or not its workflow is installed; `stop` when its log could not be read
 * to the end (a damaged line, an unknown type): it is then read-only.
 */
export type Logged = { id: string; state: SessionState; missing: number; stop?: Stop };

/** The open step's form as it is to be shown: pre-filled, or as the user sent it with what was wrong. */
export type OpenForm = { step: Step; raw: RawForm; errors: FieldErrors; values: Values };

/** The outcome of a submit: either it was recorded, or the form comes back with messages. */
export type SubmitResult = { ok: true } | { ok: false; form: OpenForm };

/** Starts, advances, reverts and finalizes sessions. Every change is an append; every read is a fold. */
export class Engine {
  readonly jobs: JobRunner;
  readonly states: SessionStates;
  /** Lines appended to each session, for its live activity pane. */
  readonly feed = new AppendFeed();
  /** Lines each session's running jobs report, for the same pane; never logged. */
  readonly milestones = new SessionFeed<Milestone>();
  /** Sessions moved to the trash: their open streams end (asked for again, they answer 404). */
  readonly removals = new SessionFeed<void>();
  /** Where each line of a log starts, for the history's pages (moved forward by every append here). */
  readonly lines: LineIndexes;
  /** The data folder's secrets file: secret fields' values, which logs only reference. */
  readonly secrets: SecretVault;
  /** Each change to a session (check, then append) runs alone, so two submits cannot both pass the check. */
  private readonly changes = new KeyedQueue();

  constructor(
    readonly store: LogStore,
    readonly catalog: Catalog,
    readonly workflows: ReadonlyMap<string, LoadedWorkflow>,
    jobLimit = availableParallelism(),
  ) {
    this.states = new SessionStates(store);
    this.lines = new LineIndexes((id) => store.sessionDir(id));
    this.secrets = new SecretVault(join(dirname(store.root), 'secrets.json'));
    this.jobs = new JobRunner(jobLimit, {
      settle: (spec, outcome) => this.settleJob(spec, outcome),
      record: (snap) => catalog.jobProgress({ job: snap.job, status: snap.status, done: snap.done, total: snap.total, message: snap.message }),
      milestone: (m) => this.milestones.publish(m.session, m),
    });
  }

  /** Creates a session of a workflow and returns its id; `seed` gives it values at once (fork, import). */
  async start(workflowId: string, origin: Origin | null = null, seed: (wf: LoadedWorkflow) => NewEvent[] = () => []): Promise<string> {
    const workflow = this.workflows.get(workflowId);
    if (!workflow) throw notFound(`There is no workflow called "${workflowId}".`);
    const id = newSessionId();
    await this.store.create(id, { type: 'session.started', workflow: workflow.id, version: workflow.version, forkedFrom: origin });
    const events = seed(workflow);
    if (events.length) await this.append(await this.load(id), events);
    else this.index(id, await this.states.get(id), await this.store.size(id), []);
    return id;
  }

  /** Takes in a session whose whole log was written elsewhere and moved into place (an import): indexes it. */
  async adopt(id: string): Promise<void> {
    this.index(id, await this.states.get(id), await this.store.size(id), await this.store.read(id));
  }

  /** Starts a new session carrying the values of a session's steps up to `step` (or of all completed steps). */
  async fork(id: string, step?: string, atSeq?: number): Promise<string> {
    const s = await this.load(id);
    if (step !== undefined && !s.workflow.steps.some((st) => st.id === step)) throw notFound(`There is no step "${step}" to fork from.`);
    const state = atSeq === undefined ? s.state : (await this.past(id, atSeq)).state;
    // Values that no longer pass today's definition leave their step open in the fork, to be given anew.
    const from = uploadsDir(this.store.sessionDir(id));
    const seed = await seedEvents(state, s.workflow, step, 'fork', formServices(this.secrets, from));
    const forked = await this.start(s.workflow.id, { session: id, seq: state.lastSeq }, () => seed.events);
    await copyUploads(from, uploadsDir(this.store.sessionDir(forked)));
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
      const control = controlIn(trimmed, 'many');
      if (control) throw new EngineError(422, controlMessage('A note', control));
      if (step !== null && !s.workflow.steps.some((st) => st.id === step)) throw notFound(`There is no step "${step}".`);
      await this.append(s, [{ type: 'note', step, text: trimmed }]);
    });
  }

  /** Names the session (spaces tidied); an empty title goes back to the name derived from its values. */
  retitle(id: string, title: string): Promise<void> {
    return this.changes.run(id, async () => {
      const s = await this.loadLog(id);
      const tidy = isBlank(title) ? '' : title.trim().replace(/\s+/g, ' ');
      if (tidy.length > TITLE_MAX) throw new EngineError(422, `A title can be at most ${TITLE_MAX} characters.`);
      const control = controlIn(tidy, 'one');
      if (control) throw new EngineError(422, controlMessage('A title', control));
      if ((s.state.title ?? '') === tidy) return;
      await this.append(s, [{ type: 'session.titled', title: tidy }]);
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
      const { logged: s } = await this.loadAny(id);
      if (s && Object.keys(s.state.jobs).some((step) => this.jobs.snapshot(id, step))) throw conflict('A job is running in this session. Cancel it first.');
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const target = join(trashDir, `${id}-${stamp}`);
      await mkdir(trashDir, { recursive: true });
      await this.store.move(id, target);
      this.states.forget(id);
      this.lines.forget(id);
      this.catalog.remove(id);
      this.removals.publish(id);
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
    const { state, stop } = await this.states.load(id).catch((err) => {
      throw err instanceof SessionNotFound ? notFound(`There is no session ${id}.`) : err;
    });
    return { id, state, missing: Math.max(0, (this.catalog.seenSeq(id) ?? 0) - state.lastSeq), ...(stop && { stop }) };
  }

  /**
   * A session that exists, read as far as its log allows: `logged` is missing when the log does not fold at all
   * (empty, a damaged first line, a link in its place). Deleting and downloading work on any session this way.
   */
  async loadAny(id: string): Promise<{ id: string; logged?: Logged }> {
    try {
      return { id, logged: await this.loadLog(id) };
    } catch (err) {
      if (err instanceof EngineError) throw err;
      return { id };
    }
  }

  /** The open step's form, pre-filled from the log; undefined when every step is done. */
  openForm(s: Loaded): OpenForm | undefined {
    const step = currentStep(s.workflow, s.state);
    const values = valuesOf(s.state, s.workflow);
    if (!step) return undefined;
    const raw = prefill(step, s.state, values);
    return { step, raw, errors: forgetMissingSecrets(step.fields, raw, formServices(this.secrets, undefined, {}, recordedSecrets(s.state))), values };
  }

  /**
   * Validates and records the open step's values, then completes it. Nothing is written when a value is bad.
   * Files the form brought (`incoming`) become uploads only when the entries written name them, or when the
   * form sent back carries them to be sent again; the caller drops the rest (Incoming).
   */
  submit(id: string, stepId: string, raw: RawForm, uploads: Record<string, Received> = {}, incoming?: Incoming): Promise<SubmitResult> {
    return this.changes.run(id, async () => {
      const s = await this.load(id);
      await this.refuseIfStale(s, positionOf(raw[POSITION_FIELD]), upTo(s.workflow.steps, stepId));
      const step = this.openStep(s, stepId);
      const values = valuesOf(s.state, s.workflow);
      const services = formServices(this.secrets, uploadsDir(this.store.sessionDir(id)), uploads, recordedSecrets(s.state));
      const { values: own, errors } = await parseStepValues(step, { raw }, values, services);
      const folder = uploadsDir(this.store.sessionDir(id));
      const reach = { reveal: (ref: string) => this.secrets.reveal(ref), uploadPath: (sha: string) => uploadPath(folder, sha) };
      // What earlier steps gave may have gone since (a secrets file replaced, an upload removed by hand): the job
      // would get nothing in its place, so it is not started, and the form says which step to give it again in.
      const lost = step.run ? lostInputs(s.workflow.steps.filter((other) => other.id !== step.id), values, reach, existsSync) : [];
      if (lost.length) errors[''] = lostInputsMessage(lost);
      if (Object.keys(errors).length) {
        await incoming?.claim(keptUploads(raw));
        return { ok: false, form: { step, raw, errors, values } };
      }
      this.secrets.commit(secretRefs(own));
      const parsed = step.fields.map((field) => ({ field, value: own[field.key] }));
      const events: NewEvent[] = parsed.map(({ field, value }) => ({
        type: 'param.set',
        step: step.id,
        key: field.key,
        value,
        source: sameJson(value, defaultOf(field, values)) ? 'default' : 'user',
      }));
      await incoming?.claim(namedUploads(events));
      if (Object.keys(uploads).length) this.sweepUploadsSoon(id);
      if (!step.run) {
        events.push({ type: 'step.completed', step: step.id });
        await this.append(s, events);
        return { ok: true };
      }
      // Before anything is written: an upload that became a link is refused here (LinkRefused), not given to the job.
      const params = jobParams(s.workflow.steps, { ...values, ...own }, reach);
      const job = nanoid();
      events.push({ type: 'job.started', step: step.id, job });
      await this.append(s, events);
      this.jobs.submit(this.jobSpec(id, step, job, params));
      return { ok: true };
    });
  }

  /**
   * After a form that brought files was accepted, and once its append is through (the sweep waits its turn in
   * the session's queue), takes away the session's uploads that no entry names and that are a day old. Only a
   * log read to its end can say what is named: a log that stops early (or is gone) is not swept.
   */
  private sweepUploadsSoon(id: string): void {
    void this.changes
      .run(id, async () => {
        const read = await this.store.readFrom(id, START).catch(() => undefined);
        if (read && !read.stop) await sweepUploads(uploadsDir(this.store.sessionDir(id)), namedUploads(read.events));
      })
      .catch((err) => console.error(`[cardtrail] the uploads of ${id} were not swept: ${(err as Error).message}`));
  }

  /** Asks the running job of a step to stop. */
  async cancel(id: string, stepId: string): Promise<void> {
    await this.load(id);
    if (!(await this.jobs.cancel(id, stepId))) throw conflict('No job is running in this step any more.');
  }

  /**
   * Marks jobs that were running when the server last stopped as interrupted: nothing runs them now. Their rows
   * are written in one transaction before this returns, so the server starts with the catalog up to date.
   */
  recoverJobs(): Promise<number> {
    // Read before holding: a held catalog writes nothing queued, so a read inside would miss what is queued.
    const unfinished = this.catalog.unfinishedJobs();
    return this.catalog.holding(() => this.markInterrupted(unfinished));
  }

  private async markInterrupted(unfinished: readonly JobRow[]): Promise<number> {
    let marked = 0;
    for (const row of unfinished) {
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
  revert(id: string, stepId: string, seen?: number): Promise<void> {
    return this.changes.run(id, async () => {
      const s = await this.load(id);
      await this.refuseIfStale(s, seen, upTo(s.workflow.steps, stepId));
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
  finalize(id: string, seen?: number): Promise<void> {
    return this.changes.run(id, async () => {
      const s = await this.load(id);
      if (s.state.finalized) return;
      await this.refuseIfStale(s, seen, () => true);
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

  /**
   * Brings the catalog up to date with the logs on disk: rows for new or changed logs, none for vanished ones.
   * Folders a cut-off start left without a log are removed (see LogStore.removeUnfinished); `onRemoved` is told
   * how many.
   */
  async syncCatalog(onDamaged: (id: string, err: Error) => void = () => {}, onRemoved: (count: number) => void = () => {}): Promise<number> {
    const rebuilding = this.catalog.isEmpty();
    const withoutLog: string[] = [];
    const refreshed = await syncCatalog(this.store, this.catalog, this.workflows, onDamaged, (id) => withoutLog.push(id));
    const removed = withoutLog.length ? await this.store.removeUnfinished(withoutLog) : 0;
    if (removed) onRemoved(removed);
    // The list's wording is a nicety: nothing in it may keep the server from starting.
    await this.redrawReworded(rebuilding).catch((err) => console.error(`[cardtrail] the list was not redrawn: ${(err as Error).message}`));
    return refreshed;
  }

  /**
   * Draws again the catalog rows of every installed workflow whose wording changed since its rows were drawn
   * (see catalog/wording.ts), and records the new stamps once those rows are written; the stamps of workflows
   * not installed now are dropped. `drawnNow` says every row was just drawn (a rebuild), so only the stamps are
   * recorded. Each session is drawn in its turn among its changes, so an append meanwhile is never overwritten
   * by an older row, and nothing else waits for the redraw. Returns how many rows were drawn again.
   */
  async redrawReworded(drawnNow = false): Promise<number> {
    const { changed, gone } = rewordedWorkflows(this.workflows, this.catalog.wordings());
    if (!changed.size && !gone.length) return 0;
    const ids = drawnNow ? [] : [...changed.keys()].flatMap((workflow) => this.catalog.idsOf(workflow));
    let redrawn = 0;
    for (const id of ids) {
      const drawn = await this.changes.run(id, async () => {
        const { state } = await this.states.load(id);
        this.index(id, state, await this.store.size(id), []);
        return true;
      }).catch(() => false); // an unreadable log keeps its row as it was, and says why when opened
      if (drawn) redrawn++;
    }
    try {
      this.catalog.setWordings(changed, gone);
    } catch (err) {
      console.error(`[cardtrail] the catalog's wording stamps were not written (${(err as Error).message}); the rows are drawn again at the next start.`);
    }
    return redrawn;
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

  /** Refuses a change sent from a page that later entries made invalid (a stale tab): see stale.ts. */
  private async refuseIfStale(s: Logged, seen: number | undefined, reach: Reach): Promise<void> {
    if (seen === undefined || seen === s.state.lastSeq) return;
    const later = seen < s.state.lastSeq ? (await this.store.read(s.id)).slice(seen) : [];
    if (isOutdated(seen, s.state.lastSeq, later, reach)) throw conflict(OUT_OF_DATE);
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
    if (s.stop) throw conflict(stopMessage(s.stop));
    // Once the append is durable the change has happened: the catalog is queued, never able to fail it.
    const appended = await this.store.append(s.id, events);
    this.lines.appended(s.id, appended.events, appended.head.size);
    const state = this.states.appended(s.id, appended.events, appended.head) ?? (await this.states.get(s.id).catch(() => undefined));
    if (state) this.index(s.id, state, appended.head.size, appended.events);
    this.feed.publish(s.id, appended.events);
  }

  /** Queues a session's catalog rows: its row from the folded state, its jobs from these new events. */
  private index(id: string, state: SessionState, logSize: number, events: readonly LogEvent[]): void {
    this.catalog.record(sessionRow(id, state, this.workflows.get(state.workflow), logSize), events.filter(isJobEvent));
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

function sameJson(a: Json, b: Json | undefined): boolean {
  return b !== undefined && JSON.stringify(a) === JSON.stringify(b);
}

/** The secret references a session's log holds, in any step's latest values. */
function recordedSecrets(state: SessionState): ReadonlySet<string> {
  return new Set(secretRefs(state.drafts));
}
