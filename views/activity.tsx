import type { Workflow } from '../app/engine/definition.ts';
import type { LogEvent } from '../app/log/events.ts';

/** "29 Nov, 14:30:05": made once, since building a date format costs more than rendering a whole entry. */
const STAMP = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });

function stamp(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : STAMP.format(d);
}
import { Describe } from './history.tsx';
import { urls } from './urls.ts';

/** How many entries the Activity tab shows with the page; the stream adds the newer ones above them. */
export const ACTIVITY_FIRST = 30;

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
  const stepTitle = (step: string) => workflow.steps.find((s) => s.id === step)?.title ?? step;
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
 * The Activity tab: the session's latest entries, newest first, rendered with the page so it reads the same after
 * a reload; then kept up to date over an event stream that prepends each new entry. The list is open to other
 * writers: anything that appends to the log (a person, a job, later an assistant) shows up here.
 */
export function ActivityPanel({ sessionId, events, workflow, lastSeq }: { sessionId: string; events: readonly LogEvent[]; workflow: Workflow; lastSeq: number }) {
  return (
    <ol
      id="activity-feed"
      class="activity-feed"
      reversed
      aria-label="What happened, newest first"
      {...{ 'hx-sse:connect': activityEvents(sessionId, lastSeq), 'hx-swap': 'afterbegin' }}
    >
      {[...events].reverse().map((e) => (
        <ActivityItem sessionId={sessionId} e={e} workflow={workflow} />
      ))}
    </ol>
  );
}
