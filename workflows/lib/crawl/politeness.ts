/**
 * Spaces the starts of requests to one host by at least a delay: each caller is given the next free slot and
 * told how long to wait for it. Hosts are independent; with no delay nobody waits. Pure but for the clock it is
 * given.
 */
export class HostGate {
  private readonly next = new Map<string, number>();

  /** Takes this host's next slot; returns how many milliseconds from `now` it begins (0: at once). */
  reserve(host: string, delayMs: number, now: number): number {
    if (delayMs <= 0) return 0;
    const slot = Math.max(now, this.next.get(host) ?? now);
    this.next.set(host, slot + delayMs);
    return slot - now;
  }
}

/** Why the crawler is waiting: robots.txt's Crawl-delay, the politeness delay asked for, or a server's 429/503. */
export type PauseCause = { why: 'robots' | 'delay'; delayMs: number } | { why: 'busy'; status: number };

/** Waits shorter than this are not worth a word in the progress line. */
export const SAY_WAITS_FROM_MS = 1000;

/** The progress line's words for a wait that ends in `leftMs` (pure). */
export function pauseWords(cause: PauseCause, leftMs: number): string {
  const left = `next request in ${seconds(leftMs)}`;
  if (cause.why === 'busy') return `waiting to ask again, as the server was busy (status ${cause.status}): ${left}`;
  const asks = cause.why === 'robots' ? 'as robots.txt asks' : 'as the politeness delay asks';
  return `waiting ${seconds(cause.delayMs)} between requests, ${asks}: ${left}`;
}

/** "60 s", "1.5 s", "0 s": whole seconds from 10 s up, tenths below. */
function seconds(ms: number): string {
  const s = Math.max(0, ms) / 1000;
  return `${s >= 10 ? Math.ceil(s) : Math.ceil(s * 10) / 10} s`;
}
