import { htmlparser2 } from './libraries.ts';
import { normalizeLink, type QueryMode } from './urls.ts';

/** One hyperlink of a page, as written and as the crawler keys it. */
export type FoundLink = { href: string; url: string | undefined; anchor: string; nofollow: boolean };

/** What the crawler keeps of an HTML page. */
export type PageFacts = {
  title: string;
  /** The canonical URL, resolved and normalised (undefined when absent or not http(s)). */
  canonical: string | undefined;
  /** The meta robots directives, lower-cased ("noindex", "nofollow", …). */
  robots: string[];
  links: FoundLink[];
};

const ANCHOR_MAX = 200;

/**
 * Reads a page with htmlparser2 (no regular expressions): `<a>` and `<area>` links with their anchor text (image
 * alt text counts) and rel=nofollow, resolved against `<base href>` (the first one with an href, which applies
 * to the whole document) or the page URL; `<link rel=canonical>`; `<meta name=robots>`; the first `<title>`.
 */
export function extractPage(html: string, pageUrl: string, query: QueryMode): PageFacts {
  let base: string | undefined;
  let title: string | undefined;
  let titleText: string | undefined;
  let canonicalHref: string | undefined;
  const robots: string[] = [];
  const raw: { href: string; anchor: string; nofollow: boolean }[] = [];
  let open: { href: string; anchor: string; nofollow: boolean } | undefined;
  let svgDepth = 0;

  const parser = new (htmlparser2().Parser)(
    {
      onopentag(name, attrs) {
        if (name === 'svg') svgDepth++;
        if (name === 'base' && base === undefined && attrs.href !== undefined) base = attrs.href;
        else if ((name === 'a' || name === 'area') && attrs.href !== undefined) {
          const link = { href: attrs.href, anchor: name === 'area' ? (attrs.alt ?? '') : '', nofollow: relHas(attrs.rel, 'nofollow') };
          raw.push(link);
          if (name === 'a') open = link;
        } else if (name === 'img' && open && attrs.alt) open.anchor += ` ${attrs.alt} `;
        else if (name === 'link' && canonicalHref === undefined && relHas(attrs.rel, 'canonical') && attrs.href) canonicalHref = attrs.href;
        else if (name === 'meta' && attrs.name?.toLowerCase() === 'robots' && attrs.content)
          robots.push(...attrs.content.toLowerCase().split(',').map((d) => d.trim()).filter(Boolean));
        else if (name === 'title' && title === undefined && svgDepth === 0) titleText = '';
      },
      ontext(text) {
        if (open) open.anchor += text;
        if (titleText !== undefined) titleText += text;
      },
      onclosetag(name) {
        if (name === 'svg' && svgDepth) svgDepth--;
        if (name === 'a') open = undefined;
        if (name === 'title' && titleText !== undefined) {
          title = squash(titleText);
          titleText = undefined;
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();

  const baseUrl = (base !== undefined && normalizeLink(base, pageUrl, 'keep')) || pageUrl;
  return {
    title: title ?? '',
    canonical: canonicalHref === undefined ? undefined : normalizeLink(canonicalHref, baseUrl, query),
    robots,
    links: raw.map((l) => ({ href: l.href, url: normalizeLink(l.href, baseUrl, query), anchor: squash(l.anchor).slice(0, ANCHOR_MAX), nofollow: l.nofollow })),
  };
}

function relHas(rel: string | undefined, token: string): boolean {
  return (rel ?? '').toLowerCase().split(/\s+/).includes(token);
}

function squash(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
