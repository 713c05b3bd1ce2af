#!/usr/bin/env node
// The command line. `dev`, `check` and `new` are the author's tools: they run the TypeScript sources through tsx,
// so a saved file is read as it is and hot reload re-evaluates it. Every other command runs the compiled copy
// kept by ./compiled.js (plain Node, no TypeScript loader: faster to start, less memory). If that copy cannot be
// written (a read-only folder, a full disk), the sources run instead, after one line saying why.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compiledMain, shownCache } from './compiled.js';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const AUTHOR_TOOLS = new Set(['dev', 'check', 'new']);

async function compiledEntry() {
  if (AUTHOR_TOOLS.has(process.argv[2])) return undefined;
  try {
    return await compiledMain(root);
  } catch (err) {
    console.error(`Cardtrail could not write its compiled copy in ${shownCache(root)} (${err.code ?? String(err.message).split('\n')[0]}); running the sources instead.`);
    return undefined;
  }
}

const entry = await compiledEntry();
if (entry) {
  process.setSourceMapsEnabled(true); // stack traces name the .ts file and line, not the compiled copy's
  await import(entry);
} else {
  // The project's own tsconfig is named, so JSX compiles for Hono from whatever folder the command is run in.
  const { register } = await import('tsx/esm/api');
  register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
  await import('../app/main.ts');
}
