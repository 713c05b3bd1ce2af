import type { Context, Hono } from 'hono';
import { SESSION_STATUSES, type SessionFilter, type SessionStatus } from '../catalog/catalog.ts';
import type { WorkflowProblem } from '../engine/discover.ts';
import { EngineError } from '../engine/errors.ts';
import type { History } from '../engine/history.ts';
import type { Engine } from '../engine/sessions.ts';
import { homePage } from '../../views/home.tsx';
import { urls } from '../../views/urls.ts';
import { dirname, join } from 'node:path';
import { withUploads } from './upload.ts';
import { JobFiles } from '../files/job-files.ts';
import { bundleFrom, writeBundle, type BundledFile } from '../files/bundle.ts';

/** What a redirect home may say, by code: the page never shows text taken from the URL. */
const NOTICES: Record<string, string> = {
  deleted: 'The session was moved to the trash folder beside the logs; nothing was erased.',
  archived: 'The session was archived: it is hidden unless you choose Archived or All.',
  unarchived: 'The session is back in the list.',
};

/** The home page, starting a workflow and importing a log. */
export function homeRoutes(app: Hono, engine: Engine, history: History, problems: readonly WorkflowProblem[]): void {
  const home = async (c: Context, notice?: { text: string; bad?: boolean }, status: 200 | 400 | 413 | 422 = 200) => {
    const filter = filterOf(c);
    const { rows, total, page } = engine.catalog.page(filter);
    const bytes = await homePage({
      workflows: [...engine.workflows.values()],
      sessions: rows,
      total,
      problems: [...problems],
      filter: { ...filter, page },
      jobs: engine.catalog.jobCounts(),
      notice,
    });
    return c.body(bytes as Uint8Array<ArrayBuffer>, status, { 'content-type': 'text/html; charset=UTF-8' });
  };

  app.get('/', (c) => {
    const code = c.req.query('notice');
    return home(c, code && NOTICES[code] ? { text: NOTICES[code] } : undefined);
  });

  app.post('/start/:workflow', async (c) => c.redirect(urls.session(await engine.start(c.req.param('workflow'))), 303));

  app.post('/import', async (c) => {
    try {
      let imported: string | undefined;
      const got = await withUploads<string | BundledFile[]>(c.req.raw, {
        files: (chunks, name) => bundleFrom(chunks, name),
        log: async (chunks, name) => (imported = await history.importStream(chunks, name)),
      }).catch(async (err: unknown) => {
        // A bad bundle sent after its log refuses the whole import: the session just made goes to the trash.
        if (imported) await engine.trash(imported, join(dirname(engine.store.root), 'trash'));
        throw err;
      });
      const id = imported;
      if (id === undefined) return home(c, { text: 'Choose a log file to import.', bad: true }, 422);
      const bundle = (got.files ?? []) as BundledFile[];
      if (bundle.length) await writeBundle(bundle, new JobFiles(join(engine.store.sessionDir(id), 'files')));
      return c.redirect(urls.session(id), 303);
    } catch (err) {
      if (err instanceof EngineError && err.status !== 404 && err.status !== 409) return home(c, { text: err.message, bad: true }, err.status);
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
