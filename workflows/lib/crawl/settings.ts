import type { Values } from '../../../app/engine/definition.ts';
import type { CrawlOptions } from './crawler.ts';
import { patternLines } from './scope.ts';
import { parseStartUrl, type QueryMode } from './urls.ts';

export const DEFAULT_USER_AGENT = 'CardtrailBot/0.1 (link-graph crawl; run by the site owner)';
export const QUERY_MODES: readonly { value: QueryMode; label: string }[] = [
  { value: 'tracking', label: 'Drop tracking parameters (utm_*, gclid, fbclid…)' },
  { value: 'keep', label: 'Keep: every query string is its own page' },
  { value: 'drop', label: 'Drop all query strings' },
];

/** The crawl options a session's values describe (the fields have validated each already). */
export function crawlOptionsOf(values: Values): CrawlOptions {
  const start = parseStartUrl(String(values.startUrl ?? ''));
  if ('error' in start) throw new Error(start.error);
  return {
    start: start.url,
    maxPages: Number(values.maxPages),
    maxDepth: Number(values.maxDepth),
    subdomains: values.hosts === 'subdomains',
    include: patternLines(String(values.include ?? '')),
    exclude: patternLines(String(values.exclude ?? '')),
    robots: values.robots === true,
    sitemap: values.sitemap === true,
    query: (values.query as QueryMode) ?? 'tracking',
    concurrency: Number(values.concurrency),
    delayMs: Number(values.delayMs),
    fetch: {
      userAgent: String(values.userAgent || DEFAULT_USER_AGENT),
      timeoutMs: Number(values.timeoutS) * 1000,
      maxBytes: Number(values.maxKb) * 1024,
      retries: 2,
      backoffMs: 1000,
      maxRetryAfterMs: 30_000,
    },
  };
}

/** A message for a user agent the HTTP header cannot carry. */
export function userAgentProblem(text: string): string | undefined {
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code < 0x20 || code > 0x7e) return 'The user agent may only hold printable ASCII characters (no line breaks or accents).';
  }
  return undefined;
}
