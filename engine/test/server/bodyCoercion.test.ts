import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validatorCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { strictRequests } from '../../src/server/strictRequests.js';
import { startDemoApp, type DemoApp } from '../support/startDemoApp.js';

/**
 * A JSON body says what type it sends: a number field given as a string is a 400 naming it. The forecast bodies
 * share `z.coerce.number()` fields with query strings (which are text, so they must coerce) and took
 * `{"historyHours": "6"}` as 6, `null` as 0 (found walking the README).
 */
let demo: DemoApp;
beforeAll(async () => {
  demo = await startDemoApp();
}, 60_000);
afterAll(async () => {
  await demo?.close();
});

const issuesOf = (answer: { json(): unknown }) =>
  (answer.json() as { error: { code: string; issues: Array<{ field: string; message: string }> } }).error;

describe('a number field of a JSON body', () => {
  const forecast = { service: 'checkout', signal: 'request_rate' };
  it.each([
    { url: '/api/v1/forecast', base: forecast, field: 'historyHours', value: '6', received: 'string' },
    { url: '/api/v1/forecast', base: forecast, field: 'historyHours', value: null, received: 'null' },
    {
      url: '/api/v1/scale-plan',
      base: { workload: { name: 'checkout' } },
      field: 'capacityPerReplica',
      value: '2',
      received: 'string',
    },
    { url: '/api/v1/forecast/backtest', base: forecast, field: 'testDays', value: true, received: 'boolean' },
  ])('POST $url with $field: $value is a 400 naming it', async ({ url, base, field, value, received }) => {
    const answer = await demo.app.inject({ method: 'POST', url, payload: { ...base, [field]: value } });
    expect(answer.statusCode).toBe(400);
    expect(issuesOf(answer)).toMatchObject({
      code: 'INVALID_INPUT',
      issues: [{ field: `body.${field}`, message: `Invalid input: expected number, received ${received}` }],
    });
  });
});

describe('a number field of a query string', () => {
  it('is still read from its text', async () => {
    const answer = await demo.app.inject({ method: 'GET', url: '/api/v1/alerts?limit=5' });
    expect(answer.statusCode).toBe(200);
  });
});

/** The body check alone, without running a forecast: what it must still let through. */
describe('the body validator', () => {
  const validate = (schema: z.ZodType, body: unknown) =>
    strictRequests(validatorCompiler)({ schema, method: 'POST', url: '/x', httpPart: 'body' })(body) as {
      value?: unknown;
      error?: { issues?: unknown };
    };

  it('takes numbers as numbers, and leaves alone fields that take the type sent', () => {
    const schema = z.object({
      n: z.coerce.number().default(1),
      nullable: z.coerce.number().nullable().optional(),
      either: z.union([z.coerce.number(), z.string()]).optional(),
      items: z.array(z.object({ m: z.coerce.number() })).optional(),
    });
    expect(validate(schema, { n: 2, nullable: null, either: 'x', items: [{ m: 3 }] })).toEqual({
      value: { n: 2, nullable: null, either: 'x', items: [{ m: 3 }] },
    });
    expect(validate(schema, {})).toEqual({ value: { n: 1 } });
  });

  it('names a coerced field nested in arrays, once, beside the schema’s other issues', () => {
    const schema = z.object({ items: z.array(z.object({ m: z.coerce.number().min(5) })), s: z.string() });
    const { error } = validate(schema, { items: [{ m: 6 }, { m: 'abc' }], s: 1 });
    expect(error?.issues).toEqual([
      { field: 'body.items.1.m', message: 'Invalid input: expected number, received string' },
      { field: 'body.s', message: 'Invalid input: expected string, received number' },
    ]);
  });
});
