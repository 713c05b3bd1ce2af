/**
 * The data folder lock's decisions, without touching the disk (app/data-lock.ts makes the moves): whether a lock
 * found at the name is still held, what to do next when the name is taken, and whether a lock moved aside to be
 * removed must be put back.
 */

/** The process a lock names. */
export type Holder = { pid: number };

/**
 * Whether another process recorded in a lock still holds it: a live process whose command line is Cardtrail's
 * (or cannot be read). A dead process, or a pid since reused by something else, left a stale lock behind (a
 * crash, a SIGKILL).
 */
export function holds(holder: Holder | undefined, alive: (pid: number) => boolean, commandOf: (pid: number) => string | undefined): boolean {
  if (!holder || !alive(holder.pid)) return false;
  const command = commandOf(holder.pid);
  return command === undefined || /cardtrail|main\.mjs|main\.ts/.test(command);
}

/**
 * How many times a start tries to make the lock. Each failed try found a lock and judged it stale; two starts
 * racing for one stale lock need two (the loser's second try finds the winner's live lock), so more than a few
 * means locks keep appearing and going, and the start stops with a sentence rather than looping.
 */
export const LOCK_TRIES = 5;

/** After the lock's name was found taken: what was found there, and whether its process still holds it. */
export type Found = { holder: Holder | undefined; held: boolean };

export type Move =
  /** Another live server has the folder: the person is told so, in the one sentence. */
  | { kind: 'in-use'; pid: number }
  /** This very process made the lock (an app opened twice in one process): the first opening releases it. */
  | { kind: 'own' }
  /** A stale lock (or something else at its name): move it out of the way and try again. */
  | { kind: 'take-over' }
  /** Tried LOCK_TRIES times and never got it, each time past a stale lock. */
  | { kind: 'give-up' };

/** What a start does when making the lock failed because the name exists (`tries` made so far, the failed one included). */
export function nextMove(found: Found, ownPid: number, tries: number): Move {
  if (found.holder?.pid === ownPid) return { kind: 'own' };
  if (found.held && found.holder) return { kind: 'in-use', pid: found.holder.pid };
  return tries >= LOCK_TRIES ? { kind: 'give-up' } : { kind: 'take-over' };
}

/**
 * Whether a lock moved aside to be removed must be put back: it names another process than the stale one the
 * start judged (another start took the folder between the judging and the moving), so it is that start's live
 * lock, not the stale one.
 */
export function putBack(judged: Holder | undefined, moved: Holder | undefined): boolean {
  return moved !== undefined && moved.pid !== judged?.pid;
}
