import { describe, expect, it } from 'vitest';
import { demoAppPerFile } from '../support/demoAppPerFile.js';

/**
 * Paths fastify refuses before routing get the engine's error body with the path named. A segment longer than
 * fastify's maxParamLength (GET /rca/<300 characters>) was answered "must be valid percent-encoded UTF-8", the
 * reason of the other such error, with the whole segment echoed in the message (found walking the README).
 */
const demo = demoAppPerFile();

describe('paths refused before routing', () => {
  it('name an over-long path parameter as too long, without echoing it', async () => {
    const long = 'x'.repeat(300);
    for (const url of [`/api/v1/rca/${long}`, `/api/v1/jobs/${long}`]) {
      const res = await demo.app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(400);
      const error = res.json().error;
      expect(error).toMatchObject({
        code: 'BAD_REQUEST',
        issues: [{ field: 'path', message: 'at most 100 characters' }],
      });
      expect(error.message).not.toContain(long);
    }
    const atLimit = await demo.app.inject({ method: 'GET', url: `/api/v1/rca/${'x'.repeat(100)}` });
    expect(atLimit.statusCode).toBe(404);
  });

  it('still name a path that is not percent-encoded UTF-8 as such', async () => {
    const res = await demo.app.inject({ method: 'GET', url: '/api/v1/rca/%E0%A4%A' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.issues).toEqual([
      { field: 'path', message: 'must be valid percent-encoded UTF-8' },
    ]);
  });
});

describe('a path asked with a method it does not answer', () => {
  it('is a 405 naming the methods it does answer, in Allow and in the message', async () => {
    const res = await demo.app.inject({ method: 'DELETE', url: '/api/v1/workloads?namespace=shop' });
    expect(res.statusCode).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD');
    expect(res.json().error).toMatchObject({
      code: 'METHOD_NOT_ALLOWED',
      message: '/api/v1/workloads does not answer DELETE; it answers GET, HEAD',
    });
  });

  it('matches path parameters, so an id route is told apart from an unknown path', async () => {
    const res = await demo.app.inject({ method: 'PUT', url: '/api/v1/rca/some-id' });
    expect(res.statusCode).toBe(405);
    expect(res.headers.allow).toContain('GET');
    const unknown = await demo.app.inject({ method: 'PUT', url: '/api/v1/rca/some-id/nope' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers.allow).toBeUndefined();
  });

  it('keeps a 404 for a path no method answers, and a trailing slash is another path', async () => {
    expect((await demo.app.inject({ method: 'GET', url: '/api/v1/nope' })).statusCode).toBe(404);
    expect((await demo.app.inject({ method: 'POST', url: '/api/v1/workloads/' })).statusCode).toBe(404);
  });
});
