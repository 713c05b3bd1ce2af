import type { Step } from '../app/engine/definition.ts';
import type { JobSnapshot } from '../app/jobs/context.ts';
import type { JobStatus } from '../app/log/fold.ts';
import { ActionButton } from './action.tsx';
import { jobUrls, urls } from './urls.ts';

/** The live part of a job card: bar, count, latest status and recent lines. Streamed as each update. */
export function JobProgress({ snapshot }: { snapshot: JobSnapshot | undefined }) {
  if (!snapshot)
    return (
      <p class="job-message" aria-busy="true">
        Finishing…
      </p>
    );
  const { done, total, message, recent, status } = snapshot;
  const pct = total ? Math.min(100, Math.round((done / total) * 100)) : null;
  return (
    <div class="job-progress" data-status={status} data-done={done}>
      {status === 'queued' || total === null ? <progress aria-label="Job progress" /> : <progress aria-label="Job progress" value={done} max={total} />}
      <p class="job-count">
        {status === 'queued' ? 'Queued' : total === null ? `${done} done` : `${done} of ${total} (${pct}%)`}
      </p>
      <p class="job-message">{message}</p>
      {recent.length ? (
        <ul class="job-recent" aria-label="Recent messages, newest first">
          {[...recent].reverse().map((line) => (
            <li>{line}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/**
 * A job step while its job is queued or running. The inner block listens to the job's event stream and is
 * replaced by every update; when the stream says `jobend` it closes and the card reloads the trail, which by
 * then shows the outcome from the log. The block is not a live region (every update would be read out):
 * public/cardtrail.js announces progress every 10 seconds at most, and the end.
 */
export function JobCard(props: { sessionId: string; step: Step; snapshot: JobSnapshot | undefined; position: string }) {
  const { sessionId, step } = props;
  return (
    <article
      id={`card-${step.id}`}
      class="card job"
      data-step={step.id}
      data-current=""
      hx-get={urls.session(sessionId)}
      hx-trigger="jobend"
      hx-target="#trail"
      hx-swap="outerHTML"
    >
      <hgroup>
        <h2>{step.title}</h2>
        <p>{props.position}</p>
      </hgroup>
      <div class="job-live" {...{ 'hx-sse:connect': jobUrls.events(sessionId, step.id), 'hx-sse:close': 'jobend' }}>
        <JobProgress snapshot={props.snapshot} />
      </div>
      <ActionButton action={jobUrls.cancel(sessionId, step.id)} label="Cancel" detail={`the job of ${step.title}`} />
    </article>
  );
}

/** How a job's end reads; a failure or an interruption says why, in the words recorded with it. */
const ENDINGS: Record<string, (error?: string) => string> = {
  failed: (error) => `The job failed${error ? `: ${error}` : '.'}`,
  cancelled: () => 'The job was cancelled.',
  interrupted: (error) => `The job was interrupted: ${error ?? 'the server stopped while it ran.'}`,
};

/** Why a job step is open again, shown above its form (whose button then reads Retry). */
export function JobEnding({ job }: { job: JobStatus }) {
  return (
    <p class="notice job-ending" role="alert" data-job-status={job.status}>
      {ENDINGS[job.status]?.(job.error) ?? job.status}
    </p>
  );
}
