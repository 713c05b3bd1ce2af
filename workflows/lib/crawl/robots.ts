import { createRequire } from 'node:module';
import { fetchFollowing } from './follow.ts';
import type { FetchSettings } from './fetch.ts';

// robots-parser is CommonJS whose types declare an ES default export that NodeNext cannot see; required as it is.
type RobotsParser = typeof import('robots-parser').default;
const robotsParser = createRequire(import.meta.url)('robots-parser') as RobotsParser;

/** A host's robots.txt as the crawler obeys it. */
export type Robots = {
  allowed: (url: string) => boolean;
  /** Crawl-delay for our user agent (or *), in milliseconds; 0 when none. */
  delayMs: number;
  sitemaps: string[];
  /** What happened when fetching it, for the job's messages. */
  note: string;
};

/** Crawl-delay values above this are taken as this: a typo of 3600 should not stall a crawl for hours per page. */
const MAX_DELAY_MS = 60_000;
const ROBOTS_MAX_BYTES = 512 * 1024;

/** Reads robots.txt from the text a server sent (pure; the parsing is robots-parser's). */
export function parseRobots(robotsUrl: string, text: string, userAgent: string): Omit<Robots, 'note'> {
  const parsed = robotsParser(robotsUrl, text);
  const delay = parsed.getCrawlDelay(userAgent);
  return {
    allowed: (url) => parsed.isAllowed(url, userAgent) !== false,
    delayMs: delay && delay > 0 ? Math.min(delay * 1000, MAX_DELAY_MS) : 0,
    sitemaps: parsed.getSitemaps(),
  };
}

/** Everything is allowed (no robots.txt, or it is not obeyed). */
export const ALLOW_ALL: Robots = { allowed: () => true, delayMs: 0, sitemaps: [], note: 'robots.txt not read' };

/**
 * Fetches and reads a host's robots.txt. A missing file (4xx) or one that cannot be fetched allows everything,
 * as the robots exclusion standard says for 4xx; the note says which happened.
 */
export async function loadRobots(origin: string, settings: FetchSettings, signal: AbortSignal): Promise<Robots> {
  const url = new URL('/robots.txt', origin).href;
  const answer = await fetchFollowing(url, { ...settings, maxBytes: ROBOTS_MAX_BYTES }, () => true, signal);
  if (answer.status && answer.status >= 200 && answer.status < 300 && answer.body)
    return { ...parseRobots(url, Buffer.from(answer.body).toString('utf8'), settings.userAgent), note: `robots.txt read from ${url}` };
  const why = answer.error ?? `status ${answer.status}`;
  return { ...ALLOW_ALL, note: `robots.txt not used (${why}): everything allowed` };
}
