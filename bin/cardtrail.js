#!/usr/bin/env node
// Node 20 cannot run TypeScript by itself: register tsx, then hand over to the real entry point. The project's
// own tsconfig is named, so JSX compiles for Hono from whatever folder the command is run in.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
await import('../app/main.ts');
