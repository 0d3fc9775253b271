import { useCallback, useEffect, useRef, useState } from 'react';
import { ENGINE_RETRY, isRetryableEngineError, retryDelayMs, type RetryPolicy } from '@ai-cloudops/engine-client';
import type { EngineApi } from './EngineApi';
import { useEngineApi } from './useEngineApi';

export interface EngineQueryState<T> {
  value?: T;
  error?: unknown;
  /** True until the first answer (or failure); later reloads keep showing the last value. */
  loading: boolean;
  /** Loads again now (after an action changed what the engine holds, or the user pressed Retry). */
  retry: () => void;
  /** When the next automatic attempt is due (epoch ms), while the engine is unreachable; undefined otherwise. */
  nextRetryAt?: number;
}

// One retry policy for both plugins, in the engine client: the Backstage cards come back on the same steps.
export { ENGINE_RETRY, isRetryableEngineError, retryDelayMs, type RetryPolicy };

interface LoadState<T> {
  value?: T;
  error?: unknown;
  loading: boolean;
  /** Consecutive retryable failures; 0 after any answer. */
  failures: number;
  /** When the automatic retry after the last retryable failure is due (epoch ms). */
  retryAt?: number;
}

/**
 * One engine read behind a named hook, like backstage's `useAsyncRetry` + `useInterval`: the pages describe what they
 * read, not loading flags. A reload keeps the last value on screen; an answer that arrives after the inputs changed
 * or the page left is dropped. `refreshMs` re-reads on a timer (figures that move while the page is open).
 *
 * When the engine does not answer (see isRetryableEngineError) the read is tried again with backoff (`policy`), only
 * while the page is visible: a hidden tab waits and reads once when shown again. The timed refresh pauses meanwhile,
 * and a load started for another reason (Retry, new inputs) cancels the scheduled one, so a read has at most one
 * request pending and one retry scheduled. Every page that reads the engine on open uses this hook, so every page
 * recovers when the engine comes back; form fields live in the pages' own state and a reload does not touch them.
 */
export function useEngineQuery<T>(
  load: (api: EngineApi) => Promise<T>,
  deps: readonly unknown[],
  refreshMs?: number,
  policy: RetryPolicy = ENGINE_RETRY
): EngineQueryState<T> {
  const api = useEngineApi();
  const [state, setState] = useState<LoadState<T>>({ loading: true, failures: 0 });
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  const policyRef = useRef(policy);
  /** Cancels the scheduled automatic retry. */
  const cancelRetryRef = useRef(() => {});
  // Declared before the loading effect, so it runs first: a load always uses the latest closure.
  useEffect(() => {
    loadRef.current = load;
    policyRef.current = policy;
  });

  useEffect(() => {
    let live = true;
    cancelRetryRef.current();
    loadRef.current(api).then(
      (value) => live && setState({ value, loading: false, failures: 0 }),
      (error: unknown) =>
        live &&
        setState((prev) => {
          const failures = isRetryableEngineError(error) ? prev.failures + 1 : 0;
          const retryAt =
            failures > 0 ? Date.now() + retryDelayMs(failures, policyRef.current, Math.random, error) : undefined;
          return { value: prev.value, error, loading: false, failures, retryAt };
        })
    );
    return () => {
      live = false;
    };
    // `deps` are the caller's inputs to `load`, as with useEffect.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, tick, ...deps]);

  const { retryAt } = state;
  useEffect(() => {
    if (retryAt === undefined) {
      return undefined;
    }
    const cancel = whenDueAndVisible(retryAt, () => setTick((t) => t + 1));
    cancelRetryRef.current = cancel;
    return cancel;
  }, [retryAt]);

  const failing = state.failures > 0;
  useEffect(() => {
    if (!refreshMs || failing) {
      return undefined;
    }
    const timer = setInterval(() => setTick((t) => t + 1), refreshMs);
    return () => clearInterval(timer);
  }, [refreshMs, failing]);

  const retry = useCallback(() => setTick((t) => t + 1), []);
  return { value: state.value, error: state.error, loading: state.loading, retry, nextRetryAt: retryAt };
}

/** Calls `run` once at `at` (epoch ms), or later when the page is hidden then: as soon as it is shown. */
function whenDueAndVisible(at: number, run: () => void): () => void {
  const whenVisible = () => {
    if (document.visibilityState !== 'hidden') {
      cancel();
      run();
    }
  };
  const timer = setTimeout(() => {
    document.addEventListener('visibilitychange', whenVisible);
    whenVisible();
  }, at - Date.now());
  function cancel() {
    clearTimeout(timer);
    document.removeEventListener('visibilitychange', whenVisible);
  }
  return cancel;
}
