import type { Context, Hono } from 'hono';
import type { Engine } from '../engine/sessions.ts';
import type { LogEvent } from '../log/events.ts';
import type { LoadedWorkflow } from '../engine/discover.ts';
import type { Milestone } from '../jobs/milestones.ts';
import { ActivityItem, MilestoneItem } from '../../views/activity.tsx';
import { openSse, type SseSink } from './sse-sink.ts';
import { latestEvery } from './latest-every.ts';

const HEARTBEAT_MS = 15_000;
/** A job's lines reach a watcher at most twice a second, the latest of each half second. */
const MILESTONE_EVERY_MS = 500;

/** An entry as one SSE message: its seq as the id (so a reconnect resumes after it), its list item as data. */
export function activityFrame(id: string, e: LogEvent, workflow: LoadedWorkflow): string {
  return `id: ${e.seq}\n${dataLines(String(<ActivityItem sessionId={id} e={e} workflow={workflow} />))}\n`;
}

/** A job's line as one SSE message without an id, so a reconnect still resumes after the last log entry. */
export function milestoneFrame(m: Milestone, workflow: LoadedWorkflow): string {
  return `${dataLines(String(<MilestoneItem m={m} workflow={workflow} />))}\n`;
}

function dataLines(html: string): string {
  return html
    .split(/\r\n|\r|\n/)
    .map((line) => `data: ${line}\n`)
    .join('');
}

/** Where a watcher's feed starts: after the entry it says it has (Last-Event-ID on a reconnect, else ?after=). */
export function resumeAfter(c: Context): number {
  const text = c.req.header('last-event-id') || c.req.query('after') || '0';
  return /^[0-9]{1,15}$/.test(text) ? Number(text) : 0;
}

/**
 * A session's activity as Server-Sent Events: first every entry after the one the page has, then each batch as
 * it is appended. Entries come from the log (read, then the engine's append feed). Besides them, the lines the
 * session's running jobs report (the engine's milestone feed), throttled, and not resent on a reconnect.
 */
export function activityRoutes(app: Hono, engine: Engine): void {
  app.get('/s/:id/activity/events', async (c) => {
    const { id, workflow } = await engine.load(c.req.param('id'));
    const after = resumeAfter(c);
    return openSse(c, (sink) => follow(sink, engine, id, workflow, after));
  });
}

async function follow(sink: SseSink, engine: Engine, id: string, workflow: LoadedWorkflow, after: number): Promise<void> {
  let sent = after;
  const send = (events: readonly LogEvent[]) => {
    for (const e of events) {
      if (e.seq <= sent) continue;
      sink.write(activityFrame(id, e, workflow));
      sent = e.seq;
    }
  };
  // Watch first, then read: what is appended in between comes by the feed, and seq keeps out doubles.
  const pending: LogEvent[][] = [];
  let reading = true;
  const unwatch = engine.feed.watch(id, (events) => (reading ? pending.push([...events]) : send(events)));
  const milestones = latestEvery<Milestone>(MILESTONE_EVERY_MS, (m) => sink.write(milestoneFrame(m, workflow)));
  const unwatchRemoval = engine.removals.watch(id, () => sink.end());
  let unwatchMilestones = () => {};
  try {
    const state = await engine.states.get(id);
    if (state.lastSeq > sent) send((await engine.store.read(id)).filter((e) => e.seq > sent));
    reading = false;
    for (const batch of pending) send(batch);
    // A job's lines join once the entries are caught up, so none lands below an older entry.
    unwatchMilestones = engine.milestones.watch(id, milestones.push);
    const heartbeat = setInterval(() => sink.write(': keep-alive\n\n'), HEARTBEAT_MS);
    try {
      await sink.closed;
    } finally {
      clearInterval(heartbeat);
    }
  } finally {
    unwatch();
    unwatchMilestones();
    unwatchRemoval();
    milestones.stop();
  }
}
