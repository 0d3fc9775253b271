import { MAX_HORIZON_MINUTES } from '@ai-cloudops/engine-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Engine } from '../../src/engine.js';
import { API_PREFIX } from '../../src/server/app.js';
import { startForecastApp } from '../support/index.js';

/**
 * horizonMinutes in a JSON body is a whole number of minutes from 1, as a number: `"60"` was coerced and `0.0001`
 * answered a one-point forecast (found walking the README). The 400 names the field.
 */
const OPERATOR = 'operator-token-0123456789';

describe('horizonMinutes in request bodies', () => {
  let engine: Engine;
  let app: FastifyInstance;
  beforeAll(async () => {
    ({ engine, app } = await startForecastApp([{ name: 'op', token: OPERATOR, role: 'operator' }]));
  });
  afterAll(async () => {
    await app?.close();
    await engine?.close();
  });

  const post = (url: string, payload: Record<string, unknown>) =>
    app.inject({
      method: 'POST',
      url: `${API_PREFIX}${url}`,
      payload,
      headers: { authorization: `Bearer ${OPERATOR}` },
    });

  for (const [url, base] of [
    ['/forecast', { service: 'frontend' }],
    ['/scale-plan', { workload: { name: 'frontend' } }],
  ] as const) {
    it(`POST ${url} refuses a string, a fraction, zero and a negative horizon with 400 naming body.horizonMinutes`, async () => {
      for (const horizonMinutes of ['60', 0.0001, 1.5, 0, -5]) {
        const res = await post(url, { ...base, horizonMinutes });
        expect(res.statusCode, JSON.stringify(horizonMinutes)).toBe(400);
        const { error } = res.json() as {
          error: { code: string; issues: Array<{ field: string; message: string }> };
        };
        expect(error.code).toBe('INVALID_INPUT');
        expect(error.issues.map((i) => i.field)).toEqual(['body.horizonMinutes']);
      }
      const res = await post(url, { ...base, horizonMinutes: '60' });
      expect(
        (res.json() as { error: { issues: Array<{ message: string }> } }).error.issues[0]!.message,
      ).toMatch(/number/);
    });
  }

  /**
   * One bound and one wording on both routes: /scale-plan stopped at 1,440 minutes where /forecast takes 10,080, so
   * 2,000 minutes was refused for the API's bound on one and for the model's hour on the other.
   */
  it('POST /forecast and /scale-plan refuse a horizon past the model, and past a week, with the same 400', async () => {
    const refusals = async (horizonMinutes: number) => {
      const messages: string[] = [];
      for (const [url, base] of [
        ['/forecast', { service: 'frontend' }],
        ['/scale-plan', { workload: { name: 'frontend' }, capacityPerReplica: 5 }],
      ] as const) {
        const res = await post(url, { ...base, horizonMinutes });
        expect(res.statusCode, `${url} ${res.body}`).toBe(400);
        const { issues } = (res.json() as { error: { issues: Array<{ field: string; message: string }> } })
          .error;
        expect(issues.map((i) => i.field)).toEqual(['body.horizonMinutes']);
        messages.push(issues[0]!.message);
      }
      return messages;
    };
    const model =
      'must be at most 60 minutes for this series: its model forecasts 12 steps of 300 s (forecast.horizonSteps)';
    expect(await refusals(2_000)).toEqual([model, model]);
    expect(await refusals(MAX_HORIZON_MINUTES + 1)).toEqual(Array(2).fill('must be at most 10080 minutes'));
  }, 120_000);

  it('still answers a whole number of minutes, and the default', async () => {
    const res = await post('/forecast', { service: 'frontend', horizonMinutes: 1 });
    expect(res.statusCode).toBe(200);
    expect((res.json() as { points: unknown[] }).points.length).toBeGreaterThanOrEqual(1);
    expect((await post('/forecast', { service: 'frontend' })).statusCode).toBe(200);
  });
});
