import { setTimeout as sleep } from 'node:timers/promises';

/** How one request is made. */
export type FetchSettings = {
  userAgent: string;
  timeoutMs: number;
  /** Bodies longer than this are not read past it (and the page is marked too large). */
  maxBytes: number;
  /** Retries after a 429 or 503. */
  retries: number;
  /** First backoff when the server sends no Retry-After; doubled on every retry. */
  backoffMs: number;
  /** The longest Retry-After honoured; longer ones are waited out only this long. */
  maxRetryAfterMs: number;
};

/** One HTTP exchange (one hop: redirects are not followed here). */
export type Fetched = {
  status?: number;
  contentType?: string;
  /** The Location header as sent, for 3xx answers. */
  location?: string;
  /** The body, for answers `wantBody` asked for; absent otherwise. */
  body?: Uint8Array;
  bytes: number;
  tooLarge: boolean;
  ms: number;
  retries: number;
  /** Why no answer came: a timeout or a network error. */
  error?: string;
};

/** True for answers whose body the crawler reads (HTML it will parse). */
export type WantBody = (status: number, contentType: string) => boolean;

/**
 * Fetches one URL with retries on 429/503; throws only when `signal` aborts (cancel), never for the site's faults.
 * `pace` is awaited before every attempt (the host's politeness slot), retries included.
 */
export async function fetchWithRetries(url: string, settings: FetchSettings, wantBody: WantBody, signal: AbortSignal, pace?: () => Promise<void>): Promise<Fetched> {
  let retries = 0;
  for (;;) {
    await pace?.();
    const answer = await fetchOnce(url, settings, wantBody, signal);
    if ((answer.status !== 429 && answer.status !== 503) || retries >= settings.retries) return { ...answer, retries };
    await sleep(backoffMs(answer.retryAfter, retries, settings), undefined, { signal });
    retries++;
  }
}

/** How long to wait before retry number `attempt` (0-based): Retry-After when given (capped), else exponential. */
export function backoffMs(retryAfter: string | undefined, attempt: number, settings: Pick<FetchSettings, 'backoffMs' | 'maxRetryAfterMs'>): number {
  const seconds = retryAfter === undefined ? NaN : Number(retryAfter);
  const dated = retryAfter === undefined ? NaN : Date.parse(retryAfter) - Date.now();
  const asked = Number.isFinite(seconds) ? seconds * 1000 : Number.isFinite(dated) ? dated : undefined;
  if (asked !== undefined) return Math.max(0, Math.min(asked, settings.maxRetryAfterMs));
  return settings.backoffMs * 2 ** attempt;
}

async function fetchOnce(url: string, settings: FetchSettings, wantBody: WantBody, signal: AbortSignal): Promise<Fetched & { retryAfter?: string }> {
  const started = performance.now();
  // One controller per request, aborted by the crawl's signal or the timer (AbortSignal.any and .timeout cost
  // noticeably more per request on Node 20).
  const both = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => ((timedOut = true), both.abort()), settings.timeoutMs);
  const onAbort = () => both.abort(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const res = await fetch(url, {
      redirect: 'manual',
      signal: both.signal,
      headers: { 'user-agent': settings.userAgent, accept: 'text/html,application/xhtml+xml,*/*;q=0.8' },
    });
    const contentType = res.headers.get('content-type') ?? '';
    const declared = Number(res.headers.get('content-length') ?? NaN);
    const common = {
      status: res.status,
      contentType,
      location: res.headers.get('location') ?? undefined,
      retryAfter: res.headers.get('retry-after') ?? undefined,
      retries: 0,
    };
    if (!wantBody(res.status, contentType) || declared > settings.maxBytes) {
      await res.body?.cancel().catch(() => {});
      return { ...common, bytes: Number.isFinite(declared) ? declared : 0, tooLarge: declared > settings.maxBytes, ms: elapsed() };
    }
    // With a declared length within the cap (undici holds the server to it) the body is read in one go.
    const { body, tooLarge } = Number.isFinite(declared)
      ? { body: new Uint8Array(await res.arrayBuffer()), tooLarge: false }
      : await readCapped(res, settings.maxBytes);
    return { ...common, body: tooLarge ? undefined : body, bytes: body.byteLength, tooLarge, ms: elapsed() };
  } catch (err) {
    if (signal.aborted) throw signal.reason;
    const error = timedOut ? `timed out after ${settings.timeoutMs / 1000} s` : networkReason(err);
    return { bytes: 0, tooLarge: false, ms: elapsed(), retries: 0, error };
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
  }
}

/** Reads a body up to `max` bytes; beyond that it stops reading and says so. */
async function readCapped(res: Response, max: number): Promise<{ body: Uint8Array; tooLarge: boolean }> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = res.body?.getReader();
  if (!reader) return { body: new Uint8Array(), tooLarge: false };
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => {});
      return { body: Buffer.concat(chunks), tooLarge: true };
    }
    chunks.push(value);
  }
  return { body: Buffer.concat(chunks), tooLarge: false };
}

function networkReason(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
  return cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
}
