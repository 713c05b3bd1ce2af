import { serve } from '@hono/node-server';
import { resolve } from 'node:path';
import type { ServeConfig } from './config.ts';
import { UsageError } from './config.ts';
import { discoverWorkflows } from './engine/discover.ts';
import { reportLine, watchWorkflows, type ReloadReport } from './engine/workflow-reload.ts';
import { openBrowser } from './open-browser.ts';
import { isLoopback } from './security.ts';
import { createApp } from './server.ts';
import { holdYoungGeneration } from './young-generation.ts';

/** Starts the server and keeps it running until Ctrl-C or SIGTERM; `watch` reloads edited workflows (npm run dev). */
export async function runServe(config: ServeConfig, root: string, opts: { watch?: boolean } = {}): Promise<void> {
  if (!isLoopback(config.host) && !config.passphrase)
    throw new UsageError(`Serving on ${config.host} lets other machines in: set CARDTRAIL_PASSPHRASE (12 characters or more) to require signing in.`);
  const letGrow = holdYoungGeneration();
  const discovered = await discoverWorkflows(resolve(root, 'workflows'));
  for (const p of discovered.problems) console.error(`! ${p.file} was not loaded:\n${p.problems.map((l) => `    - ${l}`).join('\n')}`);
  const { app, engine, close } = await createApp({
    dataDir: resolve(config.dataDir),
    root,
    discovered,
    hosts: [config.host],
    passphrase: config.passphrase,
  }).finally(letGrow);
  const reloaded = (r: ReloadReport) => {
    (r.outcome === 'loaded' ? console.log : console.error)(reportLine(r));
    // A reworded workflow's sessions show its new titles in the list without waiting for each to change (and a
    // removed one's stamp is dropped, so its rows are drawn again if it comes back).
    if (r.outcome === 'loaded' || r.outcome === 'removed') engine.redrawReworded().catch((err) => console.error(`[cardtrail] the list was not redrawn: ${(err as Error).message}`));
  };
  const reloader = opts.watch ? watchWorkflows(resolve(root, 'workflows'), discovered, reloaded) : undefined;
  if (reloader) console.log('Watching workflows/ for changes: a saved workflow is reloaded without a restart.');
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host });
  server.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EADDRINUSE')
      console.error(`Port ${config.port} on ${config.host} is already in use. Stop the other server or pick another port, e.g. --port ${config.port + 1}`);
    else console.error(`Cannot listen on ${config.host}:${config.port}: ${err.message}`);
    close(); // lets the data folder go
    process.exit(1);
  });
  server.on('listening', () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}/`;
    console.log(`Cardtrail is serving ${discovered.workflows.size} workflow(s) at ${url}  (Ctrl-C stops it)`);
    if (config.open) openBrowser(url);
  });
  const stop = () => {
    console.log('Stopping Cardtrail.');
    server.close();
    reloader?.close();
    close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
