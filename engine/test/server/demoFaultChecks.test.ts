import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { startServer, type RunningServer } from '../../src/server/startServer.js';

let server: RunningServer;

beforeAll(async () => {
  server = await startServer({
    config: { logLevel: 'silent', server: { port: 0 }, cluster: { kind: 'simulated', injectFaults: false } },
    logger: pino({ level: 'silent' }),
  });
});

afterAll(async () => {
  await server?.close();
});

const inject = (body: Record<string, unknown>) =>
  fetch(`${server.url}/api/v1/demo/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

type ErrorBody = { error: { code: string; issues: Array<{ field: string; message: string }> } };
const faults = async () =>
  ((await (await fetch(`${server.url}/api/v1/demo/faults`)).json()) as { items: unknown[] }).items;

describe('POST /api/v1/demo/faults checks what the fault names', () => {
  it('refuses a node the cluster does not have, naming body.node and listing the nodes, and records nothing', async () => {
    const before = (await faults()).length;
    const response = await inject({ type: 'node-not-ready', service: 'cart', node: 'nonexistent-node' });
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as ErrorBody;
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.issues[0]?.field).toBe('body.node');
    expect(error.issues[0]?.message).toContain('sim-node-1, sim-node-2, sim-node-3');
    expect((await faults()).length).toBe(before);
  });

  it('accepts a node the cluster has', async () => {
    const response = await inject({ type: 'node-not-ready', service: 'cart', node: 'sim-node-2' });
    expect(response.status).toBe(201);
    expect(((await response.json()) as { node: string }).node).toBe('sim-node-2');
  });

  it('names the node it took down when the request named none, in the answer and in GET', async () => {
    // The cluster takes down the node running the service's first pod; the answer said nothing of which.
    const firstPod = server.engine
      .demo!.cluster.store.view('/pods', 'shop')
      .filter((p) => p.metadata.labels?.['app'] === 'cart')
      .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))[0]!;
    const expected = (firstPod['spec'] as { nodeName: string }).nodeName;
    expect(expected).toMatch(/^sim-node-/);

    const response = await inject({ type: 'node-not-ready', service: 'cart' });
    expect(response.status).toBe(201);
    const fault = (await response.json()) as { id: string; node?: string };
    expect(fault.node).toBe(expected);
    expect(await faults()).toContainEqual(expect.objectContaining({ id: fault.id, node: expected }));
  });

  it('refuses a service the shop does not run, naming body.service', async () => {
    const response = await inject({ type: 'latency', service: 'no-such-service' });
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as ErrorBody;
    expect(error.issues[0]?.field).toBe('body.service');
  });

  it('refuses a start time before the cluster began (startedAt: -1 is 1969), naming body.startedAt', async () => {
    for (const startedAt of [-1, 0, '1970-01-01T00:00:00Z', Math.floor(Date.now() / 1000) - 3 * 24 * 3600]) {
      const response = await inject({ type: 'latency', service: 'cart', startedAt });
      expect(response.status, String(startedAt)).toBe(400);
      const { error } = (await response.json()) as ErrorBody;
      expect(error.issues[0]?.field).toBe('body.startedAt');
      expect(error.issues[0]?.message).toMatch(/before \d{4}-\d\d-\d\dT/);
    }
  });

  it('still accepts a backdated start within the cluster history', async () => {
    const startedAt = Math.floor(Date.now() / 1000) - 3600;
    const response = await inject({ type: 'latency', service: 'cart', startedAt });
    expect(response.status).toBe(201);
    expect(((await response.json()) as { startedAt: number }).startedAt).toBe(startedAt);
  });
});
