import type { NewEvent } from '../log/events.ts';
import type { SessionState } from '../log/fold.ts';
import type { Workflow } from './definition.ts';
import type { LoadedWorkflow } from './discover.ts';
import { seedEvents } from './seed.ts';
import { draftEvents, type Drafts } from './import-drafts.ts';
import { formServices } from '../fields/services.ts';
import { NOTE_MAX } from './sessions.ts';

/** The longest file name kept as an import's origin. */
const NAME_MAX = 200;

/** What an imported log becomes: the new session's first line and the lines after it, or why it cannot. */
export type ImportPlan = { started: NewEvent; events: NewEvent[] } | { stoppedAt: string };

/**
 * Turns the folded state of an imported log into a new session of today's definition: the completed steps'
 * values parsed anew (seed.ts), then the drafts that pre-fill the steps it leaves open (import-drafts.ts), then
 * its notes (with the time they were written), then its finalized state when every step came across. What was
 * changed or left out is listed in the first line's meta (`import`), which the history shows. Secrets and files
 * do not travel in a log: a step that needs them again is left open to ask for them, even when this data folder's
 * vault holds the secret the log refers to (a log from elsewhere must not be able to put a stored secret to use by
 * naming its reference). No I/O: the same state and workflow always give the same plan.
 */
export async function importPlan(state: SessionState, workflow: LoadedWorkflow, fileName: string): Promise<ImportPlan> {
  const services = formServices(undefined, undefined);
  const seed = await seedEvents(state, workflow, undefined, 'import', services);
  if (seed.stoppedAt && !seed.reentry) return { stoppedAt: seed.stoppedAt };
  const drafts = await draftEvents(state, workflow, seed.events, services);
  const changes = [...seed.changes, ...drafts.changes];
  if (seed.reentry || drafts.askedAgain.length) changes.push(askedAgain(drafts.askedAgain));
  const events = [...seed.events, ...drafts.events, ...notes(state, workflow, changes)];
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
 * The history's sentence for the secrets and files asked for again: each secret and file field the source had a
 * value for, in a step the import left open, by label and step.
 */
function askedAgain(asked: Drafts['askedAgain']): string {
  const each = asked.map(({ step, labels }) => `${inWords(labels)} (step "${step}")`);
  return `Asked for again, since secrets and files do not travel in a log: ${each.length ? each.join('; ') : 'its secrets and files'}.`;
}

/** `"a"`, `"a" and "b"`, `"a", "b" and "c"`. */
function inWords(labels: readonly string[]): string {
  const quoted = labels.map((l) => `"${l}"`);
  return quoted.length < 2 ? quoted.join('') : `${quoted.slice(0, -1).join(', ')} and ${quoted.at(-1)}`;
}
