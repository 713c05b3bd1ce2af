// Whether a page rendered some text as markup: every tag and attribute a real HTML parser (htmlparser2) finds
// must be one the views write. A payload that broke out of its text or attribute shows up as a tag, an event
// handler or a javascript: URL.
import assert from 'node:assert/strict';
import { Parser } from 'htmlparser2';

/** The tags Cardtrail's views use. */
const TAGS = new Set(
  'html head meta link title script body header nav ul ol li a strong em small main section article hgroup h1 h2 h3 p div span form input label button select option textarea fieldset legend details summary dl dt dd table thead tbody tr th td code progress br aside q bdi'.split(
    ' ',
  ),
);
const URL_ATTRIBUTES = new Set(['href', 'src', 'action', 'hx-get', 'hx-post', 'formaction', 'hx-sse:connect']);

/** Fails, naming the first offender, when the HTML holds a tag, handler, URL or script the views do not write. */
export function assertInert(html: string, where: string): void {
  const problems: string[] = [];
  let inScript = 0;
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (!TAGS.has(name)) problems.push(`a <${name}> tag`);
        for (const [attr, value] of Object.entries(attributes)) {
          if (/^on/i.test(attr) || attr === 'srcdoc') problems.push(`${attr} on <${name}>`);
          if (URL_ATTRIBUTES.has(attr) && !/^(\/|#|data:,$|$)/.test(value.trim())) problems.push(`${attr}="${value}" on <${name}>`);
        }
        if (name === 'script') {
          inScript++;
          if (!/^\/assets\/[a-z/.-]+\.js(\?v=[0-9a-f]+)?$/.test(attributes.src ?? '')) problems.push('a script that is not one of ours');
        }
      },
      ontext(text) {
        if (inScript && text.trim()) problems.push(`inline script: ${text.slice(0, 60)}`);
      },
      onclosetag(name) {
        if (name === 'script') inScript--;
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  assert.deepEqual(problems, [], `${where} renders text as markup`);
}
