import { describe, expect, it } from 'vitest';
import { EngineError } from '../../errors.js';
import { ShopMetricsGenerator } from '../../sim/metrics/ShopMetricsGenerator.js';
import { SyntheticMetricsSource } from './SyntheticMetricsSource.js';
import { QUERY_LIMITS } from './queryLimits.js';

const T = 1_764_000_000;
const source = new SyntheticMetricsSource(new ShopMetricsGenerator({ seed: 7 }), () => T);

async function failure(pending: Promise<unknown>): Promise<EngineError> {
  const error = await pending.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EngineError);
  return error as EngineError;
}

describe('query limits of the demo source', () => {
  it('refuses a range window beyond the limit before reading any sample', async () => {
    const error = await failure(source.instantQuery('rate(http_requests_total[365d])', T));
    expect(error.code).toBe('PROMQL_ERROR');
    expect(error.message).toMatch(/range window \[365d\] is longer than the limit of 31d/);
  });

  it('refuses a range query spanning more than the limit, naming end', async () => {
    const error = await failure(
      source.rangeQuery({ query: 'up', start: T - 100 * 86_400, end: T, stepSeconds: 3600 }),
    );
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.issues.map((i) => i.field)).toEqual(['rangeQuery.end']);
  });

  it('refuses more samples than the limit and says how many it would read', async () => {
    // Every series of the shop over 30 days at a 30-day window: well past 50M samples.
    const error = await failure(
      source.rangeQuery({
        query: 'sum(rate({__name__=~".+"}[30d]))',
        start: T - 30 * 86_400,
        end: T,
        stepSeconds: 3600,
      }),
    );
    expect(error.code).toBe('PROMQL_ERROR');
    expect(error.message).toMatch(/would read [\d,]+ samples; the limit is 50,000,000/);
  });

  it('refuses a 3,000-term query (by length) and a short deep one (by depth) instead of overflowing the stack', async () => {
    const long = await failure(source.instantQuery(Array.from({ length: 3000 }, () => 'up').join(' + '), T));
    expect(long.issues.map((i) => i.field)).toEqual(['query']);
    const deep = await failure(source.instantQuery(Array.from({ length: 1500 }, () => '1').join('+'), T));
    expect(deep.code).toBe('PROMQL_ERROR');
    expect(deep.message).toMatch(/nests deeper than 128 levels/);
    const parens = await failure(source.instantQuery(`${'('.repeat(2000)}up${')'.repeat(2000)}`, T));
    expect(parens.message).toMatch(/nests deeper than 128 levels/);
  });

  it('refuses a query text longer than the limit', async () => {
    const error = await failure(
      source.instantQuery(`up{job="${'x'.repeat(QUERY_LIMITS.maxQueryChars)}"}`, T),
    );
    expect(error.issues.map((i) => i.field)).toEqual(['query']);
  });

  it('still answers queries within the limits, e.g. a 30-day range at 5 min', async () => {
    const series = await source.rangeQuery({
      query: 'sum by (service) (rate(http_requests_total[5m]))',
      start: T - 30 * 86_400,
      end: T,
      stepSeconds: 300,
    });
    expect(series.length).toBeGreaterThan(5);
    expect(series[0]!.timestamps).toHaveLength(30 * 288 + 1);
  }, 60_000);
});

describe('evaluation in slices', () => {
  it('lets other callbacks run while a heavy query evaluates', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    try {
      await source.rangeQuery({
        query: 'sum by (service) (rate(http_requests_total[1h]))',
        start: T - 30 * 86_400,
        end: T,
        stepSeconds: 300,
      });
    } finally {
      clearInterval(timer);
    }
    // Without yields the whole evaluation is one macrotask and the interval never fires before it ends.
    expect(ticks).toBeGreaterThan(2);
  }, 60_000);

  it('answers a range evaluated in day chunks as instant queries at its steps do', async () => {
    const query = 'sum by (service) (rate(http_requests_total[1h])) / 2 or vector(1)';
    const range = await source.rangeQuery({ query, start: T - 3 * 86_400, end: T, stepSeconds: 1800 });
    expect(range.length).toBeGreaterThan(5);
    for (const at of [T - 3 * 86_400, T - 86_400 - 1800, T - 86_400, T - 1800, T]) {
      const instant = await source.instantQuery(query, at);
      for (const sample of instant) {
        const series = range.find((s) => JSON.stringify(s.labels) === JSON.stringify(sample.labels))!;
        const value = series.values[series.timestamps.indexOf(at)]!;
        expect(Math.abs(value - sample.value)).toBeLessThanOrEqual(
          1e-9 * Math.max(1, Math.abs(sample.value)),
        );
      }
    }
  }, 60_000);

  it('stops between slices when aborted', async () => {
    const controller = new AbortController();
    const pending = source.rangeQuery({
      query: 'sum by (service) (rate(http_requests_total[1h]))',
      start: T - 30 * 86_400,
      end: T,
      stepSeconds: 300,
      signal: controller.signal,
    });
    setImmediate(() => controller.abort());
    const error = await failure(pending);
    expect(error.code).toBe('TIMEOUT');
  }, 60_000);
});
