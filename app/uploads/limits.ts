import type { Context } from 'hono';

/**
 * A step's multipart post streams its files to disk under each file field's own limit (app/uploads/receive.ts,
 * which also holds its text parts to 1 MB), so the 1 MB limit of other forms does not apply to it.
 */
export function streamsUploads(c: Context): boolean {
  return c.req.method === 'POST' && /^\/s\/[^/]+\/steps\/[^/]+$/.test(c.req.path) && (c.req.header('content-type') ?? '').startsWith('multipart/form-data');
}
