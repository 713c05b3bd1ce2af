import type { Loaded, OpenForm } from '../app/engine/sessions.ts';
import type { JobSnapshot } from '../app/jobs/context.ts';
import type { JobStatus } from '../app/log/fold.ts';
import { currentStep, valuesOf } from '../app/engine/progress.ts';
import { changedSuggestions } from '../app/engine/suggestions.ts';
import { sessionAssets } from '../app/widgets/page-assets.ts';
import { placesOf } from '../app/engine/skips.ts';
import { SkippedCard } from './skipped.tsx';
import { DoneCard, FinishCard, OpenCard, PendingCard, positionText, type CardMode } from './cards.tsx';
import { JobCard } from './job.tsx';
import { Layout } from './layout.tsx';
import { SessionHeader } from './session-header.tsx';
import { SidePane } from './side-pane.tsx';
import { plainText } from '../app/fields/unprintable.ts';
import { derivedTitle, sessionTitle } from './title.ts';
import type { LogEvent } from '../app/log/events.ts';
import type { Milestone } from '../app/jobs/milestones.ts';
import type { Integrity } from '../app/log/line-index.ts';

type TrailProps = {
  session: Loaded;
  form: OpenForm | undefined;
  message?: string;
  /** The open step's job as the runner sees it now, if it is queued or running. */
  live?: JobSnapshot;
  /** 'past' renders a moment of the timeline: read-only, no forms. */
  past?: boolean;
};

/**
 * Every card of a session in workflow order, rendered in one pass from the folded state. It is both part of
 * the full page and the fragment every action answers with.
 */
export function Trail({ session, form, message, live, past }: TrailProps) {
  const { state, workflow, id } = session;
  const count = workflow.steps.length;
  // A log that could not be read to its end is shown as far as it goes, read-only.
  const readOnly = past || session.stop !== undefined;
  const mode: CardMode = readOnly ? 'past' : state.finalized ? 'locked' : 'live';
  const { places, open } = placesOf(workflow, state);
  const outputs = { files: session.files, values: valuesOf(state, workflow), at: past ? state.lastSeq : undefined };
  return (
    // The browser script makes these the tab's title and the rename hint after a swap, where no markup can
    // isolate text.
    <section id="trail" data-title={plainText(sessionTitle(session))} data-derived-title={plainText(derivedTitle(session))}>
      {message ? (
        <p class="notice" role="alert">
          {message}
        </p>
      ) : null}
      {workflow.steps.map((step, index) => {
        const at = { index, count };
        const notes = state.notes[step.id];
        const place = places[index];
        if (place.status === 'skipped') return <SkippedCard step={step} reason={place.reason} />;
        if (state.completed.includes(step.id))
          return <DoneCard sessionId={id} step={step} params={state.values[step.id]} at={at} mode={mode} notes={notes} reopens={reopened(session, step.id)} seq={state.lastSeq} outputs={outputs} />;
        const job = stalled(state.jobs[step.id], live);
        if (!readOnly && form?.step.id === step.id && job?.status === 'running')
          return <JobCard sessionId={id} step={step} snapshot={live} position={positionText(at)} />;
        if (!readOnly && form?.step.id === step.id)
          return <OpenCard sessionId={id} form={form} at={at} job={job} notes={notes} offers={changedSuggestions(form.step, form.raw, valuesOf(state, workflow))} seq={state.lastSeq} />;
        return <PendingCard step={step} at={at} waiting={past && open?.id === step.id} />;
      })}
      {open ? null : <FinishCard sessionId={id} finalized={state.finalized} mode={mode} seq={state.lastSeq} />}
    </section>
  );
}

/** The titles of the steps that editing `step` reopens with it: those completed after it. */
function reopened({ state, workflow }: Loaded, step: string): string[] {
  const later = state.completed.slice(state.completed.indexOf(step) + 1);
  return later.map((id) => workflow.steps.find((s) => s.id === id)?.title ?? id);
}

/**
 * A job the log calls running but the runner no longer holds ended without its end being recorded (the write
 * failed): shown as interrupted, so the card offers Retry instead of waiting for updates that will not come.
 */
function stalled(job: JobStatus | undefined, live: JobSnapshot | undefined): JobStatus | undefined {
  if (job?.status !== 'running' || live) return job;
  return { ...job, status: 'interrupted', error: 'it stopped without its end being recorded.' };
}

/** The whole session page: its cards beside the side pane (help, the latest entries of `activity`, `milestones`). */
export function SessionPage(props: TrailProps & { activity?: readonly LogEvent[]; milestones?: readonly Milestone[]; integrity?: Integrity | 'ask' }) {
  const { session } = props;
  const aside = (
    <SidePane
      sessionId={session.id}
      workflow={session.workflow}
      open={currentStep(session.workflow, session.state)}
      activity={props.activity ?? []}
      milestones={props.milestones ?? []}
      lastSeq={session.state.lastSeq}
    />
  );
  return (
    <Layout title={sessionTitle(session)} aside={aside} assets={sessionAssets(props.session)}>
      <SessionHeader session={props.session} integrity={props.integrity} />
      <Trail {...props} />
    </Layout>
  );
}
