import { useCallback, useEffect, useRef, useState } from 'react';
import type { EngineApi } from './EngineApi';
import { useEngineApi } from './useEngineApi';

export interface EngineQueryState<T> {
  value?: T;
  error?: unknown;
  /** True until the first answer (or failure); later reloads keep showing the last value. */
  loading: boolean;
  /** Loads again now (after an action changed what the engine holds). */
  retry: () => void;
}

/**
 * One engine read behind a named hook, like backstage's `useAsyncRetry` + `useInterval`: the pages describe what they
 * read, not loading flags. A reload keeps the last value on screen; an answer that arrives after the inputs changed
 * or the page left is dropped. `refreshMs` re-reads on a timer (figures that move while the page is open).
 */
export function useEngineQuery<T>(
  load: (api: EngineApi) => Promise<T>,
  deps: readonly unknown[],
  refreshMs?: number
): EngineQueryState<T> {
  const api = useEngineApi();
  const [state, setState] = useState<{ value?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  // Declared before the loading effect, so it runs first: a load always uses the latest closure.
  useEffect(() => {
    loadRef.current = load;
  });

  useEffect(() => {
    let live = true;
    loadRef.current(api).then(
      (value) => live && setState({ value, loading: false }),
      (error: unknown) => live && setState((prev) => ({ value: prev.value, error, loading: false }))
    );
    return () => {
      live = false;
    };
    // `deps` are the caller's inputs to `load`, as with useEffect.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, tick, ...deps]);

  useEffect(() => {
    if (!refreshMs) {
      return undefined;
    }
    const timer = setInterval(() => setTick((t) => t + 1), refreshMs);
    return () => clearInterval(timer);
  }, [refreshMs]);

  const retry = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, retry };
}
