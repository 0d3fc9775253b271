import { useEffect, useRef, useState, type DependencyList } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';

/** Automatic retries of a read that failed because the engine (or the backend in front of it) did not answer. */
export interface RetryPolicy {
  firstMs: number;
  maxMs: number;
}

/**
 * 2 s, 4 s, 8 s, 16 s, then every 30 s (the Grafana app's pages use the same steps): a restarted engine shows within a
 * few seconds, while a tab left open through a long outage sends one request per card every 30 s, not a storm.
 */
export const ENGINE_RETRY: RetryPolicy = { firstMs: 2_000, maxMs: 30_000 };

/**
 * Worth trying again on its own: a 5xx from the backend's engine proxy (its 503 "engine unreachable") or the engine,
 * or no answer at all (fetch rejects with a TypeError). A 4xx is about the request and would fail again.
 */
export function isRetryableEngineError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { status, statusCode, name } = error as { status?: unknown; statusCode?: unknown; name?: unknown };
  const code = typeof status === 'number' ? status : typeof statusCode === 'number' ? statusCode : undefined;
  // By name: a fetch from another realm (Node's, under jsdom) rejects with a TypeError that is not this window's.
  return code !== undefined ? code >= 500 : name === 'TypeError';
}

/** The wait before attempt `failures + 1`: doubling from `firstMs`, capped, with ±20% jitter so open tabs spread out. */
export function retryDelayMs(failures: number, policy: RetryPolicy, random = Math.random): number {
  const base = Math.min(policy.maxMs, policy.firstMs * 2 ** Math.max(0, failures - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}

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
 */
export function useEngineRetry<T>(
  load: () => Promise<T>,
  deps: DependencyList,
  options: { unreachable?: (value: T) => boolean; policy?: RetryPolicy } = {},
): EngineRetryState<T> {
  const state = useAsyncRetry(load, deps);
  const { loading, error, value, retry } = state;
  const failures = useRef(0);
  const [nextRetryAt, setNextRetryAt] = useState<number>();
  const unreachableRef = useRef(options.unreachable);
  unreachableRef.current = options.unreachable;
  const { firstMs, maxMs } = options.policy ?? ENGINE_RETRY;

  useEffect(() => {
    if (loading) return undefined;
    const down = error
      ? isRetryableEngineError(error)
      : value !== undefined && Boolean(unreachableRef.current?.(value));
    if (!down) {
      failures.current = 0;
      setNextRetryAt(undefined);
      return undefined;
    }
    failures.current += 1;
    const at = Date.now() + retryDelayMs(failures.current, { firstMs, maxMs });
    setNextRetryAt(at);
    const cancel = whenDueAndVisible(at, retry);
    return () => {
      cancel();
      setNextRetryAt(undefined);
    };
  }, [loading, error, value, retry, firstMs, maxMs]);

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
