import type { NewEvent } from '../log/events.ts';
import type { SessionState } from '../log/fold.ts';
import type { Step, Values, Workflow } from './definition.ts';
import type { LoadedWorkflow } from './discover.ts';
import { seedEvents } from './seed.ts';
import { shown } from './skips.ts';
import type { Field } from '../fields/registry.ts';
import { formServices } from '../fields/services.ts';
import { NOTE_MAX } from './sessions.ts';

/** The longest file name kept as an import's origin. */
const NAME_MAX = 200;

/** What an imported log becomes: the new session's first line and the lines after it, or why it cannot. */
export type ImportPlan = { started: NewEvent; events: NewEvent[] } | { stoppedAt: string };

/**
 * Turns the folded state of an imported log into a new session of today's definition: the completed steps'
 * values parsed anew (seed.ts), then its notes (with the time they were written), then its finalized state
 * when every step came across. What was changed or left out is listed in the first line's meta (`import`),
 * which the history shows. Secrets and files do not travel in a log: a step that needs them again is left open
 * to ask for them, even when this data folder's vault holds the secret the log refers to (a log from elsewhere
 * must not be able to put a stored secret to use by naming its reference). No I/O: the same state and workflow
 * always give the same plan.
 */
export async function importPlan(state: SessionState, workflow: LoadedWorkflow, fileName: string): Promise<ImportPlan> {
  const seed = await seedEvents(state, workflow, undefined, 'import', formServices(undefined, undefined));
  if (seed.stoppedAt && !seed.reentry) return { stoppedAt: seed.stoppedAt };
  const changes = [...seed.changes];
  if (seed.reentry) changes.push(askedAgain(state, workflow, seed.events));
  const events = [...seed.events, ...notes(state, workflow, changes)];
  if (state.finalized) {
    const open = workflow.steps.find((s) => !state.completed.includes(s.id));
    if (open) changes.push(`it was finalized; it is left open here, since it has no values for the step "${open.title}"`);
    else events.push({ type: 'session.finalized' });
  }
  if (state.archived) changes.push('it was archived; the new session is in the list');
  const started: NewEvent = {
    type: 'session.started',
    workflow: workflow.id,
    version: workflow.version,
    forkedFrom: { file: fileName.slice(0, NAME_MAX), seq: state.lastSeq },
    ...(changes.length && { meta: { import: changes } }),
  };
  return { started, events };
}

/** The notes worth carrying: on the session or on a step this workflow has, not empty, not over the limit. */
function notes(state: SessionState, workflow: Workflow, changes: string[]): NewEvent[] {
  const events: NewEvent[] = [];
  let left = 0;
  for (const [key, list] of Object.entries(state.notes)) {
    const step = key === '' ? null : key;
    const known = step === null || workflow.steps.some((s) => s.id === step);
    for (const note of list) {
      const text = note.text.trim();
      if (!known || !text || text.length > NOTE_MAX) left++;
      else events.push({ type: 'note', step, text, meta: { written: note.at } });
    }
  }
  if (left) changes.push(`${left} note(s) left out (on a step this workflow does not have, empty, or over ${NOTE_MAX} characters)`);
  return events;
}

/**
 * The history's sentence for the step left open to ask for its secrets and files again: the step seeding
 * stopped at (the first one the source completed, shown by the values carried, that was not carried) and each
 * of its secret and file fields the source had a value for, by label.
 */
function askedAgain(state: SessionState, workflow: Workflow, seeded: readonly NewEvent[]): string {
  const carried = new Set<string>();
  const values: Values = {};
  for (const e of seeded) {
    if (e.type === 'step.completed') carried.add(e.step);
    if (e.type === 'param.set') values[e.key] = e.value;
  }
  const step = workflow.steps.find((s) => state.completed.includes(s.id) && !carried.has(s.id) && shown(s, values));
  const labels = step ? travelling(step, state) : [];
  const where = step ? ` (step "${step.title}")` : '';
  return `Asked for again, since secrets and files do not travel in a log: ${labels.length ? inWords(labels) : 'its secrets and files'}${where}.`;
}

/** The labels of a step's secret and file fields (inside groups and lists too) whose field had a value in the source. */
function travelling(step: Step, state: SessionState): string[] {
  const params = state.values[step.id] ?? {};
  const walk = (fields: readonly Field[]): string[] =>
    fields.flatMap((f) => (f.kind === 'secret' || f.kind === 'file' ? [f.label] : 'fields' in f && Array.isArray(f.fields) ? walk(f.fields) : []));
  return step.fields.flatMap((f) => (params[f.key]?.value == null ? [] : walk([f])));
}

/** `"a"`, `"a" and "b"`, `"a", "b" and "c"`. */
function inWords(labels: readonly string[]): string {
  const quoted = labels.map((l) => `"${l}"`);
  return quoted.length < 2 ? quoted.join('') : `${quoted.slice(0, -1).join(', ')} and ${quoted.at(-1)}`;
}
