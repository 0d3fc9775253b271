/**
 * Adapts a push-style subscription into an async iterable that ends when `isLast` says so, when the source calls
 * `end()`, or when `signal` aborts. The subscription is released exactly once, at whichever comes first, and a
 * pending `next()` is woken so nothing waits on a listener that will never fire (issue 9: every SSE client that left
 * a stuck job's stream leaked a listener and a heartbeat timer).
 */
export function iterateSubscription<T>(
  subscribe: (push: (value: T) => void, end: () => void) => () => void,
  isLast: (value: T) => boolean,
  options: { initial?: T; signal?: AbortSignal } = {},
): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator]() {
      const { initial, signal } = options;
      const queue: T[] = initial === undefined ? [] : [initial];
      let wake: (() => void) | undefined;
      let done = (initial !== undefined && isLast(initial)) || signal?.aborted === true;
      let unsubscribe: (() => void) | undefined;
      const release = () => {
        signal?.removeEventListener('abort', onAbort);
        const off = unsubscribe;
        unsubscribe = undefined;
        off?.();
      };
      const finish = () => {
        done = true;
        release();
        wake?.();
      };
      const onAbort = () => {
        queue.length = 0;
        finish();
      };
      if (!done) {
        signal?.addEventListener('abort', onAbort, { once: true });
        unsubscribe = subscribe((value) => {
          if (done) return;
          queue.push(value);
          if (isLast(value)) finish();
          else wake?.();
        }, finish);
        // The source may have ended during subscribe (an already-final record): release what it just registered.
        if (done) release();
      }
      return {
        async next(): Promise<IteratorResult<T>> {
          while (queue.length === 0) {
            if (done) {
              release();
              return { value: undefined, done: true };
            }
            await new Promise<void>((resolve) => (wake = resolve));
            wake = undefined;
          }
          return { value: queue.shift()!, done: false };
        },
        async return(): Promise<IteratorResult<T>> {
          queue.length = 0;
          done = true;
          release();
          return { value: undefined, done: true };
        },
      };
    },
  };
}
