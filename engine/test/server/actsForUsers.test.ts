import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/startServer.js';

/**
 * A token with `actsForUsers: true` (server.auth.tokens[].actsForUsers) is a trusted front-end, the Backstage backend:
 * it names its signed-in user in X-AICloudOps-User, and the engine records that user via the token. Before, every
 * acknowledgement made through the portal read `acknowledgedBy: backstage`.
 */
const portalToken = 'backstage-token-0123456789ab';
const operatorToken = 'operator-token-0123456789ab';
const USER = 'user:default/jane';

describe('a token acting for its users (X-AICloudOps-User)', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({
      config: {
        logLevel: 'silent',
        cluster: { kind: 'simulated', injectFaults: false },
        server: {
          host: '127.0.0.1',
          port: 0,
          auth: {
            tokens: [
              { name: 'backstage', token: portalToken, role: 'operator', actsForUsers: true },
              { name: 'ops', token: operatorToken, role: 'operator' },
            ],
          },
        },
      },
    });
  }, 60_000);
  afterAll(async () => {
    await server?.close();
  });

  const call = (token: string, method: string, path: string, headers: Record<string, string> = {}, body?: string) =>
    fetch(`${server.url}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body }),
    });

  let alertCount = 0;
  const openIncident = async (): Promise<string> => {
    alertCount += 1;
    const alerts = [{ labels: { alertname: `ActsFor${alertCount}`, service: `svc-${alertCount}`, severity: 'critical' } }];
    expect((await call(operatorToken, 'POST', '/alerts', {}, JSON.stringify({ alerts }))).status).toBe(200);
    const list = (await (await call(operatorToken, 'GET', '/incidents')).json()) as {
      items: Array<{ id: string; title?: string; alerts?: unknown; service?: string }>;
    };
    const found = list.items.find((item) => JSON.stringify(item).includes(`svc-${alertCount}`));
    expect(found).toBeDefined();
    return found!.id;
  };

  const fieldOf = async (answer: Response) =>
    ((await answer.json()) as { error: { issues: Array<{ field: string }> } }).error.issues[0]!.field;

  it('records the named user via the trusted token on an incident acknowledgement', async () => {
    const id = await openIncident();
    const ack = await call(portalToken, 'POST', `/incidents/${id}/ack`, { 'x-aicloudops-user': USER });
    expect(ack.status).toBe(200);
    expect(await ack.json()).toMatchObject({ acknowledgedBy: `${USER} via backstage` });
  });

  it('refuses the header from a token without actsForUsers, naming the header, and acknowledges nothing', async () => {
    const id = await openIncident();
    const ack = await call(operatorToken, 'POST', `/incidents/${id}/ack`, { 'x-aicloudops-user': USER });
    expect(ack.status).toBe(403);
    expect(await fieldOf(ack)).toBe('headers.x-aicloudops-user');
    const incident = (await (await call(operatorToken, 'GET', `/incidents/${id}`)).json()) as Record<string, unknown>;
    expect(incident['acknowledgedBy']).toBeUndefined();
  });

  it('refuses a user name that is not 1 to 256 printable characters with a 400 naming the header', async () => {
    const id = await openIncident();
    for (const bad of ['x'.repeat(257), 'jane\u00e9']) {
      const ack = await call(portalToken, 'POST', `/incidents/${id}/ack`, { 'x-aicloudops-user': bad });
      expect(ack.status).toBe(400);
      expect(await fieldOf(ack)).toBe('headers.x-aicloudops-user');
    }
  });

  // A guard, passing before as after: the header never raises the role.
  it('keeps the token’s role: a user named by the portal, narrowed to viewer, may not acknowledge', async () => {
    const id = await openIncident();
    const ack = await call(portalToken, 'POST', `/incidents/${id}/ack`, {
      'x-aicloudops-user': USER,
      'x-aicloudops-role': 'viewer',
    });
    expect(ack.status).toBe(403);
  });

  // A guard, passing before as after: without the header both tokens are recorded by their own names.
  it('leaves calls without the header as they were', async () => {
    const id = await openIncident();
    const ack = await call(portalToken, 'POST', `/incidents/${id}/ack`);
    expect(ack.status).toBe(200);
    expect(await ack.json()).toMatchObject({ acknowledgedBy: 'backstage' });
  });
});
