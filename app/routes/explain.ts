import { EngineError } from '../engine/errors.ts';
import { FoldError } from '../log/fold.ts';
import { diskCause, diskMessage, DiskFault, LinkRefused, type DiskCause } from '../log/disk.ts';
import { LogNotAFile, LogStopped } from '../log/store.ts';

/**
 * An error as the person is told it: the status, a title, a sentence, and the one line the terminal gets
 * (`stack`: print the whole stack, for what nobody expected). Pure, so every kind is tested without a server.
 */
export type Explained = { status: number; title: string; message: string; terminal?: string; stack?: true };

const TITLES: Record<number, string> = {
  400: 'Bad request',
  404: 'Not found',
  409: 'Not possible now',
  413: 'Too large',
  422: 'Not accepted',
};

const DISK: Record<DiskCause, { status: number; title: string }> = {
  full: { status: 507, title: 'The data folder is full' },
  'read-only': { status: 503, title: 'The data folder is read-only' },
  denied: { status: 503, title: 'The data folder may not be written' },
};

export function explain(err: unknown): Explained {
  if (err instanceof EngineError) return { status: err.status, title: TITLES[err.status] ?? 'Not possible', message: err.message };
  if (err instanceof LogStopped) return { status: 409, title: 'Read-only log', message: err.message };
  if (err instanceof LinkRefused) return { status: 403, title: 'Symbolic link refused', message: err.message, terminal: err.message };
  if (err instanceof LogNotAFile)
    return {
      status: 409,
      title: 'The log is not a file',
      message: `This session's log, ${err.path}, is ${err.kind}, not a file, so there is nothing to show. It is left as it is: move the session to the trash (nothing is erased), or put its log file back.`,
    };
  if (err instanceof FoldError)
    return {
      status: 409,
      title: 'Unreadable log',
      message: `This session's log does not make a session (${err.message}): it is empty, or its first line is damaged. The file is left as it is; download it or delete the session.`,
    };
  const cause = err instanceof DiskFault ? err.cause : diskCause(err);
  if (cause) {
    const message = err instanceof DiskFault ? err.message : diskMessage(cause, undefined);
    const detail = err instanceof DiskFault ? err.detail : String((err as Error).message ?? err);
    return { ...DISK[cause], message, terminal: `${message} (${detail})` };
  }
  return { status: 500, title: 'Something went wrong', message: 'The server hit an error it did not expect. The details are in the server log.', stack: true };
}
