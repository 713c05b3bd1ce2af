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

/**
 * Refuses a state-changing request sent by a page of another origin (CSRF). Browsers send Origin on every
 * cross-origin POST, and Sec-Fetch-Site where Origin is withheld; requests without either are not from a page.
 */
export function sameOriginWrites(): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      const origin = c.req.header('origin');
      const site = c.req.header('sec-fetch-site');
      const own = new URL(c.req.url).origin;
      if (origin ? origin !== own : site !== undefined && site !== 'same-origin' && site !== 'none')
        return c.text('Cross-origin requests may not change anything here.', 403);
    }
    await next();
  };
}

/**
 * Forbids showing these pages inside another site's frame, where a hidden click would pass the Origin check as a
 * same-origin click (clickjacking: Delete, Finalize, Revert).
 */
export function noFraming(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    // An event stream written straight to the Node response has sent its headers already; it is not a page.
    if (c.res.headers.has('x-hono-already-sent')) return;
    c.header('X-Frame-Options', 'DENY');
    const own = c.res.headers.get('Content-Security-Policy');
    c.header('Content-Security-Policy', own ? `${own}; frame-ancestors 'none'` : "frame-ancestors 'none'");
  };
}
