import type { Context, Hono } from 'hono';
import { SESSION_STATUSES, type SessionFilter, type SessionStatus } from '../catalog/catalog.ts';
import type { WorkflowProblem } from '../engine/discover.ts';
import { EngineError } from '../engine/errors.ts';
import type { History } from '../engine/history.ts';
import type { Engine } from '../engine/sessions.ts';
import { HomePage } from '../../views/home.tsx';
import { urls } from '../../views/urls.ts';

/** What a redirect home may say, by code: the page never shows text taken from the URL. */
const NOTICES: Record<string, string> = {
  deleted: 'The session was moved to the trash folder beside the logs; nothing was erased.',
  archived: 'The session was archived: it is hidden unless you choose Archived or All.',
  unarchived: 'The session is back in the list.',
};

/** The home page, starting a workflow and importing a log. */
export function homeRoutes(app: Hono, engine: Engine, history: History, problems: readonly WorkflowProblem[]): void {
  const home = (c: Context, notice?: { text: string; bad?: boolean }, status: 200 | 422 = 200) => {
    const filter = filterOf(c);
    const { rows, total, page } = engine.catalog.page(filter);
    return c.html(
      <HomePage
        workflows={[...engine.workflows.values()]}
        sessions={rows}
        total={total}
        problems={[...problems]}
        filter={{ ...filter, page }}
        jobs={engine.catalog.jobCounts()}
        notice={notice}
      />,
      status,
    );
  };

  app.get('/', (c) => {
    const code = c.req.query('notice');
    return home(c, code && NOTICES[code] ? { text: NOTICES[code] } : undefined);
  });

  app.post('/start/:workflow', async (c) => c.redirect(urls.session(await engine.start(c.req.param('workflow'))), 303));

  app.post('/import', async (c) => {
    const body = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const file = body.log;
    if (!(file instanceof File) || file.size === 0) return home(c, { text: 'Choose a log file to import.', bad: true }, 422);
    try {
      const id = await history.importLog(Buffer.from(await file.arrayBuffer()), file.name || 'the file');
      return c.redirect(urls.session(id), 303);
    } catch (err) {
      if (err instanceof EngineError && err.status === 422) return home(c, { text: err.message, bad: true }, 422);
      throw err;
    }
  });
}

function filterOf(c: Context): SessionFilter {
  const status = c.req.query('status');
  const workflow = c.req.query('workflow');
  const page = c.req.query('page') ?? '';
  return {
    workflow: workflow || undefined,
    status: SESSION_STATUSES.includes(status as SessionStatus) ? (status as SessionStatus) : 'active',
    q: c.req.query('q')?.trim().slice(0, 200) || undefined,
    // A page number that is not a plain positive number (or is past the end) shows the nearest page there is.
    page: /^[1-9][0-9]{0,5}$/.test(page) ? Number(page) : 1,
  };
}
