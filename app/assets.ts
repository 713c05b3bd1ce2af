import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { widgetAssetTable } from './widgets/page-assets.ts';

type Asset = { file: string; type: string };

/**
 * The only files the browser may fetch besides pages, by fixed name: htmx, its SSE extension and Pico from
 * node_modules (no CDN, no build step), and the project's own small stylesheet and scripts.
 */
const ASSETS: Record<string, Asset> = {
  'htmx.min.js': { file: 'node_modules/htmx.org/dist/htmx.min.js', type: 'text/javascript' },
  'hx-sse.min.js': { file: 'node_modules/htmx.org/dist/ext/hx-sse.min.js', type: 'text/javascript' },
  'pico.min.css': { file: 'node_modules/@picocss/pico/css/pico.min.css', type: 'text/css' },
  'cardtrail.css': { file: 'public/cardtrail.css', type: 'text/css' },
  'cardtrail.js': { file: 'public/cardtrail.js', type: 'text/javascript' },
  'connection.js': { file: 'public/connection.js', type: 'text/javascript' },
  'side-pane.js': { file: 'public/side-pane.js', type: 'text/javascript' },
  'widgets.js': { file: 'public/widgets.js', type: 'text/javascript' },
  'widgets.css': { file: 'public/widgets.css', type: 'text/css' },
  ...widgetAssetTable(),
};

/** A loaded asset: its bytes, content type and a short hash of its content (its version). */
export type LoadedAsset = { bytes: () => Promise<Buffer>; type: string; version: string };

/**
 * Files up to this size are kept in memory from the start; larger ones (mermaid's 3.5 MB script, loaded only on
 * pages with a diagram, and cached by the browser for good) are read again when asked for.
 */
const KEPT_BYTES = 256 * 1024;

/** Versions of the assets loaded last, by name: what pages put in asset URLs. */
const versions = new Map<string, string>();

/** Reads every asset once; a missing one is a broken install, reported at start-up rather than per request. */
export function loadAssets(root: string): Map<string, LoadedAsset> {
  const loaded = new Map<string, LoadedAsset>();
  for (const [name, asset] of Object.entries(ASSETS)) {
    const path = join(root, asset.file);
    const body = readFileSync(path);
    const version = createHash('sha256').update(body).digest('hex').slice(0, 12);
    loaded.set(name, { bytes: reader(path, body), type: asset.type, version });
    versions.set(name, version);
  }
  return loaded;
}

/**
 * How an asset's bytes are had: kept, or read again when large. Made apart from the loop, so the closure that
 * reads a large file again does not share a scope with `body`, which would keep those bytes alive after all.
 */
function reader(path: string, body: Buffer): () => Promise<Buffer> {
  return body.length <= KEPT_BYTES ? () => Promise.resolve(body) : readAgain(path);
}

const readAgain = (path: string) => () => readFile(path);

/**
 * The URL a page links an asset by: with its content's version, so a changed file gets a new URL and the old
 * one may be cached for good.
 */
export function assetUrl(name: string): string {
  const version = versions.get(name);
  return version ? `/assets/${name}?v=${version}` : `/assets/${name}`;
}

/** How an asset is answered: for good under its own version, else revalidated by its ETag (304 when unchanged). */
export function assetHeaders(asset: LoadedAsset, askedVersion: string | undefined, ifNoneMatch: string | undefined) {
  const etag = `"${asset.version}"`;
  const headers: Record<string, string> = {
    'content-type': asset.type,
    etag,
    'cache-control': askedVersion === asset.version ? 'public, max-age=31536000, immutable' : 'no-cache',
  };
  const unchanged = ifNoneMatch !== undefined && ifNoneMatch.split(/\s*,\s*/).some((tag) => tag === etag || tag === `W/${etag}`);
  return { status: unchanged ? (304 as const) : (200 as const), headers };
}
