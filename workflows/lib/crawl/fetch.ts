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
 * How a fetch waits. `pace` is awaited before every attempt (the host's politeness slot), retries included;
 * `backOff` waits before a retry after a 429 or 503 (a plain sleep when not given).
 */
export type Waits = {
  pace?: () => Promise<void>;
  backOff?: (ms: number, status: number, signal: AbortSignal) => Promise<void>;
};

/** Fetches one URL with retries on 429/503; throws only when `signal` aborts (cancel), never for the site's faults. */
export async function fetchWithRetries(url: string, settings: FetchSettings, wantBody: WantBody, signal: AbortSignal, waits: Waits = {}): Promise<Fetched> {
  const backOff = waits.backOff ?? ((ms: number, _status: number, s: AbortSignal) => sleep(ms, undefined, { signal: s }));
  let retries = 0;
  for (;;) {
    await waits.pace?.();
    const answer = await fetchOnce(url, settings, wantBody, signal);
    if ((answer.status !== 429 && answer.status !== 503) || retries >= settings.retries) return { ...answer, retries };
    await backOff(backoffMs(answer.retryAfter, retries, settings), answer.status, signal);
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

/** Why a request got no answer, in words (pure): the error's code said plainly, else its message. */
export function networkReason(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
  const code = cause?.code;
  if (code) return NETWORK_WORDS[code] ?? (code.startsWith('HPE_') ? 'the server’s answer is not valid HTTP' : `network error ${code}`);
  return cause?.message ?? (err instanceof Error ? err.message : String(err));
}

const CERTIFICATE_NOT_VERIFIED = 'the site’s certificate could not be verified';

/** The error codes of Node's sockets, DNS, TLS and undici, as the crawl records and shows them. */
const NETWORK_WORDS: Record<string, string> = {
  ECONNREFUSED: 'the connection was refused',
  ECONNRESET: 'the connection was reset by the server',
  UND_ERR_SOCKET: 'the connection was closed by the server',
  UND_ERR_CLOSED: 'the connection was closed',
  EPIPE: 'the connection was closed by the server while the request was sent',
  ETIMEDOUT: 'the connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
  UND_ERR_HEADERS_TIMEOUT: 'the server did not answer in time',
  UND_ERR_BODY_TIMEOUT: 'the server stopped sending the page',
  UND_ERR_HEADERS_OVERFLOW: 'the server sent headers too large to read',
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: 'the page was shorter or longer than the server said',
  ENOTFOUND: 'the host name was not found (DNS)',
  EAI_AGAIN: 'the host name could not be looked up (DNS did not answer)',
  EHOSTUNREACH: 'the host cannot be reached',
  ENETUNREACH: 'the network cannot be reached',
  EPROTO: 'the secure connection (TLS) could not be set up',
  CERT_HAS_EXPIRED: 'the site’s certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the site’s certificate is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'the site’s certificate is self-signed',
  ERR_TLS_CERT_ALTNAME_INVALID: 'the site’s certificate is for another host name',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: CERTIFICATE_NOT_VERIFIED,
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: CERTIFICATE_NOT_VERIFIED,
};
