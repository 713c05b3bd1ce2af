import type { NewEvent } from '../log/events.ts';
import type { SessionState } from '../log/fold.ts';
import type { Values, Workflow } from './definition.ts';
import { parseStepValues } from '../fields/step.ts';
import { fieldAt } from '../fields/paths.ts';
import type { Services } from '../fields/types.ts';
import { plain } from './progress.ts';
import { carried } from './seed.ts';
import { shown } from './skips.ts';

/** What an import makes of the steps it does not complete: their pre-filled values, and what it could not carry. */
export type Drafts = {
  events: NewEvent[];
  /** By step title, the labels of the secret and file fields whose values it asks for again. */
  askedAgain: { step: string; labels: string[] }[];
  changes: string[];
};

/**
 * The `param.set` lines (no `step.completed`) that pre-fill the steps an import leaves open as the source's
 * reopened forms were pre-filled: every step of today's workflow the seeding did not complete that has drafts
 * (a step reopened by a revert, one whose job failed, the one left open to ask for a secret or a file, and the
 * steps after it). Each draft is parsed by today's field as if typed (after the values carried and the drafts
 * before it), so nothing reaches a form that its field would not take. A secret or a file never comes across,
 * even when this data folder holds it (see importPlan): its field is listed in `askedAgain` (unless its step is
 * skipped by the values before it, so nothing asks for it); any other value
 * that no longer passes is left out and said in `changes`. Values that are not fields (a job's results) only
 * ever pre-fill nothing and are not carried. No I/O beyond the services given.
 */
export async function draftEvents(state: SessionState, workflow: Workflow, seeded: readonly NewEvent[], services: Services): Promise<Drafts> {
  const out: Drafts = { events: [], askedAgain: [], changes: [] };
  const values: Values = {};
  const completed = new Set<string>();
  for (const e of seeded) {
    if (e.type === 'param.set') values[e.key] = e.value;
    if (e.type === 'step.completed') completed.add(e.step);
  }
  for (const step of workflow.steps) {
    const drafts = state.drafts[step.id];
    if (completed.has(step.id) || !drafts) continue;
    const { values: own, errors } = await parseStepValues(step, { values: plain(drafts) }, values, services);
    const labels: string[] = [];
    for (const field of step.fields) {
      const given = drafts[field.key]?.value;
      if (given === undefined) continue;
      const wrong = Object.entries(errors).filter(([path]) => path.split('.')[0] === field.key);
      if (!wrong.length) {
        out.events.push(carried(step, field, own[field.key] ?? null, given, { source: 'import', values, changes: out.changes }));
        continue;
      }
      const kept = wrong.map(([path]) => fieldAt(step.fields, path)).filter((f) => f?.kind === 'secret' || f?.kind === 'file');
      if (kept.length === wrong.length) labels.push(...new Set(kept.map((f) => f!.label)));
      else out.changes.push(`${step.title} · ${field.key}: not pre-filled, since it no longer passes (${wrong[0][1]})`);
    }
    if (labels.length && shown(step, values)) out.askedAgain.push({ step: step.title, labels });
  }
  return out;
}
