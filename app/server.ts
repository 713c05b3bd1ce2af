import { lockDataFolder } from './data-lock.ts';
import { prepareDataFolder } from './log/disk.ts';
import { join } from 'node:path';
import { Hono, type Context } from 'hono';
import { contextStorage } from 'hono/context-storage';
import { bodyLimit } from 'hono/body-limit';
import { Catalog } from './catalog/catalog.ts';
import { assetHeaders, loadAssets } from './assets.ts';
import type { Discovered } from './engine/discover.ts';
import { Engine } from './engine/sessions.ts';
import { LogStore } from './log/store.ts';
import { homeRoutes } from './routes/home.tsx';
import { errorResponse } from './routes/respond.tsx';
import { declaredWithin } from './routes/form-body.ts';
import { sessionRoutes } from './routes/session.tsx';
import { jobEventRoutes } from './routes/job-events.tsx';
import { historyRoutes } from './routes/history.tsx';
import { activityRoutes } from './routes/activity.tsx';
import { titleRoutes } from './routes/title.ts';
import { fileRoutes } from './routes/files.ts';
import { outputRoutes } from './routes/outputs.ts';
import { History } from './engine/history.ts';
import { hostCheck, noFraming, sameOriginWrites } from './security.ts';
import { requireSignIn, SignIns } from './passphrase.ts';
import { loginRoutes } from './routes/login.tsx';
import { EngineError, notFound } from './engine/errors.ts';
import { menuOf } from './menu.ts';
import { streamsUploads } from './uploads/limits.ts';
import { freshPages } from './fresh-pages.ts';

export type AppOptions = {
  /** Where logs, the catalog and output files live (`./logs` by default). */
  dataDir: string;
  /** The project's own folder, where node_modules and public/ are. */
  root: string;
  discovered: Discovered;
  /** Host names besides the loopback ones that requests may carry (the --host given). */
  hosts?: readonly string[];
  /** When set (serving beyond loopback), every page needs a sign-in with it (at least 12 characters). */
  passphrase?: string;
  /** How many jobs may run at once (default: the number of CPU cores). */
  jobLimit?: number;
  /** The clock sign-ins and their slow-down run on (tests stop it). */
  now?: () => number;
};

export type Cardtrail = { app: Hono; engine: Engine; close: () => void };

const MAX_BODY = 1024 * 1024;

/**
 * Builds the whole application without listening, so tests can drive it with app.request(). The data folder is
 * this process's until `close` (app/data-lock.ts): a second server on it is refused before it reads anything.
 */
export async function createApp(opts: AppOptions): Promise<Cardtrail> {
  prepareDataFolder(opts.dataDir);
  const unlock = lockDataFolder(opts.dataDir);
  try {
    const built = await buildApp(opts);
    return {
      ...built,
      close: () => {
        built.close();
        unlock();
      },
    };
  } catch (err) {
    unlock();
    throw err;
  }
}

async function buildApp(opts: AppOptions): Promise<Cardtrail> {
  const store = new LogStore(join(opts.dataDir, 'sessions'));
  const catalog = new Catalog(join(opts.dataDir, 'catalog.sqlite'));
  if (catalog.setAside)
    console.error(`[cardtrail] the catalog was damaged (${catalog.setAside.reason}): set aside as ${catalog.setAside.file}, rebuilt from the logs.`);
  const engine = new Engine(store, catalog, opts.discovered.workflows, opts.jobLimit);
  await engine.syncCatalog(
    (id, err) => console.error(`[cardtrail] session ${id} is left out of the list: ${err.message}`),
    (count) => console.log(`Removed ${count} session folder(s) that a stopped start left without a log (nothing had been saved in them).`),
  );
  const interrupted = await engine.recoverJobs();
  if (interrupted) console.log(`Marked ${interrupted} job(s) interrupted: they were running when the server last stopped.`);
  const assets = loadAssets(opts.root);

  const app = new Hono();
  // Served beyond loopback, other machines reach it by names and addresses we cannot list; there the passphrase
  // guards every request (a rebinding page cannot supply it), so the Host check is for loopback serving.
  app.use(contextStorage());
  const signIns = opts.passphrase === undefined ? undefined : new SignIns(opts.passphrase, opts.now, join(opts.dataDir, 'sign-ins.json'));
  if (signIns) app.use(requireSignIn(signIns));
  else app.use(hostCheck(new Set(opts.hosts ?? [])));
  app.use(sameOriginWrites());
  app.use(noFraming());
  app.use(freshPages());
  app.use(menuOf([...opts.discovered.workflows.values()]));
  // Too large answers as a page (or, for htmx, a trail-shaped message), since htmx 4 swaps 4xx answers in.
  const tooLarge = (limit: string) => (c: Context) => errorResponse(c, new EngineError(413, `What was sent is larger than ${limit}.`));
  const formLimit = bodyLimit({ maxSize: MAX_BODY, onError: tooLarge('1 MB') });
  // An import streams in and counts its own bytes (routes/upload.ts), and so do step forms with files
  // (uploads/): this limit would hold them in memory.
  app.use((c, next) => (c.req.path === '/import' || streamsUploads(c) || declaredWithin(c, MAX_BODY) ? next() : formLimit(c, next)));
  app.get('/assets/:name', async (c) => {
    const asset = assets.get(c.req.param('name'));
    if (!asset) throw notFound('There is no such file.');
    const { status, headers } = assetHeaders(asset, c.req.query('v'), c.req.header('if-none-match'));
    return status === 304 ? c.body(null, 304, headers) : c.body((await asset.bytes()) as Uint8Array<ArrayBuffer>, 200, headers);
  });
  const history = new History(engine);
  if (signIns) loginRoutes(app, signIns);
  homeRoutes(app, engine, history, opts.discovered.problems);
  sessionRoutes(app, engine, opts.dataDir);
  historyRoutes(app, engine, history);
  jobEventRoutes(app, engine);
  activityRoutes(app, engine);
  titleRoutes(app, engine);
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
