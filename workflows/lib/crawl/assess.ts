import { decodeBody } from './charset.ts';
import { extractPage } from './extract.ts';
import type { Fetched } from './fetch.ts';
import type { ScopeTest } from './scope.ts';
import type { Discovery, PageResult, PageState } from './store.ts';
import { normalizeLink, type QueryMode } from './urls.ts';

export type AssessRules = { scope: ScopeTest; query: QueryMode; maxDepth: number; maxBytes: number };

export type FoundLinks = (Discovery & { anchor: string; nofollow: boolean })[];

/** True for the content types the crawler parses for links. A missing type is taken for HTML. */
export function isHtml(contentType: string | undefined): boolean {
  const mime = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  return mime === '' || mime === 'text/html' || mime === 'application/xhtml+xml';
}

/** The answers whose bodies are read: successful HTML. */
export function wantsBody(status: number, contentType: string): boolean {
  return status >= 200 && status < 300 && isHtml(contentType);
}

/**
 * What one fetched page means for the crawl (pure): the row to record and the URLs it leads to, each placed in
 * or out of scope and followed or not (rel=nofollow, meta robots nofollow, beyond the maximum depth).
 */
export function assess(page: { url: string; depth: number }, got: Fetched, rules: AssessRules): { result: PageResult; links: FoundLinks } {
  const base: PageResult = {
    state: 'done', status: got.status ?? null, content_type: got.contentType || null, title: null, canonical: null,
    redirect_to: null, meta_robots: null, bytes: got.bytes, ms: got.ms, retries: got.retries, note: null,
  };
  if (got.error || got.status === undefined) return { result: { ...base, state: 'failed', note: got.error ?? 'no answer' }, links: [] };
  if (got.status >= 300 && got.status < 400 && got.location !== undefined) {
    const target = normalizeLink(got.location, page.url, rules.query);
    if (!target) return { result: { ...base, note: `redirect to an address that cannot be followed: ${got.location}` }, links: [] };
    return { result: { ...base, redirect_to: target }, links: [place(target, page.depth, 'redirect', true, rules, '', false)] };
  }
  if (got.tooLarge) return { result: { ...base, note: `larger than ${Math.round(rules.maxBytes / 1024)} KB: not parsed` }, links: [] };
  if (!got.body || !wantsBody(got.status, got.contentType ?? '')) return { result: base, links: [] };

  const facts = extractPage(decodeBody(got.body, got.contentType), page.url, rules.query);
  const metaNofollow = facts.robots.includes('nofollow') || facts.robots.includes('none');
  const links: FoundLinks = [];
  for (const link of facts.links) {
    if (!link.url) continue;
    links.push(place(link.url, page.depth + 1, 'link', !link.nofollow && !metaNofollow, rules, link.anchor, link.nofollow || metaNofollow));
  }
  if (facts.canonical && facts.canonical !== page.url) links.push(place(facts.canonical, page.depth + 1, 'canonical', true, rules, '', false));
  return {
    result: { ...base, title: facts.title, canonical: facts.canonical ?? null, meta_robots: facts.robots.join(', ') || null },
    links,
  };
}

function place(url: string, depth: number, via: Discovery['via'], followed: boolean, rules: AssessRules, anchor: string, nofollow: boolean) {
  const placement = rules.scope(url);
  const state: PageState =
    placement !== 'internal' ? placement : !followed ? 'nofollow' : depth > rules.maxDepth ? 'too-deep' : 'queued';
  return { url, state, depth, via, anchor, nofollow };
}
