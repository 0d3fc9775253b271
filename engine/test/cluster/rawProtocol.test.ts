import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimulatedCluster } from '../../src/sim/SimulatedCluster.js';

/** The wire details client libraries other than client-node (kubectl, client-go) also rely on. */
let cluster: SimulatedCluster;

const call = async (path: string, init: RequestInit = {}) => {
  const res = await fetch(cluster.url + path, init);
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // text/plain bodies stay strings
  }
  return { status: res.status, type: res.headers.get('content-type'), body: body as Record<string, unknown> };
};

beforeAll(async () => {
  cluster = await SimulatedCluster.start({ seedShop: true, tickMs: 0 });
});

afterAll(async () => {
  await cluster?.stop();
});

describe('wire protocol', () => {
  it('serves resource discovery with subresources', async () => {
    const { body } = await call('/api/v1');
    const names = (body['resources'] as Array<{ name: string }>).map((r) => r.name);
    expect(names).toEqual(
      expect.arrayContaining(['pods', 'pods/log', 'events', 'namespaces', 'nodes', 'services']),
    );
    const apps = await call('/apis/apps/v1');
    expect((apps.body['resources'] as Array<{ name: string }>).map((r) => r.name)).toContain(
      'deployments/scale',
    );
    // what Backstage's Kubernetes plugin lists beside workloads answers too, empty
    for (const path of [
      '/apis/batch/v1/namespaces/shop/cronjobs',
      '/apis/networking.k8s.io/v1/namespaces/shop/ingresses',
      '/api/v1/namespaces/shop/limitranges',
      '/api/v1/namespaces/shop/resourcequotas',
    ]) {
      const list = await call(path);
      expect(list.status, path).toBe(200);
      expect(list.body['items']).toEqual([]);
    }
  });

  it('answers Status objects for 404, 405 and 400', async () => {
    const missing = await call('/apis/apps/v1/namespaces/shop/widgets');
    expect(missing).toMatchObject({
      status: 404,
      body: { kind: 'Status', status: 'Failure', reason: 'NotFound', code: 404 },
    });
    const notAllowed = await call('/api/v1/namespaces/shop/pods', { method: 'PUT', body: '{}' });
    expect(notAllowed).toMatchObject({ status: 405, body: { reason: 'MethodNotAllowed', code: 405 } });
    const badJson = await call('/api/v1/namespaces/shop/configmaps', { method: 'POST', body: '{nope' });
    expect(badJson).toMatchObject({ status: 400, body: { reason: 'BadRequest' } });
    const badDryRun = await call('/api/v1/namespaces/shop/configmaps?dryRun=Some', {
      method: 'POST',
      body: JSON.stringify({ metadata: { name: 'x' } }),
    });
    expect(badDryRun.status).toBe(400);
    const badPatchType = await call('/apis/apps/v1/namespaces/shop/deployments/cart', {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/yaml' },
      body: '{}',
    });
    expect(badPatchType.status).toBe(400);
  });

  it('rejects a body for another namespace and creates from generateName', async () => {
    const wrong = await call('/api/v1/namespaces/shop/configmaps', {
      method: 'POST',
      body: JSON.stringify({ metadata: { name: 'x', namespace: 'other' } }),
    });
    expect(wrong.status).toBe(400);
    const generated = await call('/api/v1/namespaces/shop/configmaps', {
      method: 'POST',
      body: JSON.stringify({ metadata: { generateName: 'cfg-' } }),
    });
    expect(generated.status).toBe(201);
    expect((generated.body['metadata'] as { name: string }).name).toMatch(/^cfg-[a-z0-9]{5}$/);
  });

  it('streams a watch as newline-delimited JSON and honours timeoutSeconds', async () => {
    const started = Date.now();
    const res = await call(
      '/apis/apps/v1/namespaces/shop/deployments?watch=true&timeoutSeconds=1&labelSelector=app%3Dcart',
    );
    expect(res.status).toBe(200);
    const lines = String(typeof res.body === 'string' ? res.body : JSON.stringify(res.body))
      .trim()
      .split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      type: 'ADDED',
      object: { kind: 'Deployment', metadata: { name: 'cart' } },
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('keeps status out of main-resource writes and bumps generation only on spec changes', async () => {
    const path = '/apis/apps/v1/namespaces/shop/deployments/catalog';
    const before = (await call(path)).body as { metadata: { generation: number }; status: unknown };
    const patched = await call(path, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/merge-patch+json' },
      body: JSON.stringify({ metadata: { labels: { x: 'y' } }, status: { replicas: 99 } }),
    });
    expect(patched.body['status']).toEqual(before.status);
    expect((patched.body['metadata'] as { generation: number }).generation).toBe(before.metadata.generation);
    const spec = await call(path, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/merge-patch+json' },
      body: JSON.stringify({ spec: { replicas: 3 } }),
    });
    expect((spec.body['metadata'] as { generation: number }).generation).toBe(before.metadata.generation + 1);
  });

  it('has the system namespaces and deletes everything in a namespace with it', async () => {
    const names = (
      (await call('/api/v1/namespaces')).body['items'] as Array<{ metadata: { name: string } }>
    ).map((n) => n.metadata.name);
    expect(names).toEqual(expect.arrayContaining(['default', 'kube-system', 'shop']));
    const json = (body: unknown) => ({ method: 'POST', body: JSON.stringify(body) });
    expect((await call('/api/v1/namespaces', json({ metadata: { name: 'scratch' } }))).status).toBe(201);
    expect(
      (await call('/api/v1/namespaces/scratch/configmaps', json({ metadata: { name: 'c' } }))).status,
    ).toBe(201);
    expect(
      (await call('/api/v1/namespaces/nowhere/configmaps', json({ metadata: { name: 'c' } }))).status,
    ).toBe(404);
    expect((await call('/api/v1/namespaces/scratch', { method: 'DELETE' })).status).toBe(200);
    expect((await call('/api/v1/namespaces/scratch/configmaps/c')).status).toBe(404);
  });

  it('deletes a collection by label selector, honouring dryRun', async () => {
    const path = '/api/v1/namespaces/shop/pods?labelSelector=app%3Dpayment&gracePeriodSeconds=0';
    const dry = await call(`${path}&dryRun=All`, { method: 'DELETE' });
    expect((dry.body['items'] as unknown[]).length).toBe(2);
    expect(
      ((await call('/api/v1/namespaces/shop/pods?labelSelector=app%3Dpayment')).body['items'] as unknown[])
        .length,
    ).toBe(2);
    const done = await call(path, { method: 'DELETE' });
    expect(done.status).toBe(200);
    expect(
      ((await call('/api/v1/namespaces/shop/pods?labelSelector=app%3Dpayment')).body['items'] as unknown[])
        .length,
    ).toBe(0);
    expect(
      ((await call('/api/v1/namespaces/shop/pods?labelSelector=app%3Dcart')).body['items'] as unknown[])
        .length,
    ).toBe(2);
  });

  it('prints Tables for kubectl (server-side printing)', async () => {
    const accept = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';
    const { body } = await call('/api/v1/namespaces/shop/pods?labelSelector=app%3Dcart', {
      headers: { Accept: accept },
    });
    expect(body['kind']).toBe('Table');
    const columns = (body['columnDefinitions'] as Array<{ name: string }>).map((c) => c.name);
    expect(columns.slice(0, 5)).toEqual(['Name', 'Ready', 'Status', 'Restarts', 'Age']);
    const rows = body['rows'] as Array<{ cells: unknown[]; object: { metadata: { name: string } } }>;
    expect(rows).toHaveLength(2);
    expect(rows[0]!.cells.slice(1, 3)).toEqual(['1/1', 'Running']);
    expect(rows[0]!.cells[0]).toBe(rows[0]!.object.metadata.name);
    const one = await call('/apis/apps/v1/namespaces/shop/deployments/cart', { headers: { Accept: accept } });
    expect((one.body['rows'] as Array<{ cells: unknown[] }>)[0]!.cells.slice(0, 2)).toEqual(['cart', '2/2']);
  });
});
