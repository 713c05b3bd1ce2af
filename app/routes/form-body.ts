import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';

/**
 * A url-encoded form's fields, read straight from node's request when the server is node's and the body is
 * still unread with its length declared (the length limit has then already been checked against that header,
 * and node's parser holds the body to it). That skips building a web Request and its stream for a few hundred
 * bytes, which cost more than the rest of a note's route. Undefined otherwise: the caller parses it the usual way.
 */
async function urlEncodedFields(c: Context): Promise<URLSearchParams | undefined> {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (!incoming || incoming.readableDidRead || c.req.header('content-length') === undefined) return undefined;
  if (!(c.req.header('content-type') ?? '').startsWith('application/x-www-form-urlencoded')) return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/**
 * True when the request declares a body length within `max` (and no chunked transfer): node's parser then
 * holds the body to that length, so there is nothing for a counting limit to do. Asking a web Request whether
 * it has a body, as the counting limit does first, builds the Request and its stream.
 */
export function declaredWithin(c: Context, max: number): boolean {
  const length = c.req.header('content-length');
  return length !== undefined && c.req.header('transfer-encoding') === undefined && /^\d+$/.test(length) && Number(length) <= max;
}

/** A posted form's values by name, in order (multipart parts and url-encoded fields alike). */
export async function formFields(c: Context): Promise<Map<string, (string | File)[]>> {
  const fields = new Map<string, (string | File)[]>();
  const direct = await urlEncodedFields(c);
  if (direct) {
    for (const [key, value] of direct) {
      const values = fields.get(key);
      if (values) values.push(value);
      else fields.set(key, [value]);
    }
    return fields;
  }
  for (const [key, value] of Object.entries(await c.req.parseBody({ all: true }))) fields.set(key, Array.isArray(value) ? value : [value]);
  return fields;
}
