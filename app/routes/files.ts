import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { Hono } from 'hono';
import { EngineError, notFound } from '../engine/errors.ts';
import type { Engine } from '../engine/sessions.ts';
import { attachment, contentTypeOf } from '../files/content-types.ts';
import { fileNameProblem, UnsafeFileName } from '../files/names.ts';
import { FileMissing, openInside } from '../files/safe-path.ts';
import { packFiles } from '../files/bundle.ts';
import { SessionFiles } from '../files/session-files.ts';
import { NO_FRAMING } from '../security.ts';

/** A served file can never act as a page of this site: no scripts, no plugins, its own origin (sandbox). */
const FILE_CSP = `default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox; ${NO_FRAMING}`;

/**
 * The name after `/s/<id>/files/` as the URL carries it, decoded once part by part. A part that decodes to a
 * `/` (or to something no file name may be) is an encoded path trick and is refused with the rest.
 */
export function requestedName(pathname: string, prefix: string): string {
  const rest = pathname.slice(prefix.length);
  const parts = rest.split('/').map((part) => {
    let decoded: string;
    try {
      decoded = decodeURIComponent(part);
    } catch {
      throw new EngineError(400, 'That file name is not a valid URL.');
    }
    if (decoded.includes('/')) throw new EngineError(400, 'A file name cannot hide a / in an escape.');
    return decoded;
  });
  const name = parts.join('/');
  const problem = fileNameProblem(name);
  if (problem) throw new EngineError(400, `That is not a file of this session: ${problem}.`);
  return name;
}

/** `GET /s/<id>/files/<name>`: a file of the session's own folder, as a download. */
export function fileRoutes(app: Hono, engine: Engine): void {
  // Registered before the files route, whose pattern would otherwise not see it (it is not under files/).
  app.get('/s/:id/files.tar', async (c) => {
    const { id, state } = await engine.loadLog(c.req.param('id'));
    const tarStream = packFiles(new SessionFiles(join(engine.store.sessionDir(id), 'files')));
    return c.body(Readable.toWeb(tarStream) as ReadableStream<Uint8Array>, 200, {
      'content-type': 'application/x-tar',
      'content-disposition': attachment(`${state.workflow}-${id}-files.tar`),
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-cache',
    });
  });

  app.get('/s/:id/files/*', async (c) => {
    const { id } = await engine.loadLog(c.req.param('id'));
    const name = requestedName(new URL(c.req.url).pathname, `/s/${id}/files/`);
    let opened;
    try {
      opened = openInside(join(engine.store.sessionDir(id), 'files'), name);
    } catch (err) {
      if (err instanceof FileMissing) throw notFound(`Session ${id} has no file ${name}.`);
      if (err instanceof UnsafeFileName) throw new EngineError(400, `${name} is not served: ${err.message}.`);
      throw err;
    }
    const body = Readable.toWeb(createReadStream('', { fd: opened.fd })) as ReadableStream<Uint8Array>;
    return c.body(body, 200, {
      'content-type': contentTypeOf(name),
      'content-length': String(opened.stat.size),
      'content-disposition': attachment(name),
      'content-security-policy': FILE_CSP,
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-cache',
    });
  });
}
