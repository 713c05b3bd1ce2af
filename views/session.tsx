import type { Loaded, OpenForm } from '../app/engine/sessions.ts';
import type { JobSnapshot } from '../app/jobs/context.ts';
import type { JobStatus } from '../app/log/fold.ts';
import { currentStep, valuesOf } from '../app/engine/progress.ts';
import { sessionAssets } from '../app/widgets/page-assets.ts';
import { DoneCard, FinishCard, OpenCard, PendingCard, positionText, type CardMode } from './cards.tsx';
import { JobCard } from './job.tsx';
import { Layout } from './layout.tsx';
import { SessionHeader } from './session-header.tsx';

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
  const mode: CardMode = past ? 'past' : state.finalized ? 'locked' : 'live';
  const open = currentStep(workflow, state);
  const outputs = { files: session.files, values: valuesOf(state, workflow), at: past ? state.lastSeq : undefined };
  return (
    <section id="trail">
      {message ? (
        <p class="notice" role="alert">
          {message}
        </p>
      ) : null}
      {workflow.steps.map((step, index) => {
        const at = { index, count };
        const notes = state.notes[step.id];
        if (state.completed.includes(step.id))
          return <DoneCard sessionId={id} step={step} params={state.values[step.id]} at={at} mode={mode} notes={notes} outputs={outputs} />;
        const job = stalled(state.jobs[step.id], live);
        if (!past && form?.step.id === step.id && job?.status === 'running')
          return <JobCard sessionId={id} step={step} snapshot={live} position={positionText(at)} />;
        if (!past && form?.step.id === step.id) return <OpenCard sessionId={id} form={form} at={at} job={job} notes={notes} />;
        return <PendingCard step={step} at={at} waiting={past && open?.id === step.id} />;
      })}
      {open ? null : <FinishCard sessionId={id} finalized={state.finalized} mode={mode} />}
    </section>
  );
}

/**
 * A job the log calls running but the runner no longer holds ended without its end being recorded (the write
 * failed): shown as interrupted, so the card offers Retry instead of waiting for updates that will not come.
 */
function stalled(job: JobStatus | undefined, live: JobSnapshot | undefined): JobStatus | undefined {
  if (job?.status !== 'running' || live) return job;
  return { ...job, status: 'interrupted', error: 'it stopped without its end being recorded.' };
}

/** The whole session page. */
export function SessionPage(props: TrailProps) {
  return (
    <Layout title={props.session.workflow.title} assets={sessionAssets(props.session)}>
      <SessionHeader session={props.session} />
      <Trail {...props} />
    </Layout>
  );
}
