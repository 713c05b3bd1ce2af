// Cardtrail's app on a data folder, with the project's workflows and the benchmark's own (pulse), listening on a
// free loopback port; prints "ready <port>". Run: node --import tsx bench/child/app-server.ts <data>
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { discoverWorkflows } from '../../app/engine/discover.ts';
import { createApp } from '../../app/server.ts';
import { ROOT } from '../../test/support/app.ts';

const [own, bench] = await Promise.all([discoverWorkflows(join(ROOT, 'workflows')), discoverWorkflows(join(ROOT, 'bench/workflows'))]);
const discovered = { workflows: new Map([...own.workflows, ...bench.workflows]), problems: [...own.problems, ...bench.problems] };
const { app } = await createApp({ dataDir: process.argv[2], root: ROOT, discovered });
const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => {
  console.log(`ready ${(server.address() as AddressInfo).port}`);
});
