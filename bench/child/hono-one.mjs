// The smallest Hono server, on plain Node (as Cardtrail's compiled copy runs): one route. Its start-up time is
// the floor for Cardtrail's.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

const app = new Hono();
app.get('/', (c) => c.html('<p>one route</p>'));
const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => console.log(`ready ${server.address().port}`));
