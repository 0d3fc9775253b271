import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/startServer.js';

/**
 * A web page on another site must not change anything. Incident ack/resolve and RCA rerun take no body, so a page can
 * POST them with no CORS preflight, and with auth off on loopback the Host check passes: `curl -X POST -H 'Origin:
 * https://evil.example' localhost:8080/api/v1/incidents/<id>/resolve` answered 200 (found walking the README). Real
 * HTTP, the demo engine with auth off, as a user runs it; a second engine with server.corsOrigins.
 */
let open: RunningServer;
let withCors: RunningServer;
const GRAFANA = 'https://grafana.example';

const start = (corsOrigins: string[] = []) =>
  startServer({
    config: {
      logLevel: 'silent',
      server: { host: '127.0.0.1', port: 0, corsOrigins },
      cluster: { kind: 'simulated', injectFaults: false },
    },
    logger: pino({ level: 'silent' }),
  });

beforeAll(async () => {
  [open, withCors] = await Promise.all([start(), start([GRAFANA])]);
}, 60_000);
afterAll(async () => {
  await Promise.all([open?.close(), withCors?.close()]);
});

const call = (
  server: RunningServer,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
) => fetch(`${server.url}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });

async function openIncident(server: RunningServer): Promise<string> {
  const ingest = await call(
    server,
    'POST',
    '/api/v1/alerts',
    { 'content-type': 'application/json' },
    JSON.stringify({
      alerts: [{ labels: { alertname: 'CrossSiteTest', service: 'checkout', severity: 'critical' } }],
    }),
  );
  expect(ingest.status).toBeLessThan(300);
  const list = (await (await call(server, 'GET', '/api/v1/incidents')).json()) as {
    items: Array<{ id: string }>;
  };
  expect(list.items.length).toBeGreaterThan(0);
  return list.items[0]!.id;
}

describe('state-changing requests from another site', () => {
  it('are refused with 403 naming the origin header, and change nothing', async () => {
    const id = await openIncident(open);
    for (const action of ['ack', 'resolve']) {
      for (const extra of [{}, { 'content-type': 'text/plain' }] as Array<Record<string, string>>) {
        const answer = await call(
          open,
          'POST',
          `/api/v1/incidents/${id}/${action}`,
          { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site', ...extra },
          'content-type' in extra ? 'x' : undefined,
        );
        expect(answer.status).toBe(403);
        const { error } = (await answer.json()) as {
          error: { code: string; issues: Array<{ field: string }> };
        };
        expect(error.code).toBe('FORBIDDEN');
        expect(error.issues.map((i) => i.field)).toEqual(['headers.origin']);
      }
    }
    const incident = (await (await call(open, 'GET', `/api/v1/incidents/${id}`)).json()) as {
      state?: string;
      status?: string;
    };
    expect(JSON.stringify(incident)).not.toMatch(/"(state|status)":"(acknowledged|resolved)"/);
    const rerun = await call(open, 'POST', '/api/v1/rca/rca-nonexistent/rerun', {
      origin: 'https://evil.example',
    });
    expect(rerun.status).toBe(403);
    const cancel = await call(open, 'DELETE', '/api/v1/jobs/j-nonexistent', { origin: 'null' });
    expect(cancel.status).toBe(403);
  });

  it('are refused on Sec-Fetch-Site: cross-site without an Origin too', async () => {
    const answer = await call(open, 'POST', '/api/v1/rca/rca-nonexistent/rerun', {
      'sec-fetch-site': 'cross-site',
    });
    expect(answer.status).toBe(403);
    expect(
      ((await answer.json()) as { error: { issues: Array<{ field: string }> } }).error.issues[0]!.field,
    ).toBe('headers.sec-fetch-site');
  });

  it('pass without an Origin (curl, the CLI, the portals’ server-side proxies) and from the engine’s own origin', async () => {
    const id = await openIncident(open);
    const curl = await call(open, 'POST', `/api/v1/incidents/${id}/ack`);
    expect(curl.status).toBe(200);
    const own = await call(open, 'POST', `/api/v1/incidents/${id}/resolve`, {
      origin: open.url,
      'sec-fetch-site': 'same-origin',
    });
    expect(own.status).toBe(200);
    // Node's fetch, as the Backstage backend calls the engine: no Origin, Sec-Fetch-Mode cors only.
    const missing = await call(
      open,
      'POST',
      '/api/v1/rca/rca-nonexistent/rerun',
      { 'content-type': 'application/json' },
      '{}',
    );
    expect(missing.status).toBe(404);
  });

  it('pass from an origin in server.corsOrigins, with its CORS headers; reads are not refused', async () => {
    const id = await openIncident(withCors);
    const grafana = await call(withCors, 'POST', `/api/v1/incidents/${id}/ack`, {
      origin: GRAFANA,
      'sec-fetch-site': 'cross-site',
    });
    expect(grafana.status).toBe(200);
    expect(grafana.headers.get('access-control-allow-origin')).toBe(GRAFANA);
    const evil = await call(withCors, 'POST', `/api/v1/incidents/${id}/resolve`, {
      origin: 'https://evil.example',
    });
    expect(evil.status).toBe(403);
    const read = await call(open, 'GET', `/api/v1/incidents/${id}`.replace(id, 'x'), {
      origin: 'https://evil.example',
    });
    expect(read.status).not.toBe(403);
  });
});
