/** A sender that passes on at most one value every `ms`: the first of a burst at once, then only the latest. */
export type LatestEvery<T> = { push: (value: T) => void; stop: () => void };

/** Throttles `send` so a chatty source cannot flood a watcher; values between two sends are dropped. */
export function latestEvery<T>(ms: number, send: (value: T) => void): LatestEvery<T> {
  let last = -Infinity;
  let pending: { value: T } | undefined;
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    timer = undefined;
    if (!pending) return;
    const { value } = pending;
    pending = undefined;
    last = Date.now();
    send(value);
  };
  return {
    push(value) {
      pending = { value };
      if (timer) return;
      const wait = last + ms - Date.now();
      if (wait <= 0) flush();
      else timer = setTimeout(flush, wait);
    },
    stop() {
      clearTimeout(timer);
      timer = undefined;
      pending = undefined;
    },
  };
}
