import busboy from 'busboy';
import { Readable } from 'node:stream';
import { EngineError } from '../engine/errors.ts';

/** Imported logs may be long: 100,000 entries are about 20 MB. */
export const MAX_IMPORT = 256 * 1024 * 1024;

/** What to do with an uploaded file as it streams in. */
export type Consume<T> = (chunks: AsyncIterable<Buffer>, name: string) => Promise<T>;

/**
 * Hands the file sent as form field `field` of a multipart request to `consume` while it arrives, never holding
 * it whole (the form parser, busboy, passes it on in chunks). Resolves with what `consume` gave, or undefined
 * when the request carries no such file (a form with no file chosen sends one with an empty name). A body over
 * `limit` bytes fails with 413, a body that is not readable multipart with 400; either way the rest of the
 * body is read and dropped, so the answer reaches the browser.
 */
export function withUpload<T>(req: Request, field: string, consume: Consume<T>, limit = MAX_IMPORT): Promise<T | undefined> {
  const type = req.headers.get('content-type') ?? '';
  if (!type.toLowerCase().startsWith('multipart/form-data') || !req.body) return Promise.resolve(undefined);
  if (Number(req.headers.get('content-length')) > limit) return Promise.reject(tooLarge(limit));
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: { 'content-type': type }, limits: { files: 1, fields: 20, fieldSize: 64 * 1024, parts: 40 } });
    } catch {
      return reject(new EngineError(400, 'The form could not be read.'));
    }
    let outcome: Promise<{ ok: true; value: T | undefined } | { ok: false; error: unknown }> = Promise.resolve({ ok: true, value: undefined });
    let failure: unknown;
    let size = 0;
    let current: Readable | undefined;
    parser.on('file', (name, file, info) => {
      if (name !== field || !info.filename) return void file.resume();
      current = file;
      // Settled at once (never an unhandled rejection); read by 'close' once the whole body is through.
      // Not destroyed when consume stops early: the rest is drained below, or the form parser would stall.
      outcome = consume(file.iterator({ destroyOnReturn: false }), info.filename).then(
        (value) => ({ ok: true as const, value }),
        (error: unknown) => ({ ok: false as const, error }),
      );
      // Once consume is done (or gave up), the rest of the file is read and dropped.
      void outcome.then(() => file.resume());
    });
    const source = Readable.fromWeb(req.body as import('node:stream/web').ReadableStream<Uint8Array>);
    // Stops parsing for good: the file being read ends with the error, the rest of the body is drained, and the
    // request is answered with the first failure once the body is through (or broke off).
    const fail = (error: EngineError) => {
      if (failure) return;
      failure = error;
      current?.destroy(error);
      source.unpipe(parser);
      source.resume();
      if (source.readableEnded) reject(error);
      else source.once('end', () => reject(error));
    };
    parser.on('error', () => fail(new EngineError(400, 'The form could not be read.')));
    parser.on('close', () => {
      if (!failure) void outcome.then((o) => (o.ok ? resolve(o.value) : reject(o.error)));
    });
    source.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) fail(tooLarge(limit));
    });
    source.on('error', () => {
      current?.destroy();
      reject(failure ?? new EngineError(400, 'The upload was cut off before it ended.'));
    });
    source.pipe(parser);
  });
}

function tooLarge(limit: number): EngineError {
  return new EngineError(413, `What was sent is larger than ${limit / 1024 / 1024} MB.`);
}
