import type { Hono } from 'hono';
import type { Engine } from '../engine/sessions.ts';
import type { JobSnapshot } from '../jobs/context.ts';
import { JobProgress } from '../../views/job.tsx';
import { openSse, type SseSink } from './sse-sink.ts';

const HEARTBEAT_MS = 15_000;
const ENDED = new Set(['finished', 'failed', 'cancelled', 'interrupted']);

/**
 * A snapshot's progress block as a whole SSE message (`data:` lines and the blank line), rendered and encoded
 * once however many watchers there are: each watcher's write is then the same bytes.
 */
const frames = new WeakMap<JobSnapshot, Buffer>();
function progressFrame(snapshot: JobSnapshot): Buffer {
  let frame = frames.get(snapshot);
  if (frame === undefined) {
    const html = String(<JobProgress snapshot={snapshot} />);
    frames.set(snapshot, (frame = Buffer.from(`${html.split(/\r\n|\r|\n/).map((line) => `data: ${line}\n`).join('')}\n`)));
  }
  return frame;
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
    return openSse(c, (sink) => follow(sink, engine, id, step));
  });
}

async function follow(sink: SseSink, engine: Engine, id: string, step: string): Promise<void> {
  const end = (status: string) => {
    sink.write(`event: jobend\ndata: ${status}\n\n`);
    sink.end();
  };
  const push = (snapshot: JobSnapshot) => {
    sink.write(progressFrame(snapshot));
    if (ENDED.has(snapshot.status)) end(snapshot.status);
  };
  const now = engine.jobs.snapshot(id, step);
  const unwatch = engine.jobs.watch(id, step, push);
  if (now) push(now);
  // Not running (or it ended between the snapshot and the watch): the page reloads its trail.
  if (!now || !engine.jobs.snapshot(id, step)) end('ended');
  const heartbeat = setInterval(() => sink.write(': keep-alive\n\n'), HEARTBEAT_MS);
  try {
    await sink.closed;
  } finally {
    clearInterval(heartbeat);
    unwatch();
  }
}
