import type { Hono } from 'hono';
import { streamSSE, type SSEStreamingApi } from 'hono/streaming';
import type { Engine } from '../engine/sessions.ts';
import type { JobSnapshot } from '../jobs/context.ts';
import { JobProgress } from '../../views/job.tsx';

const HEARTBEAT_MS = 15_000;
const ENDED = new Set(['finished', 'failed', 'cancelled', 'interrupted']);

/** The progress block for a snapshot, rendered once however many watchers there are. */
const rendered = new WeakMap<JobSnapshot, string>();
function progressHtml(snapshot: JobSnapshot): string {
  let html = rendered.get(snapshot);
  if (html === undefined) rendered.set(snapshot, (html = String(<JobProgress snapshot={snapshot} />)));
  return html;
}

/**
 * A job's live progress as Server-Sent Events: the current state first (a late joiner sees where the job is,
 * not zero), then every update, then a `jobend` event, after which the stream closes. Unnamed messages carry
 * the progress block's HTML for htmx to swap in.
 */
export function jobEventRoutes(app: Hono, engine: Engine): void {
  app.get('/s/:id/jobs/:step/events', async (c) => {
    const id = c.req.param('id');
    const step = c.req.param('step');
    await engine.load(id);
    return streamSSE(c, (stream) => follow(stream, engine, id, step));
  });
}

async function follow(stream: SSEStreamingApi, engine: Engine, id: string, step: string): Promise<void> {
  let finish = () => {};
  const finished = new Promise<void>((resolve) => (finish = resolve));
  // Writes go one after another so a burst of updates arrives in order.
  let chain = Promise.resolve();
  const send = (write: () => Promise<unknown>) => {
    chain = chain.then(() => (stream.aborted || stream.closed ? undefined : write())).catch(finish) as Promise<void>;
  };
  const end = (status: string) => {
    send(() => stream.writeSSE({ event: 'jobend', data: status }));
    send(async () => finish());
  };
  const push = (snapshot: JobSnapshot) => {
    send(() => stream.writeSSE({ data: progressHtml(snapshot) }));
    if (ENDED.has(snapshot.status)) end(snapshot.status);
  };

  stream.onAbort(finish);
  const now = engine.jobs.snapshot(id, step);
  const unwatch = engine.jobs.watch(id, step, push);
  if (now) push(now);
  // Not running (or it ended between the snapshot and the watch): the page reloads its trail.
  if (!now || !engine.jobs.snapshot(id, step)) end('ended');
  const heartbeat = setInterval(() => send(() => stream.write(': keep-alive\n\n')), HEARTBEAT_MS);
  try {
    await finished;
  } finally {
    clearInterval(heartbeat);
    unwatch();
  }
}
