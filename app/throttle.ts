/** How many wrong passphrases a client may send before each further one makes it wait. */
export const FREE_FAILURES = 3;
/** The longest wait, however many failures came before. */
export const MAX_WAIT_MS = 5 * 60_000;
/** Clients remembered at once; the longest-quiet is forgotten first. */
const REMEMBERED = 10_000;

/**
 * How long a client must wait after its `failures`-th wrong passphrase before the next one is even checked:
 * nothing for the first few (typing mistakes), then one second, doubling with every failure, up to five
 * minutes. Pure, so the schedule is tested without a clock.
 */
export function waitAfter(failures: number): number {
  if (failures < FREE_FAILURES) return 0;
  return Math.min(MAX_WAIT_MS, 1000 * 2 ** (failures - FREE_FAILURES));
}

type Record = { failures: number; until: number };

/**
 * Wrong-passphrase counts per client (its address). A guess sent while the client must wait is not checked
 * at all, so a burst of guesses gets one answer per wait, not one per guess.
 */
export class Throttle {
  private readonly clients = new Map<string, Record>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Milliseconds the client must still wait before a guess is checked; 0 when it may try now. */
  wait(client: string): number {
    const record = this.clients.get(client);
    return record ? Math.max(0, record.until - this.now()) : 0;
  }

  /** Counts a wrong passphrase; returns how long the client must now wait. */
  failed(client: string): number {
    const failures = (this.clients.get(client)?.failures ?? 0) + 1;
    const wait = waitAfter(failures);
    this.clients.delete(client);
    this.clients.set(client, { failures, until: this.now() + wait });
    if (this.clients.size > REMEMBERED) this.clients.delete(this.clients.keys().next().value!);
    return wait;
  }

  /** Forgets a client's failures once it gave the right passphrase. */
  succeeded(client: string): void {
    this.clients.delete(client);
  }
}
