import type { LogEvent } from '../log/events.ts';

type Watcher = (events: readonly LogEvent[]) => void;

/**
 * Tells whoever watches a session (its activity pane) about the lines just appended to its log. It is told
 * after the append is durable, carries nothing that is not in the log, and keeps nothing: a watcher that comes
 * late reads the log first.
 */
export class AppendFeed {
  private readonly watchers = new Map<string, Set<Watcher>>();

  /** Calls `watcher` with each batch appended to session `id` from now on; returns the way to stop. */
  watch(id: string, watcher: Watcher): () => void {
    let set = this.watchers.get(id);
    if (!set) this.watchers.set(id, (set = new Set()));
    set.add(watcher);
    return () => {
      set.delete(watcher);
      if (!set.size) this.watchers.delete(id);
    };
  }

  /** Hands a batch to the session's watchers; one that throws does not keep the others from hearing it. */
  publish(id: string, events: readonly LogEvent[]): void {
    for (const watcher of this.watchers.get(id) ?? []) {
      try {
        watcher(events);
      } catch (err) {
        console.error(`[cardtrail] an activity watcher of ${id} failed:`, err);
      }
    }
  }
}
