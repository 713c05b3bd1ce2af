import { fetchFollowing } from './follow.ts';
import type { Fetched, FetchSettings } from './fetch.ts';
import { robotsParser } from './libraries.ts';

/** A host's robots.txt as the crawler obeys it. */
export type Robots = {
  allowed: (url: string) => boolean;
  /** Crawl-delay for our user agent (or *), in milliseconds; 0 when none. */
  delayMs: number;
  sitemaps: string[];
  /** Recorded on each page it keeps the crawler from. */
  refusal: string;
  /** What happened when fetching it, for the job's messages. */
  note: string;
};

/** Crawl-delay values above this are taken as this: a typo of 3600 should not stall a crawl for hours per page. */
const MAX_DELAY_MS = 60_000;
const ROBOTS_MAX_BYTES = 512 * 1024;
/** robots.txt is asked once per host and decides everything after it: it gets at least this long to answer. */
const ROBOTS_TIMEOUT_MS = 10_000;

/** Reads robots.txt from the text a server sent (pure; the parsing is robots-parser's). */
export function parseRobots(robotsUrl: string, text: string, userAgent: string): Omit<Robots, 'note' | 'refusal'> {
  const parsed = robotsParser()(robotsUrl, text);
  const delay = parsed.getCrawlDelay(userAgent);
  return {
    allowed: (url) => parsed.isAllowed(url, userAgent) !== false,
    delayMs: delay && delay > 0 ? Math.min(delay * 1000, MAX_DELAY_MS) : 0,
    sitemaps: parsed.getSitemaps(),
  };
}

/** Everything is allowed (robots.txt is not obeyed). */
export const ALLOW_ALL: Robots = { allowed: () => true, delayMs: 0, sitemaps: [], refusal: '', note: 'robots.txt not read' };

/**
 * What a robots.txt answer means (pure), as RFC 9309 says: a file read is obeyed; a missing one (4xx) allows
 * everything; a server error (5xx) or no answer at all disallows everything, since the site may be refusing.
 */
export function robotsOf(url: string, answer: Pick<Fetched, 'status' | 'body' | 'error'>, userAgent: string): Robots {
  const { status, body } = answer;
  if (status && status >= 200 && status < 300 && body)
    return { ...parseRobots(url, Buffer.from(body).toString('utf8'), userAgent), refusal: 'disallowed by robots.txt', note: `robots.txt read from ${url}` };
  if (status && status >= 400 && status < 500) return { ...ALLOW_ALL, note: `no robots.txt (status ${status}): everything allowed` };
  const why = answer.error ?? `status ${status}`;
  return {
    allowed: () => false, delayMs: 0, sitemaps: [], refusal: `robots.txt could not be read (${why})`,
    note: `robots.txt could not be read (${why}): nothing on ${new URL(url).host} is fetched; untick "Obey robots.txt" to crawl anyway`,
  };
}

/** Fetches a host's robots.txt (following redirects) and reads it. */
export async function loadRobots(origin: string, settings: FetchSettings, signal: AbortSignal): Promise<Robots> {
  const url = new URL('/robots.txt', origin).href;
  const timeoutMs = Math.max(settings.timeoutMs, ROBOTS_TIMEOUT_MS);
  return robotsOf(url, await fetchFollowing(url, { ...settings, timeoutMs, maxBytes: ROBOTS_MAX_BYTES }, () => true, signal), settings.userAgent);
}
