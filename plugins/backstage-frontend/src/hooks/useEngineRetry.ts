import { useEffect, useRef, useState, type DependencyList } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { ENGINE_RETRY, isRetryableEngineError, retryDelayMs, type RetryPolicy } from '@ai-cloudops/engine-client';

// One retry policy for both plugins, in the engine client: the Grafana app's pages come back on the same steps.
export { ENGINE_RETRY, isRetryableEngineError, retryDelayMs, type RetryPolicy };

export interface EngineRetryState<T> {
  value?: T;
  error?: Error;
  /** True while a load runs; the last value and error stay set meanwhile, so a card need not flash a spinner. */
  loading: boolean;
  /** Loads again now (the Retry button). */
  retry: () => void;
  /** When the next automatic attempt is due (epoch ms) while the engine is unreachable; undefined otherwise. */
  nextRetryAt?: number;
}

/**
 * react-use's `useAsyncRetry`, tried again with backoff while the engine does not answer: the error is retryable, or
 * the answer itself says the engine was not reached (`unreachable`, e.g. the backend's "(engine)" entry on the
 * workloads list). Only while the page is visible: a hidden tab waits and loads once when shown again. A Retry (or
 * new deps) cancels the scheduled attempt, so a card has at most one request pending and one retry scheduled. Every
 * card of the entity tab that reads the engine on open loads through this hook; what a user typed lives in the
 * cards' own state and a reload does not touch it.
 *
 * With `refreshMs`, a successful load is followed by another one that long after, again only while the page is
 * visible (a hidden tab reads once when shown again): the same single timer as the retries, scheduled only once the
 * previous read has finished, so reads never overlap, and cancelled on unmount, new deps or a Retry. The last value
 * stays set while it reads, so a card keeps its table rather than showing a spinner.
 *
 * With `changes`, a counter the caller bumps when it learns the value changed (an event of a live stream), a bump reads
 * again at once, or once the read in flight has finished (react-use ignores a retry while loading, and two reads at
 * once would race), and while the page is hidden only when it is shown again: a burst of bumps costs one read after the
 * current one.
 */
export function useEngineRetry<T>(
  load: () => Promise<T>,
  deps: DependencyList,
  options: { unreachable?: (value: T) => boolean; policy?: RetryPolicy; refreshMs?: number; changes?: number } = {},
): EngineRetryState<T> {
  const state = useAsyncRetry(load, deps);
  const { loading, error, value, retry } = state;
  const failures = useRef(0);
  const [nextRetryAt, setNextRetryAt] = useState<number>();
  const unreachableRef = useRef(options.unreachable);
  unreachableRef.current = options.unreachable;
  const { firstMs, maxMs } = options.policy ?? ENGINE_RETRY;
  const { refreshMs, changes } = options;
  const readChanges = useRef(changes);

  useEffect(() => {
    if (loading) return undefined;
    const down = error
      ? isRetryableEngineError(error)
      : value !== undefined && Boolean(unreachableRef.current?.(value));
    if (!down) {
      failures.current = 0;
      setNextRetryAt(undefined);
      // A 4xx is not read again on a timer either: the same request would get the same answer.
      return refreshMs && !error ? whenDueAndVisible(Date.now() + refreshMs, retry) : undefined;
    }
    failures.current += 1;
    const at = Date.now() + retryDelayMs(failures.current, { firstMs, maxMs }, Math.random, error);
    setNextRetryAt(at);
    const cancel = whenDueAndVisible(at, retry);
    return () => {
      cancel();
      setNextRetryAt(undefined);
    };
  }, [loading, error, value, retry, firstMs, maxMs, refreshMs]);

  useEffect(() => {
    if (loading || changes === readChanges.current) return undefined;
    return whenDueAndVisible(Date.now(), () => {
      readChanges.current = changes;
      retry();
    });
  }, [loading, changes, retry]);

  return { value, error, loading, retry, nextRetryAt };
}

/** Calls `run` once at `at` (epoch ms), or later when the page is hidden then: as soon as it is shown. */
function whenDueAndVisible(at: number, run: () => void): () => void {
  const whenVisible = () => {
    if (document.visibilityState !== 'hidden') {
      cancel();
      run();
    }
  };
  const timer = setTimeout(
    () => {
      document.addEventListener('visibilitychange', whenVisible);
      whenVisible();
    },
    Math.max(0, at - Date.now()),
  );
  function cancel() {
    clearTimeout(timer);
    document.removeEventListener('visibilitychange', whenVisible);
  }
  return cancel;
}
