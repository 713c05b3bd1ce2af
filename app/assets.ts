import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { widgetAssetTable } from './widgets/page-assets.ts';

type Asset = { file: string; type: string };

/**
 * The only files the browser may fetch besides pages, by fixed name: htmx, its SSE extension and Pico from
 * node_modules (no CDN, no build step), and the project's own small stylesheet and script.
 */
const ASSETS: Record<string, Asset> = {
  'htmx.min.js': { file: 'node_modules/htmx.org/dist/htmx.min.js', type: 'text/javascript' },
  'hx-sse.min.js': { file: 'node_modules/htmx.org/dist/ext/hx-sse.min.js', type: 'text/javascript' },
  'pico.min.css': { file: 'node_modules/@picocss/pico/css/pico.min.css', type: 'text/css' },
  'cardtrail.css': { file: 'public/cardtrail.css', type: 'text/css' },
  'cardtrail.js': { file: 'public/cardtrail.js', type: 'text/javascript' },
  'widgets.js': { file: 'public/widgets.js', type: 'text/javascript' },
  'widgets.css': { file: 'public/widgets.css', type: 'text/css' },
  ...widgetAssetTable(),
};

/** Reads every asset once; a missing one is a broken install, reported at start-up rather than per request. */
export function loadAssets(root: string): Map<string, { body: Buffer; type: string }> {
  const loaded = new Map<string, { body: Buffer; type: string }>();
  for (const [name, asset] of Object.entries(ASSETS))
    loaded.set(name, { body: readFileSync(join(root, asset.file)), type: asset.type });
  return loaded;
}
