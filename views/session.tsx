import type { Loaded, OpenForm } from '../app/engine/sessions.ts';
import type { JobSnapshot } from '../app/jobs/context.ts';
import { DoneCard, FinishCard, OpenCard, PendingCard, positionText } from './cards.tsx';
import { JobCard } from './job.tsx';
import { formatTime } from './format.ts';
import { Layout } from './layout.tsx';

type TrailProps = {
  session: Loaded;
  form: OpenForm | undefined;
  message?: string;
  /** The open step's job as the runner sees it now, if it is queued or running. */
  live?: JobSnapshot;
};

/**
 * Every card of a session in workflow order, rendered in one pass from the folded state. It is both part of
 * the full page and the fragment every action answers with.
 */
export function Trail({ session, form, message, live }: TrailProps) {
  const { state, workflow, id } = session;
  const count = workflow.steps.length;
  return (
    <section id="trail" aria-live="polite">
      {message ? (
        <p class="notice" role="alert">
          {message}
        </p>
      ) : null}
      {workflow.steps.map((step, index) => {
        const at = { index, count };
        if (state.completed.includes(step.id))
          return <DoneCard sessionId={id} step={step} params={state.values[step.id]} at={at} locked={state.finalized} />;
        const job = state.jobs[step.id];
        if (form?.step.id === step.id && job?.status === 'running')
          return <JobCard sessionId={id} step={step} snapshot={live} position={positionText(at)} />;
        if (form?.step.id === step.id) return <OpenCard sessionId={id} form={form} at={at} job={job} />;
        return <PendingCard step={step} at={at} />;
      })}
      {form ? null : <FinishCard sessionId={id} finalized={state.finalized} />}
    </section>
  );
}

/** The whole session page. */
export function SessionPage(props: TrailProps) {
  const { state, workflow, id } = props.session;
  return (
    <Layout title={workflow.title}>
      <hgroup>
        <h1>{workflow.title}</h1>
        <p>
          Session <code>{id}</code> · started {formatTime(state.startedAt)}
        </p>
      </hgroup>
      <Trail {...props} />
    </Layout>
  );
}
