import type { Context, Hono } from 'hono';
import type { Engine, OpenForm } from '../engine/sessions.ts';
import { EngineError } from '../engine/errors.ts';
import { SessionPage, Trail } from '../../views/session.tsx';
import { urls } from '../../views/urls.ts';
import { fromHtmx, readForm } from './respond.tsx';

/** The session page and every change made on it. Each change answers with the whole trail, re-folded. */
export function sessionRoutes(app: Hono, engine: Engine): void {
  /** Renders the session as it now is: the trail for htmx, else a redirect after a change or the page. */
  async function show(c: Context, opts: { status?: 200 | 409 | 422; form?: OpenForm; message?: string; changed?: boolean } = {}) {
    const id = c.req.param('id')!;
    const session = await engine.load(id);
    const form = opts.form ?? engine.openForm(session);
    const status = opts.status ?? 200;
    const props = { session, form, message: opts.message, live: form && engine.jobs.snapshot(id, form.step.id) };
    if (fromHtmx(c)) return c.html(<Trail {...props} />, status);
    if (opts.changed && status === 200) return c.redirect(urls.session(id), 303);
    return c.html(<SessionPage {...props} />, status);
  }

  /** Runs a change; a conflict (stale tab, locked session) shows the current trail with the reason. */
  async function change(c: Context, act: () => Promise<OpenForm | undefined>) {
    try {
      const form = await act();
      return await show(c, form ? { status: 422, form } : { changed: true });
    } catch (err) {
      if (err instanceof EngineError && err.status === 409) return show(c, { status: 409, message: err.message });
      throw err;
    }
  }

  app.get('/s/:id', (c) => show(c));

  app.post('/s/:id/steps/:step', (c) =>
    change(c, async () => {
      const result = await engine.submit(c.req.param('id'), c.req.param('step'), await readForm(c));
      return result.ok ? undefined : result.form;
    }),
  );
  app.post('/s/:id/steps/:step/revert', (c) => change(c, async () => void (await engine.revert(c.req.param('id'), c.req.param('step')))));
  app.post('/s/:id/jobs/:step/cancel', (c) => change(c, async () => void (await engine.cancel(c.req.param('id'), c.req.param('step')))));
  app.post('/s/:id/finalize', (c) => change(c, async () => void (await engine.finalize(c.req.param('id')))));
  app.post('/s/:id/unfinalize', (c) => change(c, async () => void (await engine.unfinalize(c.req.param('id')))));
}
