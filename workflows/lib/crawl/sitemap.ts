import { htmlparser2 } from './libraries.ts';
import { fetchFollowing } from './follow.ts';
import type { FetchSettings } from './fetch.ts';

/** The page URLs (`<url><loc>`) and nested sitemaps (`<sitemap><loc>`) one sitemap file lists. */
export function parseSitemap(xml: string): { pages: string[]; sitemaps: string[] } {
  const pages: string[] = [];
  const sitemaps: string[] = [];
  let parent: 'url' | 'sitemap' | undefined;
  let loc: string | undefined;
  const parser = new (htmlparser2().Parser)(
    {
      onopentag(name) {
        const local = name.split(':').pop();
        if (local === 'url' || local === 'sitemap') parent = local;
        else if (local === 'loc' && parent) loc = '';
      },
      ontext(text) {
        if (loc !== undefined) loc += text;
      },
      onclosetag(name) {
        const local = name.split(':').pop();
        if (local === 'loc' && loc !== undefined && parent) {
          const value = loc.trim();
          if (value) (parent === 'url' ? pages : sitemaps).push(value);
          loc = undefined;
        } else if (local === parent) parent = undefined;
      },
    },
    { xmlMode: true, decodeEntities: true },
  );
  parser.write(xml);
  parser.end();
  return { pages, sitemaps };
}

const MAX_SITEMAPS = 50;
const SITEMAP_MAX_BYTES = 50 * 1024 * 1024;

/**
 * Reads the given sitemaps and the sitemap indexes they name (up to 50 files), returning every page URL listed
 * and a note per file that could not be read. Gzipped sitemaps are read when the server sends them with
 * Content-Encoding (fetch unpacks those); `.xml.gz` files sent as such are reported, not unpacked.
 */
export async function loadSitemaps(urls: readonly string[], settings: FetchSettings, signal: AbortSignal): Promise<{ pages: string[]; notes: string[] }> {
  const pending = [...new Set(urls)];
  const seen = new Set<string>();
  const pages: string[] = [];
  const notes: string[] = [];
  while (pending.length && seen.size < MAX_SITEMAPS) {
    const url = pending.shift()!;
    if (seen.has(url)) continue;
    seen.add(url);
    const answer = await fetchFollowing(url, { ...settings, maxBytes: SITEMAP_MAX_BYTES }, () => true, signal);
    if (!answer.status || answer.status >= 300 || !answer.body) {
      notes.push(`sitemap ${url} not read (${answer.error ?? `status ${answer.status}`})`);
      continue;
    }
    if (answer.contentType?.includes('gzip')) {
      notes.push(`sitemap ${url} is gzipped and was not read`);
      continue;
    }
    const found = parseSitemap(Buffer.from(answer.body).toString('utf8'));
    pages.push(...found.pages);
    pending.push(...found.sitemaps.map((s) => new URL(s, url).href));
    notes.push(`sitemap ${url}: ${found.pages.length} pages${found.sitemaps.length ? `, ${found.sitemaps.length} sitemaps` : ''}`);
  }
  return { pages, notes };
}
