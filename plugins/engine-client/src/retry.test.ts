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

  it('doubles from 2 s to a 30 s cap, within ±20 %', () => {
    const mid = (n: number) => retryDelayMs(n, ENGINE_RETRY, () => 0.5);
    expect([1, 2, 3, 4, 5, 9].map(mid)).toEqual([2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
    expect(retryDelayMs(1, ENGINE_RETRY, () => 0)).toBe(1_600);
    expect(retryDelayMs(5, ENGINE_RETRY, () => 1)).toBe(36_000);
  });
});
