import { describe, expect, it } from 'vitest';
import { EngineApiError } from './EngineClient.js';
import { ENGINE_RETRY, isRetryableEngineError, retryDelayMs } from './retry.js';

describe('engine retries', () => {
  it('retries 5xx and no answer, never a 4xx or a non-error', () => {
    expect(isRetryableEngineError(new EngineApiError(503, 'HTTP_503', 'down'))).toBe(true);
    expect(isRetryableEngineError({ name: 'ResponseError', statusCode: 502 })).toBe(true);
    expect(isRetryableEngineError(new TypeError('fetch failed'))).toBe(true);
    expect(isRetryableEngineError(new EngineApiError(400, 'INVALID_INPUT', 'bad'))).toBe(false);
    expect(isRetryableEngineError({ name: 'TypeError', status: 404 })).toBe(false);
    expect(isRetryableEngineError('down')).toBe(false);
  });

  it('retries a 429 that says when (Retry-After), not one that does not', () => {
    expect(isRetryableEngineError(new EngineApiError(429, 'RATE_LIMITED', 'too many streams', [], 5))).toBe(true);
    expect(isRetryableEngineError(new EngineApiError(429, 'RATE_LIMITED', 'too many streams'))).toBe(false);
  });

  it('waits at least what Retry-After asks, and the backoff when that is longer', () => {
    const limited = new EngineApiError(429, 'RATE_LIMITED', 'too many streams', [], 12);
    expect(retryDelayMs(1, ENGINE_RETRY, () => 0.5, limited)).toBe(12_000);
    expect(retryDelayMs(5, ENGINE_RETRY, () => 0.5, limited)).toBe(30_000);
    expect(retryDelayMs(1, ENGINE_RETRY, () => 0.5, new EngineApiError(503, 'STORE_UNAVAILABLE', 'down', [], 5))).toBe(5_000);
    expect(retryDelayMs(1, ENGINE_RETRY, () => 0.5, new EngineApiError(503, 'HTTP_503', 'down'))).toBe(2_000);
  });

  it('doubles from 2 s to a 30 s cap, within ±20 %', () => {
    const mid = (n: number) => retryDelayMs(n, ENGINE_RETRY, () => 0.5);
    expect([1, 2, 3, 4, 5, 9].map(mid)).toEqual([2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
    expect(retryDelayMs(1, ENGINE_RETRY, () => 0)).toBe(1_600);
    expect(retryDelayMs(5, ENGINE_RETRY, () => 1)).toBe(36_000);
  });
});
