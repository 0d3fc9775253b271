import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/startServer.js';

/**
 * Found walking the README's HTTP examples: `?cluster=nosuch` was a 404 naming a bare `cluster`, and a selector the
 * API server could not parse (`labelSelector====`) a 400 BAD_REQUEST naming no field. Query parameters are named as
 * `querystring.<name>`, like `querystring.limit` and `querystring.cursor`.
 */
let server: RunningServer;

beforeAll(async () => {
  server = await startServer({
    config: { logLevel: 'silent', server: { port: 0 }, cluster: { kind: 'simulated', injectFaults: false } },
    logger: pino({ level: 'silent' }),
  });
}, 60_000);

afterAll(async () => {
  await server?.close();
});

async function errorOf(
  path: string,
): Promise<{ status: number; code: string; fields: string[]; message: string }> {
  const res = await fetch(`${server.url}${path}`);
  const body = (await res.json()) as {
    error: { code: string; message: string; issues?: Array<{ field: string }> };
  };
  return {
    status: res.status,
    code: body.error.code,
    fields: (body.error.issues ?? []).map((i) => i.field),
    message: body.error.message,
  };
}

describe('cluster queries name the query parameter they refuse', () => {
  it('an unknown cluster is a 400 naming querystring.cluster and the configured ones', async () => {
    for (const path of [
      '/api/v1/workloads?namespace=shop&cluster=nosuch',
      '/api/v1/events?namespace=shop&cluster=nosuch',
    ]) {
      const error = await errorOf(path);
      expect(error).toMatchObject({ status: 400, code: 'INVALID_INPUT', fields: ['querystring.cluster'] });
      expect(error.message).toContain('configured: simulated');
    }
  });

  it("a selector the API server cannot parse is a 400 naming it, with the server's reason", async () => {
    const label = await errorOf('/api/v1/workloads?namespace=shop&labelSelector=%3D%3D%3D');
    expect(label).toMatchObject({
      status: 400,
      code: 'INVALID_INPUT',
      fields: ['querystring.labelSelector'],
    });
    expect(label.message).toContain('invalid label key');
    const field = await errorOf('/api/v1/events?namespace=shop&fieldSelector=%3D%3D%3D');
    expect(field).toMatchObject({
      status: 400,
      code: 'INVALID_INPUT',
      fields: ['querystring.fieldSelector'],
    });
  });

  it('the configured cluster and a good selector still answer', async () => {
    const res = await fetch(
      `${server.url}/api/v1/workloads?namespace=shop&cluster=simulated&labelSelector=app%3Dcart`,
    );
    expect(res.status).toBe(200);
    const { items } = (await res.json()) as { items: Array<{ name: string }> };
    expect(items.map((w) => w.name)).toEqual(['cart']);
  });
});
