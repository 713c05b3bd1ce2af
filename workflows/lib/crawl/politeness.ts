import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Spaces the starts of requests to one host by at least a delay: each caller is given the next free slot and
 * waits for it. Hosts are independent; with no delay nobody waits.
 */
export class HostGate {
  private readonly next = new Map<string, number>();

  /** Waits for this host's next slot (aborted by `signal`). */
  async wait(host: string, delayMs: number, signal: AbortSignal): Promise<void> {
    if (delayMs <= 0) return;
    const now = performance.now();
    const slot = Math.max(now, this.next.get(host) ?? now);
    this.next.set(host, slot + delayMs);
    if (slot > now) await sleep(slot - now, undefined, { signal });
  }
}
