import type { LogEvent } from '../log/events.ts';

type Watcher<T> = (news: T) => void;

/** Hands news of a session to whoever watches it now, and keeps nothing: a watcher that comes late misses it. */
export class SessionFeed<T> {
  private readonly watchers = new Map<string, Set<Watcher<T>>>();

  /** Calls `watcher` with each piece of news of session `id` from now on; returns the way to stop. */
  watch(id: string, watcher: Watcher<T>): () => void {
    let set = this.watchers.get(id);
    if (!set) this.watchers.set(id, (set = new Set()));
    set.add(watcher);
    return () => {
      set.delete(watcher);
      if (!set.size) this.watchers.delete(id);
    };
  }

  /** Hands news to the session's watchers; one that throws does not keep the others from hearing it. */
  publish(id: string, news: T): void {
    for (const watcher of this.watchers.get(id) ?? []) {
      try {
        watcher(news);
      } catch (err) {
        console.error(`[cardtrail] an activity watcher of ${id} failed:`, err);
      }
    }
  }
}

/**
 * Tells whoever watches a session (its activity pane) about the lines just appended to its log. It is told
 * after the append is durable and carries nothing that is not in the log: a watcher that comes late reads the
 * log first.
 */
export class AppendFeed extends SessionFeed<readonly LogEvent[]> {}
