#!/usr/bin/env node
// Node 20 cannot run TypeScript by itself: register tsx, then hand over to the real entry point.
import { register } from 'tsx/esm/api';

register();
await import('../app/main.ts');
