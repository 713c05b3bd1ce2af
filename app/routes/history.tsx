import type { Hono } from 'hono';
import type { History } from '../engine/history.ts';
import type { Engine } from '../engine/sessions.ts';
import { notFound } from '../engine/errors.ts';
import { HistoryPage, PastPage } from '../../views/history.tsx';

/** The timeline, the session at any entry, and the downloads. */
export function historyRoutes(app: Hono, engine: Engine, history: History): void {
  app.get('/s/:id/history', async (c) => {
    const id = c.req.param('id');
    const before = c.req.query('before');
    const timeline = await history.timeline(id, before ? positive(before) : undefined);
    return c.html(<HistoryPage session={await engine.load(id)} timeline={timeline} />);
  });

  app.get('/s/:id/at/:seq', async (c) => {
    const past = await history.at(c.req.param('id'), positive(c.req.param('seq')));
    return c.html(<PastPage session={past} event={past.event} />);
  });

  app.get('/s/:id/log.jsonl', async (c) => {
    const { id, logged } = await engine.loadAny(c.req.param('id'));
    const bytes = await engine.store.rawLog(id);
    return c.body(new Uint8Array(bytes), 200, {
      'content-type': 'application/x-ndjson; charset=utf-8',
      'content-disposition': `attachment; filename="${logged?.state.workflow ?? 'session'}-${id}.jsonl"`,
    });
  });

  app.get('/s/:id/summary.json', async (c) => {
    const summary = await history.summary(c.req.param('id'));
    return c.body(JSON.stringify(summary, null, 2) + '\n', 200, {
      'content-type': 'application/json; charset=utf-8',
      'content-disposition': `attachment; filename="${summary.workflow}-${summary.session}.json"`,
    });
  });
}

function positive(text: string): number {
  if (!/^[1-9][0-9]{0,15}$/.test(text)) throw notFound(`"${text}" is not an entry number.`);
  return Number(text);
}
