import normalizeUrl from 'normalize-url';
import { hostProblem } from '../../../app/fields/web-host.ts';

/** How query strings take part in a URL's identity. */
export type QueryMode = 'keep' | 'drop' | 'tracking';

/** Parameters that only say where a visitor came from; `tracking` drops them. */
export const TRACKING_PARAMETERS: readonly (RegExp | string)[] = [/^utm_\w+/i, 'fbclid', 'gclid', 'dclid', 'msclkid', 'mc_cid', 'mc_eid', '_ga', '_gl'];

/**
 * The one spelling of a URL the crawler keys pages by: resolved against `base`, http(s) only, fragment dropped,
 * scheme and host lower-cased, default port and duplicate slashes removed, query kept, dropped or stripped of
 * tracking parameters. Undefined for anything that is not an http(s) URL (mailto:, javascript:, garbage).
 */
export function normalizeLink(href: string, base: string | URL, query: QueryMode = 'keep'): string | undefined {
  const trimmed = href.trim();
  if (!trimmed) return undefined;
  let resolved: URL;
  try {
    resolved = new URL(trimmed, base);
  } catch {
    return undefined;
  }
  if (resolved.protocol !== 'http:' && resolved.protocol !== 'https:') return undefined;
  if (!resolved.hostname) return undefined;
  // Dropped here rather than by normalize-url, which also drops the single slash of a bare host when it does.
  if (query === 'drop') resolved.search = '';
  try {
    // Re-serialised by URL so a bare host always keeps its single slash, whatever normalize-url removed.
    return new URL(normalizeUrl(resolved.href, {
      stripHash: true,
      stripTextFragment: true,
      stripWWW: false,
      stripAuthentication: true,
      removeTrailingSlash: false,
      removeSingleSlash: false,
      removeDirectoryIndex: false,
      removeExplicitPort: false,
      sortQueryParameters: false,
      removeQueryParameters: query === 'tracking' ? [...TRACKING_PARAMETERS] : false,
    })).href;
  } catch {
    return undefined;
  }
}

/** A start URL as typed: a message for anything but an absolute http(s) URL, else its normalised form. */
export function parseStartUrl(text: string): { url: string } | { error: string } {
  const trimmed = text.trim();
  if (!trimmed) return { error: 'Give the address of the site to crawl, for example https://example.com/.' };
  let parsed: URL;
  try {
    parsed = new URL(/^[a-z][a-z0-9+.-]*:/i.test(trimmed) ? trimmed : `https://${trimmed}`);
  } catch {
    return { error: `"${trimmed}" is not a web address.` };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    return { error: `Only http and https addresses can be crawled, not ${parsed.protocol.replace(':', '')}.` };
  if (!parsed.hostname) return { error: `"${trimmed}" has no host name.` };
  if (parsed.username || parsed.password) return { error: 'Leave the user name and password out of the address.' };
  const problem = hostProblem(parsed);
  if (problem) return { error: `"${trimmed}" cannot be crawled: it has ${problem}.` };
  const url = normalizeLink(parsed.href, parsed.href);
  return url ? { url } : { error: `"${trimmed}" is not a web address.` };
}

/** The first folder of a URL's path ("/blog/"), or "/" for pages at the top: what the graph colours by. */
export function folderOf(url: string): string {
  const path = new URL(url).pathname;
  const second = path.indexOf('/', 1);
  return second < 0 ? '/' : path.slice(0, second + 1);
}
