import type { Hono } from 'hono';
import type { Engine } from '../engine/sessions.ts';
import { urls } from '../../views/urls.ts';
import { readForm } from './respond.tsx';

/** Renaming a session: a plain form post, answered with the session's page. */
export function titleRoutes(app: Hono, engine: Engine): void {
  app.post('/s/:id/title', async (c) => {
    const form = await readForm(c);
    await engine.retitle(c.req.param('id'), typeof form.title === 'string' ? form.title : '');
    return c.redirect(urls.session(c.req.param('id')), 303);
  });
}
