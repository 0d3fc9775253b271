/**
 * How both plugins retry a read when the engine (or the proxy or backend in front of it) does not answer: one policy,
 * so a Grafana page and a Backstage card come back on the same steps.
 */
export interface RetryPolicy {
  firstMs: number;
  maxMs: number;
}

/**
 * 2 s, 4 s, 8 s, 16 s, then every 30 s: a restarted engine (the demo engine is ready in ~3 s) shows within a few
 * seconds, while a page left open through a long outage sends one request per read every 30 s, not a storm.
 */
export const ENGINE_RETRY: RetryPolicy = { firstMs: 2_000, maxMs: 30_000 };

/**
 * Worth trying again on its own: a 5xx (EngineApiError's `status`, or `statusCode` from Backstage's fetch errors), no
 * answer at all (fetch rejects with a TypeError), or a 429 that says when (Retry-After: a full job queue, too many
 * event streams). Any other 4xx is about the request and would fail again.
 */
export function isRetryableEngineError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { status, statusCode, name } = error as { status?: unknown; statusCode?: unknown; name?: unknown };
  const code = typeof status === 'number' ? status : typeof statusCode === 'number' ? statusCode : undefined;
  if (code === 429) return retryAfterMs(error) !== undefined;
  // By name: a fetch from another realm (Node's, under jsdom) rejects with a TypeError that is not this window's.
  return code !== undefined ? code >= 500 : name === 'TypeError';
}

/**
 * The wait before attempt `failures + 1`: doubling from `firstMs`, capped, with ±20% jitter so open tabs spread out;
 * never sooner than the Retry-After of `error` (EngineApiError's `retryAfterSeconds`) when the engine sent one, since
 * asking earlier only meets the same 429 or 503 again.
 */
export function retryDelayMs(failures: number, policy: RetryPolicy, random = Math.random, error?: unknown): number {
  const base = Math.min(policy.maxMs, policy.firstMs * 2 ** Math.max(0, failures - 1));
  const backoff = Math.round(base * (0.8 + 0.4 * random()));
  return Math.max(backoff, retryAfterMs(error) ?? 0);
}

/** Retry-After in milliseconds from an error that carries it (EngineApiError), else undefined. */
function retryAfterMs(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const seconds = (error as { retryAfterSeconds?: unknown }).retryAfterSeconds;
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}
