import type { MiddlewareHandler } from 'hono';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** True for the addresses only this machine can reach. */
export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host) || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * Refuses a request whose Host is not one of this server's names. A page on another site that rebinds its DNS
 * name to 127.0.0.1 still sends its own name as Host, so it is turned away here.
 */
export function hostCheck(allowed: ReadonlySet<string>): MiddlewareHandler {
  return async (c, next) => {
    const host = new URL(c.req.url).hostname;
    if (!allowed.has(host) && !LOOPBACK.has(host)) return c.text(`Host "${host}" is not served here.`, 403);
    await next();
  };
}

/** The headers a write is judged by: what a browser says about the page that sent it. */
export type WriteHeaders = { origin?: string; site?: string; referer?: string };

/**
 * Why a state-changing request is refused as cross-site (CSRF), or undefined when it came from this server's own
 * pages. Browsers send Origin on every POST, and Sec-Fetch-Site where Origin is withheld; a request with neither
 * (an old client, some tools) passes only when its Referer is one of this server's pages.
 */
export function crossSiteWrite(headers: WriteHeaders, own: string): string | undefined {
  const { origin, site, referer } = headers;
  if (origin !== undefined) return origin === own ? undefined : `it comes from ${origin}`;
  if (site !== undefined) return site === 'same-origin' || site === 'none' ? undefined : `it comes from a ${site} page`;
  if (referer !== undefined && originOf(referer) === own) return undefined;
  return referer === undefined ? 'it does not say which page sent it (no Origin, Sec-Fetch-Site or Referer)' : 'its Referer is not a page of this server';
}

/**
 * A link back to the page the request came from, taken from a header the client sets (HX-Current-URL): only a
 * path of this server's own origin, else undefined. Anything else (another site, javascript:, //host) is dropped.
 */
export function sameOriginPath(url: string | undefined, own: string): string | undefined {
  if (!url) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url, own);
  } catch {
    return undefined;
  }
  return parsed.origin === own && parsed.pathname.startsWith('/') ? parsed.pathname + parsed.search : undefined;
}

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/** Refuses a state-changing request sent by a page of another origin, or by no page at all (CSRF). */
export function sameOriginWrites(): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      const why = crossSiteWrite(
        { origin: c.req.header('origin'), site: c.req.header('sec-fetch-site'), referer: c.req.header('referer') },
        new URL(c.req.url).origin,
      );
      if (why) return c.text(`Changes are accepted only from this server's own pages, and this request is not: ${why}.`, 403);
    }
    await next();
  };
}

/** The frame rule every answer carries; a route that sets its own Content-Security-Policy must include it. */
export const NO_FRAMING = "frame-ancestors 'none'";

/**
 * Forbids showing these pages inside another site's frame, where a hidden click would pass the Origin check as a
 * same-origin click (clickjacking: Delete, Finalize, Revert). The headers are set before the route runs, so
 * Hono puts them on whatever the route answers through the context (c.html, c.body, c.text); reading or adding
 * headers after it would make the server copy the whole page into a second Response object (about 1 ms for the
 * home page). A route must therefore answer through the context, not with `new Response`.
 */
export function noFraming(): MiddlewareHandler {
  return async (c, next) => {
    c.header('X-Frame-Options', 'DENY');
    c.header('Content-Security-Policy', NO_FRAMING);
    await next();
  };
}
