import { describe, expect, it } from 'vitest';
import { demoAppPerFile } from '../support/demoAppPerFile.js';

/**
 * A body field the route does not know is a 400 naming it. zod strips unknown keys, so POST /forecast
 * {"horizon": 100000} (the field is horizonMinutes) was answered 200 with the default 60 minutes: a typo looked
 * like a working request (found walking the README).
 */
const demo = demoAppPerFile();

const post = (url: string, payload: Record<string, unknown>) =>
  demo.app.inject({ method: 'POST', url, payload });

describe('request bodies with a field the route does not know', () => {
  it('are refused naming the field, nested ones too', async () => {
    const horizon = await post('/api/v1/forecast', {
      service: 'checkout',
      signal: 'request_rate',
      horizon: 100_000,
    });
    expect(horizon.statusCode).toBe(400);
    expect(horizon.json().error.issues).toEqual([
      { field: 'body.horizon', message: 'unknown field (did you mean body.horizonMinutes?)' },
    ]);
    const typo = await post('/api/v1/rca', {
      namespace: 'shop',
      target: { service: 'checkout', signl: 'latency_p99' },
    });
    expect(typo.statusCode).toBe(400);
    expect(typo.json().error).toMatchObject({
      code: 'INVALID_INPUT',
      issues: [{ field: 'body.target.signl', message: 'unknown field (did you mean body.target.signal?)' }],
    });
  });

  // The hint compares with the keys the route's schema declares: an optional field left out of the body is still
  // offered (before, only keys present in the parsed body were, so horizonMinutes never was).
  it('hint at the declared field they were meant to be, optional ones left out too', async () => {
    const horizon = await post('/api/v1/forecast', {
      service: 'checkout',
      signal: 'request_rate',
      horizon: 5,
    });
    expect(horizon.json().error.issues).toEqual([
      { field: 'body.horizon', message: 'unknown field (did you mean body.horizonMinutes?)' },
    ]);
    const nested = await post('/api/v1/rca', {
      namespace: 'shop',
      target: { service: 'checkout', signl: 'latency_p99' },
    });
    expect(nested.json().error.issues).toEqual([
      { field: 'body.target.signl', message: 'unknown field (did you mean body.target.signal?)' },
    ]);
    const nothingNear = await post('/api/v1/forecast', {
      service: 'checkout',
      signal: 'request_rate',
      zzzz: 1,
    });
    expect(nothingNear.json().error.issues).toEqual([{ field: 'body.zzzz', message: 'unknown field' }]);
  });

  // A typo that leaves a required field out failed validation before the unknown-field check ran, so only the
  // missing field was named: {"target": {"servce": "cart"}} got "body.target.service: expected string".
  it('are named with their hint when the body also fails validation', async () => {
    const missing = await post('/api/v1/rca', { namespace: 'shop', target: { servce: 'cart' } });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.issues).toEqual([
      { field: 'body.target.servce', message: 'unknown field (did you mean body.target.service?)' },
      { field: 'body.target.service', message: 'required' },
    ]);
    const forecast = await post('/api/v1/forecast', { servce: 'cart', signal: 'request_rate' });
    expect(forecast.json().error.issues.map((i: { field: string }) => i.field)).toEqual([
      'body.servce',
      'body.service',
    ]);
    const wrongType = await post('/api/v1/rca', { namespace: 5 });
    expect(wrongType.json().error.issues).toEqual([
      { field: 'body.namespace', message: expect.stringContaining('expected string') },
    ]);
  });

  it('are still answered when every field is known, and generic alerts keep the fields their senders add', async () => {
    expect(
      (await post('/api/v1/forecast', { service: 'checkout', signal: 'request_rate', horizonMinutes: 30 }))
        .statusCode,
    ).toBe(200);
    const alert = {
      labels: { alertname: 'HighLatency', service: 'checkout' },
      status: 'firing',
      generatorURL: 'http://elsewhere/graph',
    };
    const generic = await post('/api/v1/alerts', { alerts: [alert], sender: 'another-tool' });
    expect(generic.statusCode).toBe(200);
  });
});

describe('query parameters the route does not know', () => {
  const get = (url: string) => demo.app.inject({ method: 'GET', url });

  it('are refused naming the parameter, with a hint; known ones still answer', async () => {
    // A typo listed every namespace; another list's parameter (`limit`, where search takes `k`) gave the default.
    const typo = await get('/api/v1/workloads?namespace=shop&namepsace=x');
    expect(typo.statusCode).toBe(400);
    expect(typo.json().error.issues).toEqual([
      { field: 'querystring.namepsace', message: 'unknown parameter (did you mean querystring.namespace?)' },
    ]);
    const other = await get('/api/v1/assistant/search?q=oom&limit=9');
    expect(other.json().error.issues).toEqual([{ field: 'querystring.limit', message: 'unknown parameter' }]);
    expect((await get('/api/v1/workloads?namespace=shop&limit=2')).statusCode).toBe(200);
    expect((await get('/api/v1/assistant/search?q=oom&k=3')).statusCode).toBe(200);
  });
});
