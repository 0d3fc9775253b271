import { isRetryableEngineError, type EngineQueryState } from './useEngineQuery';
import type { RetryControl } from '../components/EngineError/EngineErrorAlert';

/**
 * The same failure on several reads (the engine down, or overloaded) is one alert with one Retry, not a box per
 * section: the first such error, a Retry that reads them all again, and the soonest of their automatic retries (each
 * read keeps its own backoff schedule). One read failing alone keeps its error in its section. Used by the Repairs
 * page (four reads) and the Overview (readiness and workloads: two boxes with two countdowns before).
 */
export function engineOutage(reads: Array<EngineQueryState<unknown>>): ({ error: unknown } & RetryControl) | undefined {
  const failing = reads.filter((q) => isRetryableEngineError(q.error));
  if (failing.length < 2) {
    return undefined;
  }
  const due = failing.map((q) => q.nextRetryAt).filter((at): at is number => at !== undefined);
  return {
    error: failing[0]!.error,
    retry: () => failing.forEach((q) => q.retry()),
    nextRetryAt: due.length > 0 ? Math.min(...due) : undefined,
  };
}
