import type { ServerResponse } from 'node:http';
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';

/** Where an event stream's text goes, and how to learn that the watcher left. */
export type SseSink = {
  /** Queues text (or its UTF-8 bytes, made once for many watchers) for the watcher, in order; ignored once the stream is closed. */
  write(text: string | Uint8Array): void;
  /** Ends the stream from this side. */
  end(): void;
  /** Resolves when the stream ends, from either side. */
  closed: Promise<void>;
};

const HEADERS = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' };

/**
 * Opens an event stream and hands its sink to `follow`. Served by @hono/node-server, it writes straight to the
 * Node response: each update is then one socket write, as a hand-written SSE server would do, instead of a trip
 * through web streams (which measured about twice the latency at 100 watchers; see bench/sse-latency.ts).
 * Elsewhere (app.request in tests) it uses Hono's streamSSE.
 */
export function openSse(c: Context, follow: (sink: SseSink) => Promise<void>): Response {
  const out = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
  if (out) {
    out.writeHead(200, HEADERS);
    out.flushHeaders();
    const closed = new Promise<void>((resolve) => out.once('close', resolve));
    void follow({
      write: (text) => void (out.writableEnded || out.destroyed || out.write(text)),
      end: () => out.end(),
      closed,
    }).finally(() => out.end());
    // Tells @hono/node-server that the response is being written by hand.
    return RESPONSE_ALREADY_SENT;
  }
  return streamSSE(c, async (stream) => {
    let close = () => {};
    const closed = new Promise<void>((resolve) => (close = resolve));
    stream.onAbort(close);
    let chain = Promise.resolve();
    await follow({
      write: (text) => {
        chain = chain.then(() => (stream.aborted || stream.closed ? undefined : stream.write(text))).then(
          () => undefined,
          close,
        );
      },
      end: () => void chain.then(close),
      closed,
    });
    await chain;
  });
}
