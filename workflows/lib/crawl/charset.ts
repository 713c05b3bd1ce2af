import { htmlparser2 } from './libraries.ts';

/** The charset named by a Content-Type header's parameters, lower-cased, if any. */
export function charsetOfContentType(contentType: string | undefined): string | undefined {
  for (const part of (contentType ?? '').split(';').slice(1)) {
    const [name, value] = part.split('=');
    if (name?.trim().toLowerCase() === 'charset' && value) return value.trim().replace(/^["']|["']$/g, '').toLowerCase();
  }
  return undefined;
}

/** The charset a page declares in `<meta charset>` or `<meta http-equiv=content-type>` within its first 1024 bytes. */
export function charsetOfMeta(head: Uint8Array): string | undefined {
  let found: string | undefined;
  const parser = new (htmlparser2().Parser)({
    onopentag(name, attrs) {
      if (found || name !== 'meta') return;
      if (attrs.charset) found = attrs.charset.trim().toLowerCase();
      else if (attrs['http-equiv']?.toLowerCase() === 'content-type') found = charsetOfContentType(attrs.content);
    },
  });
  parser.write(Buffer.from(head.subarray(0, 1024)).toString('latin1'));
  parser.end();
  return found;
}

/**
 * A page's text: by its byte-order mark, else the charset of its Content-Type, else of its meta tag, else UTF-8.
 * An unknown charset name falls back to UTF-8 rather than failing; bad bytes become U+FFFD.
 */
export function decodeBody(body: Uint8Array, contentType: string | undefined): string {
  const bom = body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf ? 'utf-8'
    : body[0] === 0xfe && body[1] === 0xff ? 'utf-16be'
    : body[0] === 0xff && body[1] === 0xfe ? 'utf-16le' : undefined;
  const label = bom ?? charsetOfContentType(contentType) ?? charsetOfMeta(body) ?? 'utf-8';
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(label);
  } catch {
    decoder = new TextDecoder('utf-8');
  }
  return decoder.encoding === 'windows-1252' ? decodeWindows1252(body) : decoder.decode(body);
}

/** Bytes 0x80–0x9F of windows-1252 (which the web reads for every ISO-8859-1 label); 0 where it has none. */
const WINDOWS_1252_HIGH = [
  0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0,
  0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178,
];

/**
 * windows-1252 as the Encoding Standard defines it. Node's TextDecoder decodes this label as plain Latin-1, so
 * curly quotes, dashes and the euro sign of old pages would come out as control characters.
 */
function decodeWindows1252(body: Uint8Array): string {
  let text = '';
  for (let i = 0; i < body.length; i += 8192) {
    const chunk = Array.from(body.subarray(i, i + 8192), (b) => (b >= 0x80 && b <= 0x9f && WINDOWS_1252_HIGH[b - 0x80]) || b);
    text += String.fromCharCode(...chunk);
  }
  return text;
}
