import type { Hono } from 'hono';
import type { Engine } from '../engine/sessions.ts';
import { isBlank } from '../fields/blank.ts';
import { urls } from '../../views/urls.ts';
import { readForm } from './respond.tsx';

/**
 * Renaming a session: a plain form post, answered with the session's page. A title that shows nothing (only
 * spaces or zero-width characters) is no title: the name derived from the session's values comes back.
 */
export function titleRoutes(app: Hono, engine: Engine): void {
  app.post('/s/:id/title', async (c) => {
    const form = await readForm(c);
    const typed = typeof form.title === 'string' ? form.title : '';
    await engine.retitle(c.req.param('id'), isBlank(typed) ? '' : typed);
    return c.redirect(urls.session(c.req.param('id')), 303);
  });
}
