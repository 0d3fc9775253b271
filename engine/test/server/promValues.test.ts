import { describe, expect, it } from 'vitest';
import { demoAppPerFile } from '../support/demoAppPerFile.js';

/**
 * PromQL that evaluates to ±Inf or NaN: Prometheus writes them as the strings "+Inf", "-Inf", "NaN", and so does the
 * engine. `/metrics/query?query=1/0` was a 500 (ResponseSerializationError: expected number, received Infinity) and
 * query_range gave null values (found walking the README).
 */
const demo = demoAppPerFile();

const get = (url: string) => demo.app.inject({ method: 'GET', url });

describe('non-finite PromQL values', () => {
  it.each([
    ['1/0', '+Inf'],
    ['-1/0', '-Inf'],
    ['0/0', 'NaN'],
  ])('/metrics/query?query=%s answers %s', async (query, expected) => {
    const answer = await get(`/api/v1/metrics/query?query=${encodeURIComponent(query)}`);
    expect(answer.statusCode).toBe(200);
    expect(answer.json().samples).toEqual([{ labels: {}, timestamp: expect.any(Number), value: expected }]);
  });

  it('finite values stay numbers', async () => {
    const answer = await get(`/api/v1/metrics/query?query=${encodeURIComponent('1/4')}`);
    expect(answer.json().samples[0].value).toBe(0.25);
  });

  it('/metrics/query_range carries them in values, next to numbers', async () => {
    const end = Math.floor(Date.now() / 1000);
    for (const [query, expected] of [
      ['1/0', '+Inf'],
      ['0/0', 'NaN'],
    ]) {
      const answer = await get(
        `/api/v1/metrics/query_range?query=${encodeURIComponent(query!)}&start=${end - 600}&end=${end}&step=60`,
      );
      expect(answer.statusCode).toBe(200);
      const [series] = answer.json().series;
      expect(series.values.length).toBeGreaterThan(0);
      expect(new Set(series.values)).toEqual(new Set([expected]));
    }
  });

  it('the OpenAPI document says so', async () => {
    const doc = (await get('/api/v1/openapi.json')).json();
    const text = JSON.stringify(doc.components.schemas.RangeSeries);
    expect(text).toContain('+Inf');
    expect(JSON.stringify(doc.paths['/api/v1/metrics/query'])).toContain('NaN');
  });
});
