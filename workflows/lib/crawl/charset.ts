import { Parser } from 'htmlparser2';

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
  const parser = new Parser({
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
  return decoder.decode(body);
}
