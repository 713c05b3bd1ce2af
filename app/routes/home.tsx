import type { Hono } from 'hono';
import type { Engine } from '../engine/sessions.ts';
import type { WorkflowProblem } from '../engine/discover.ts';
import { HomePage } from '../../views/home.tsx';
import { urls } from '../../views/urls.ts';

/** The home page and starting a workflow. */
export function homeRoutes(app: Hono, engine: Engine, problems: readonly WorkflowProblem[]): void {
  app.get('/', (c) => {
    const workflows = [...engine.workflows.values()];
    const titles = new Map(workflows.map((w) => [w.id, w.title]));
    return c.html(<HomePage workflows={workflows} sessions={engine.catalog.recent()} problems={[...problems]} titles={titles} />);
  });

  app.post('/start/:workflow', async (c) => {
    const id = await engine.start(c.req.param('workflow'));
    return c.redirect(urls.session(id), 303);
  });
}
