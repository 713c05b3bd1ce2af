// Reading the HTML the views render (JSX output: attributes double-quoted, text escaped), as the in-process route
// tests get it from app.request(). Only what more than one test file reads lives here; a reader of one page
// (the timeline, the home page's table) stays with its tests.

/** Undoes the views' HTML escaping. */
export const decode = (s: string) =>
  s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

/** A string as a regular expression matching it literally. */
export const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The text of some HTML: tags dropped, entities decoded, whitespace collapsed. */
export const textOf = (html: string) => decode(html.replace(/<[^>]+>/g, '')).replace(/\s+/g, ' ').trim();

/** The value a form control shows: an input's value, a textarea's text, a select's chosen option, checked boxes. */
export function controlValue(html: string, name: string): string | string[] | undefined {
  const n = escapeRe(name);
  const boxes = [...html.matchAll(new RegExp(`<input type="checkbox"[^>]*name="${n}"[^>]*>`, 'g'))].map((m) => m[0]);
  const ticked = (box: string) => box.includes('checked=""');
  const valueOf = (box: string) => /value="([^"]*)"/.exec(box)?.[1];
  // A choices field is a group of boxes with values (its value: the ticked ones); a checkbox is one box, "on" or "".
  if (boxes.some(valueOf)) return boxes.filter(ticked).map((b) => decode(valueOf(b)!));
  if (boxes.length) return ticked(boxes[0]) ? 'on' : '';
  const input = new RegExp(`<input [^>]*name="${n}"[^>]*>`).exec(html)?.[0];
  if (input) return decode(/value="([^"]*)"/.exec(input)?.[1] ?? '');
  const textarea = new RegExp(`<textarea [^>]*name="${n}"[^>]*>([^<]*)</textarea>`).exec(html);
  if (textarea) return decode(textarea[1]);
  const select = new RegExp(`<select [^>]*name="${n}"[^>]*>(.*?)</select>`).exec(html);
  if (select) return decode(/<option value="([^"]*)" selected="">/.exec(select[1])?.[1] ?? '');
  return undefined;
}

/** The step of the open card, if any. */
export const openStep = (html: string) => /class="card open"[^>]*data-step="([^"]+)"/.exec(html)?.[1];

/** The steps of the done cards, in page order. */
export const doneSteps = (html: string) => [...html.matchAll(/class="card done" data-step="([^"]+)"/g)].map((m) => m[1]);

/** The steps that have a Revert button, in page order. */
export const reverts = (html: string) => [...html.matchAll(/action="\/s\/[^/]+\/steps\/([^/]+)\/revert"/g)].map((m) => m[1]);

/** The page's notice (an alert paragraph), or '' when there is none. */
export const notice = (html: string) => decode(/<p class="notice" role="alert">([^<]*)<\/p>/.exec(html)?.[1] ?? '');

/** The value a done card shows for a key. */
export const doneValue = (html: string, key: string) => {
  const m = new RegExp(`<dd data-key="${escapeRe(key)}">([^<]*)</dd>`).exec(html);
  return m ? decode(m[1]) : undefined;
};
