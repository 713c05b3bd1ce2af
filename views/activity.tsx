import type { Workflow } from '../app/engine/definition.ts';
import type { LogEvent } from '../app/log/events.ts';
import type { Milestone } from '../app/jobs/milestones.ts';
import { RECENT_LINES } from '../app/jobs/runner.ts';
import { formatStamp } from './format.ts';

/** "29 Nov, 14:30:05". */
const stamp = (iso: string): string => formatStamp(iso, true);
import { Describe } from './history.tsx';
import { urls } from './urls.ts';

/** How many items the Activity tab shows with the page, and keeps as the stream adds newer ones above them. */
export const ACTIVITY_FIRST = 30;

/** How many milestone lines of one job the tab keeps: as many as the runner keeps as its recent lines. */
export const MILESTONES_KEPT = RECENT_LINES;

function stepTitleIn(workflow: Workflow): (step: string) => string {
  return (step) => workflow.steps.find((s) => s.id === step)?.title ?? step;
}

/** Where an entry sits in the history: the page that ends with it, scrolled to its row. */
export function historyPlace(id: string, seq: number): string {
  return `${urls.history(id, seq + 1)}#e-${seq}`;
}

/** The address of a session's activity stream, resuming after the entry the page already shows. */
export function activityEvents(id: string, after: number): string {
  return `/s/${id}/activity/events?after=${after}`;
}

/** One entry of the activity feed: when, what in words, and a link to its place in the history. */
export function ActivityItem({ sessionId, e, workflow }: { sessionId: string; e: LogEvent; workflow: Workflow }) {
  const stepTitle = stepTitleIn(workflow);
  return (
    <li data-seq={e.seq} data-type={e.type}>
      <a href={historyPlace(sessionId, e.seq)} class="activity-when" title={e.at}>
        <span class="visually-hidden">Entry {e.seq}, </span>
        {stamp(e.at)}
      </a>{' '}
      <span class="activity-what">
        <Describe e={e} stepTitle={stepTitle} workflow={workflow} />
      </span>
    </li>
  );
}

/**
 * A line a running job reported, marked as its job's ("Simulate · Tick 10"). It has no entry in the log, so no
 * time and no link to the history.
 */
export function MilestoneItem({ m, workflow }: { m: Milestone; workflow: Workflow }) {
  return (
    <li data-milestone={m.job} class="activity-milestone">
      <span class="activity-what">
        <span class="visually-hidden">The job of </span>
        <strong>{stepTitleIn(workflow)(m.step)}</strong> · {m.line}
      </span>
    </li>
  );
}

/**
 * The Activity tab: the session's latest entries, newest first, rendered with the page so it reads the same after
 * a reload; then kept up to date over an event stream that prepends each new entry. The list is open to other
 * writers: anything that appends to the log (a person, a job, later an assistant) shows up here. Above them, the
 * lines a running job has reported (`milestones`, oldest first, from the runner), which the stream adds to too.
 * Not a live region: a screen reader reads it when asked, and hears of a job by the announcer.
 */
export function ActivityPanel(props: { sessionId: string; events: readonly LogEvent[]; milestones: readonly Milestone[]; workflow: Workflow; lastSeq: number }) {
  const { sessionId, events, milestones, workflow, lastSeq } = props;
  return (
    <ol
      id="activity-feed"
      class="activity-feed"
      reversed
      aria-label="What happened, newest first"
      data-keep={ACTIVITY_FIRST}
      data-keep-milestones={MILESTONES_KEPT}
      {...{ 'hx-sse:connect': activityEvents(sessionId, lastSeq), 'hx-swap': 'afterbegin' }}
    >
      {[...milestones].reverse().map((m) => (
        <MilestoneItem m={m} workflow={workflow} />
      ))}
      {[...events].reverse().map((e) => (
        <ActivityItem sessionId={sessionId} e={e} workflow={workflow} />
      ))}
    </ol>
  );
}
