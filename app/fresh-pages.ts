import type { MiddlewareHandler } from 'hono';

/**
 * Pages are never kept by the browser: they change as sessions and jobs go on, and a page shown again from the
 * cache on Back (a job's form after the job started, a bar that no longer moves) is a stale one that acts on
 * what is gone. An answer that says how to cache itself (assets, downloads) keeps what it says.
 */
export function freshPages(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const type = c.res.headers.get('content-type') ?? '';
    if (type.startsWith('text/html') && !c.res.headers.has('cache-control')) c.res.headers.set('cache-control', 'no-store');
  };
}
