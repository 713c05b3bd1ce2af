import type Busboy from 'busboy';
import { Readable } from 'node:stream';
import { EngineError } from '../engine/errors.ts';
import { LinkRefused } from '../log/disk.ts';
import { multipartParser } from '../libraries.ts';
import type { RawForm, Received } from '../fields/types.ts';
import { Incoming } from './incoming.ts';
import { sizeInWords, storeUpload } from './store.ts';

/** What the text parts of a form may add up to: the same 1 MB every other form gets. */
export const TEXT_LIMIT = 1024 * 1024;

/** At most this many files in one form (each within its field's size). */
const FILES_MAX = 50;

/** A file field's limits, found by its form path; undefined for a name that is no file field. */
export type LimitFor = (path: string) => { label: string; maxSize: number } | undefined;

/** A step's posted form: its text parts, its files as the fields see them, and those files' bytes until claimed. */
export type ReceivedForm = { raw: RawForm; uploads: Record<string, Received>; incoming: Incoming };

/**
 * Reads a multipart form as it arrives: text parts into the raw form (1 MB in all), each file of a file field
 * streamed into `dir` (a temporary file, until claimed: see Incoming) within that field's size limit. Files of
 * names that are no file field are read away unstored. Nothing is held whole in memory. A form that cannot be
 * read to its end (cut off, too large, not multipart) leaves no file behind.
 */
export function receiveForm(contentType: string, body: ReadableStream<Uint8Array> | null, dir: string, limitFor: LimitFor): Promise<ReceivedForm> {
  return new Promise((resolve, reject) => {
    const raw: RawForm = {};
    const uploads: Record<string, Received> = {};
    const incoming = new Incoming(dir);
    const stored: Promise<void>[] = [];
    let text = 0;
    let failure: unknown;
    let failed = false;
    let parser: Busboy.Busboy;
    try {
      parser = multipartParser(contentType, { fieldSize: TEXT_LIMIT, fieldNameSize: 500, fields: 20_000, files: FILES_MAX });
    } catch {
      return reject(new EngineError(400, 'The form could not be read.'));
    }
    // No file is stored after a failure; those being stored are removed once they are through, then it is answered.
    const fail = (err: unknown) => {
      if (failed) return;
      failed = true;
      const answer = err instanceof EngineError || err instanceof LinkRefused ? err : isDiskFull(err) ? new EngineError(422, DISK_FULL) : new EngineError(400, 'The form could not be read.');
      void Promise.allSettled(stored)
        .then(() => incoming.dropRest())
        .finally(() => reject(answer));
    };
    parser.on('field', (name, value) => {
      // A part may come without a name (or busboy may give none for a malformed header): it is no field.
      if (typeof name !== 'string' || typeof value !== 'string') return;
      text += name.length + value.length;
      if (text > TEXT_LIMIT) return fail(new EngineError(413, 'What was sent is larger than 1 MB (files aside).'));
      const had = raw[name];
      raw[name] = had === undefined ? value : [...(Array.isArray(had) ? had : [had]), value];
    });
    parser.on('file', (name, stream, info) => {
      const limit = typeof name === 'string' ? limitFor(name) : undefined;
      if (failed || !limit || !info.filename) return void stream.resume();
      stored.push(
        storeUpload(dir, stream, limit.maxSize).then(
          (result) => {
            if (result === 'too large') return void (uploads[name] = { error: `${limit.label} may be at most ${sizeInWords(limit.maxSize)}.` });
            incoming.add(result.sha256, result.size, result.temp);
            uploads[name] = { name: cleanName(info.filename ?? ''), size: result.size, type: info.mimeType || 'application/octet-stream', sha256: result.sha256 };
          },
          // Kept for when the form has been read to its end: the answer waits for that.
          (err: unknown) => void (failure ??= err),
        ),
      );
    });
    parser.on('error', fail);
    parser.on('close', () => {
      void Promise.all(stored).then(() => {
        if (failed) return; // answered by fail, once the files are gone
        if (failure === undefined) resolve({ raw, uploads, incoming });
        else fail(failure);
      });
    });
    if (!body) return void parser.end();
    Readable.fromWeb(body as Parameters<typeof Readable.fromWeb>[0])
      .on('error', (err) => {
        fail(err);
        parser.destroy(err); // ends the file being received, whose bytes then go
      })
      .pipe(parser);
  });
}

const DISK_FULL = 'There is no room left on the disk for the file, so nothing was recorded. Free some space and send it again.';

function isDiskFull(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT';
}

/** The file's own name without any folder a browser may send, and without control characters. */
function cleanName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  return base.replace(/[\x00-\x1f\x7f]/g, '').slice(0, 255) || 'file';
}
