/**
 * True when a request is for an event stream (a job card's or the side pane's), whose failure is answered with
 * its status alone. htmx's SSE extension adds `text/event-stream` to the Accept of every htmx request, forms
 * included, so the header alone does not tell: a form's failure needs its message. A stream is asked for at a
 * path ending in /events, or by a client that accepts nothing but the stream (EventSource).
 */
export function asksForStream(path: string, accept: string | undefined): boolean {
  if (/\/events$/.test(path)) return true;
  const types = (accept ?? '').split(',').map((t) => t.split(';')[0].trim().toLowerCase());
  return types.includes('text/event-stream') && !types.some((t) => t === 'text/html' || t === '*/*');
}
