import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Hono, type Context } from 'hono';
import { basicAuth } from 'hono/basic-auth';
import { bodyLimit } from 'hono/body-limit';
import { Catalog } from './catalog/catalog.ts';
import { loadAssets } from './assets.ts';
import type { Discovered } from './engine/discover.ts';
import { Engine } from './engine/sessions.ts';
import { LogStore } from './log/store.ts';
import { homeRoutes } from './routes/home.tsx';
import { errorResponse } from './routes/respond.tsx';
import { sessionRoutes } from './routes/session.tsx';
import { jobEventRoutes } from './routes/job-events.tsx';
import { historyRoutes } from './routes/history.tsx';
import { fileRoutes } from './routes/files.ts';
import { outputRoutes } from './routes/outputs.ts';
import { History } from './engine/history.ts';
import { hostCheck, noFraming, sameOriginWrites } from './security.ts';
import { EngineError, notFound } from './engine/errors.ts';

export type AppOptions = {
  /** Where logs, the catalog and output files live (`./logs` by default). */
  dataDir: string;
  /** The project's own folder, where node_modules and public/ are. */
  root: string;
  discovered: Discovered;
  /** Host names besides the loopback ones that requests may carry (the --host given). */
  hosts?: readonly string[];
  /** Required as the HTTP Basic password when set (serving beyond loopback). */
  passphrase?: string;
  /** How many jobs may run at once (default: the number of CPU cores). */
  jobLimit?: number;
};

export type Cardtrail = { app: Hono; engine: Engine; close: () => void };

const MAX_BODY = 1024 * 1024;
/** Imported logs may be long: 100,000 entries are about 20 MB. */
const MAX_IMPORT = 256 * 1024 * 1024;

/** Builds the whole application without listening, so tests can drive it with app.request(). */
export async function createApp(opts: AppOptions): Promise<Cardtrail> {
  mkdirSync(join(opts.dataDir, 'sessions'), { recursive: true });
  const store = new LogStore(join(opts.dataDir, 'sessions'));
  const catalog = new Catalog(join(opts.dataDir, 'catalog.sqlite'));
  const engine = new Engine(store, catalog, opts.discovered.workflows, opts.jobLimit);
  await engine.syncCatalog((id, err) => console.error(`[cardtrail] session ${id} is left out of the list: ${err.message}`));
  const interrupted = await engine.recoverJobs();
  if (interrupted) console.log(`Marked ${interrupted} job(s) interrupted: they were running when the server last stopped.`);
  const assets = loadAssets(opts.root);

  const app = new Hono();
  // Served beyond loopback, other machines reach it by names and addresses we cannot list; there the passphrase
  // guards every request (a rebinding page cannot supply it), so the Host check is for loopback serving.
  if (opts.passphrase) app.use(basicAuth({ username: 'cardtrail', password: opts.passphrase }));
  else app.use(hostCheck(new Set(opts.hosts ?? [])));
  app.use(sameOriginWrites());
  app.use(noFraming());
  // Too large answers as a page (or, for htmx, a trail-shaped message), since htmx 4 swaps 4xx answers in.
  const tooLarge = (limit: string) => (c: Context) => errorResponse(c, new EngineError(413, `What was sent is larger than ${limit}.`));
  const formLimit = bodyLimit({ maxSize: MAX_BODY, onError: tooLarge('1 MB') });
  const importLimit = bodyLimit({ maxSize: MAX_IMPORT, onError: tooLarge('256 MB') });
  app.use((c, next) => (c.req.path === '/import' ? importLimit : formLimit)(c, next));
  app.get('/assets/:name', (c) => {
    const asset = assets.get(c.req.param('name'));
    if (!asset) throw notFound('There is no such file.');
    return c.body(new Uint8Array(asset.body), 200, { 'content-type': asset.type, 'cache-control': 'no-cache' });
  });
  const history = new History(engine);
  homeRoutes(app, engine, history, opts.discovered.problems);
  sessionRoutes(app, engine, opts.dataDir);
  historyRoutes(app, engine, history);
  jobEventRoutes(app, engine);
  fileRoutes(app, engine);
  outputRoutes(app, engine);
  app.notFound((c) => errorResponse(c, notFound(`There is no page at ${c.req.path}.`)));
  app.onError((err, c) => errorResponse(c, err));
  const close = () => {
    engine.jobs.shutdown();
    catalog.close();
  };
  return { app, engine, close };
}
