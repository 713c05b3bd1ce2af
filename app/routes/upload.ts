import type Busboy from 'busboy';
import { Readable } from 'node:stream';
import { EngineError } from '../engine/errors.ts';
import { multipartParser } from '../libraries.ts';

/** Imported logs may be long: 100,000 entries are about 20 MB. */
export const MAX_IMPORT = 256 * 1024 * 1024;

/** What to do with an uploaded file as it streams in. */
export type Consume<T> = (chunks: AsyncIterable<Buffer>, name: string) => Promise<T>;

/**
 * Hands the file sent as form field `field` of a multipart request to `consume` while it arrives, never holding
 * it whole. Resolves with what `consume` gave, or undefined when the request carries no such file.
 */
export async function withUpload<T>(req: Request, field: string, consume: Consume<T>, limit = MAX_IMPORT): Promise<T | undefined> {
  return (await withUploads<T>(req, { [field]: consume }, limit))[field];
}

/**
 * Hands each file of a multipart request to the consumer named by its form field while it arrives, never
 * holding it whole (the form parser, busboy, passes it on in chunks), one file after another in the order the
 * form sends them. Resolves with what each consumer gave, by field; a field whose file was not sent (a form
 * with no file chosen sends one with an empty name) is absent. A body over `limit` bytes fails with 413, a body
 * that is not readable multipart with 400, a consumer's failure with that failure; either way the rest of the
 * body is read and dropped, so the answer reaches the browser.
 */
export function withUploads<T>(req: Request, consumers: Record<string, Consume<T>>, limit = MAX_IMPORT): Promise<Record<string, T>> {
  const type = req.headers.get('content-type') ?? '';
  if (!type.toLowerCase().startsWith('multipart/form-data') || !req.body) return Promise.resolve({});
  if (Number(req.headers.get('content-length')) > limit) return Promise.reject(tooLarge(limit));
  const fields = Object.keys(consumers);
  return new Promise((resolve, reject) => {
    let parser: Busboy.Busboy;
    try {
      parser = multipartParser(type, { files: fields.length, fields: 20, fieldSize: 64 * 1024, parts: 40 });
    } catch {
      return reject(new EngineError(400, 'The form could not be read.'));
    }
    const results: Record<string, T> = {};
    // Each file is consumed after the one before it is done; the chain settles at once (never an unhandled
    // rejection) and is read by 'close' once the whole body is through.
    let outcome: Promise<{ ok: true } | { ok: false; error: unknown }> = Promise.resolve({ ok: true });
    let failure: unknown;
    let size = 0;
    let current: Readable | undefined;
    parser.on('file', (name, file, info) => {
      const consume = Object.hasOwn(consumers, name) ? consumers[name] : undefined;
      const filename = info.filename;
      if (!consume || !filename || name in results) return void file.resume();
      current = file;
      outcome = outcome.then(async (before) => {
        if (!before.ok) return before;
        try {
          // Not destroyed when consume stops early: the rest is drained below, or the form parser would stall.
          results[name] = await consume(file.iterator({ destroyOnReturn: false }), filename);
          return { ok: true as const };
        } catch (error) {
          return { ok: false as const, error };
        } finally {
          // Once consume is done (or gave up), the rest of the file is read and dropped.
          file.resume();
        }
      });
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
      if (!failure) void outcome.then((o) => (o.ok ? resolve(results) : reject(o.error)));
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
