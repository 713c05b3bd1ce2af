import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { EngineError, WorkflowMissing } from '../engine/errors.ts';
import { explain } from './explain.ts';
import { LogNotAFile } from '../log/store.ts';
import { urls } from '../../views/urls.ts';
import type { RawForm } from '../engine/fields.ts';
import { ErrorPage } from '../../views/error.tsx';
import { sameOriginPath } from '../security.ts';
import { formFields } from './form-body.ts';
import { asksForStream } from './stream-request.ts';

/** True when htmx sent the request, so the answer is a fragment rather than a page. */
export function fromHtmx(c: Context): boolean {
  return c.req.header('hx-request') === 'true';
}

/** The posted form as field paths to strings; uploads and non-form bodies give nothing. */
export async function readForm(c: Context): Promise<RawForm> {
  const type = c.req.header('content-type') ?? '';
  if (!type.startsWith('application/x-www-form-urlencoded') && !type.startsWith('multipart/form-data')) return {};
  const fields = await formFields(c).catch(() => {
    throw new EngineError(400, 'The form could not be read.');
  });
  const raw: RawForm = {};
  for (const [key, values] of fields) {
    if (key === '__proto__') continue; // no field is called so; assigned, it would replace the form's prototype
    const strings = values.filter((v): v is string => typeof v === 'string');
    if (strings.length) raw[key] = strings.length === 1 ? strings[0] : strings;
  }
  return raw;
}

/** The page a request came from (htmx's current URL, else the Referer), else its own path when that is a page. */
function pageOf(c: Context): string {
  const origin = new URL(c.req.url).origin;
  const from = sameOriginPath(c.req.header('hx-current-url'), origin) ?? sameOriginPath(c.req.header('referer'), origin);
  return from ?? (c.req.method === 'GET' ? c.req.path : '/');
}

/**
 * Turns any error into a plain page (or, for htmx, a trail-shaped message) that names the cause; the terminal
 * gets one line for a known cause and the stack only for what nobody expected.
 */
export function errorResponse(c: Context, err: unknown): Response | Promise<Response> {
  // Middleware answers (an HTTPException a middleware threw) go out as they are.
  if (err instanceof HTTPException) return err.getResponse();
  const { status: code, title, message, terminal, stack } = explain(err);
  const status = code as ContentfulStatusCode;
  if (stack) console.error(`[cardtrail] ${c.req.method} ${c.req.path} failed:`, err);
  else if (terminal) console.error(`[cardtrail] ${c.req.method} ${c.req.path}: ${terminal}`);
  // An event stream's request (a pane or a job card reconnecting) gets no page to swap in, only the status:
  // htmx's stream then reports it, and the page stops asking on a 404 (public/connection.js). A 204 here looked
  // like a stream that ended at once, which htmx asked for again and again.
  if (asksForStream(c.req.path, c.req.header('accept'))) return c.body(null, status);
  if (fromHtmx(c))
    return c.html(
      <section id="trail">
        <article class="error-page" role="alert">
          <strong>{title}.</strong> <span class="error-message">{message}</span> <a href={pageOf(c)}>Reload the page</a> or{' '}
          <a href="/">go home</a>.
        </article>
      </section>,
      status,
    );
  return c.html(
    <ErrorPage title={title} message={message} path={c.req.path}>
      {err instanceof WorkflowMissing ? (
        <p>
          <a href={urls.log(err.session)} role="button" download>
            Download its log (.jsonl)
          </a>{' '}
          <a href={urls.remove(err.session)} role="button" class="secondary outline">
            Delete…
          </a>
        </p>
      ) : err instanceof LogNotAFile ? (
        <p>
          <a href={urls.remove(err.session)} role="button" class="secondary outline">
            Move it to the trash…
          </a>
        </p>
      ) : null}
    </ErrorPage>,
    status,
  );
}
