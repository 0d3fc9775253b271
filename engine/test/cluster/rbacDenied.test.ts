import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineError } from '../../src/errors.js';
import { SimulatedCluster } from '../../src/sim/SimulatedCluster.js';
import { KubernetesClusterSource } from '../../src/sources/cluster/KubernetesClusterSource.js';
import { RbacProxy } from './rbacProxy.js';

/**
 * The engine's service account refused by the API server (a real HTTP 403 Status, from RBAC in front of the
 * simulated server): the engine's caller gets an upstream failure naming the missing permission and the engine's
 * RBAC, never its own 403 nor the API server's message (which names the engine's service account).
 */
let cluster: SimulatedCluster;
let proxy: RbacProxy;
let source: KubernetesClusterSource;

beforeAll(async () => {
  cluster = await SimulatedCluster.start({ seedShop: true, tickMs: 0 });
  // The service account may list namespaces and Deployments, nothing else.
  proxy = new RbacProxy(cluster.url, [
    { apiGroups: [''], resources: ['namespaces'], verbs: ['list'] },
    { apiGroups: ['apps'], resources: ['deployments'], verbs: ['list'] },
  ]);
  const url = await proxy.listen();
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'east', server: url, skipTLSVerify: true }],
    users: [{ name: 'engine', token: 'simulated-token' }],
    contexts: [{ name: 'east', cluster: 'east', user: 'engine' }],
    currentContext: 'east',
  });
  source = new KubernetesClusterSource('east', kc);
});

afterAll(async () => {
  await proxy?.close();
  await cluster?.stop();
});

async function refusal(call: Promise<unknown>): Promise<EngineError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EngineError);
  return error as EngineError;
}

const RBAC_HINT = "check the engine's RBAC (its Roles, ClusterRoles and their bindings) on that cluster";

describe('an API server 403 to the engine', () => {
  it('is an upstream failure (502) naming the verb, resource and namespace, without the denied user', async () => {
    const error = await refusal(source.listPods('shop'));
    expect(error.code).toBe('UPSTREAM_ERROR');
    expect(error.status).toBe(502);
    expect(error.message).toBe(
      `cluster east: the engine's service account lacks the Kubernetes permission to list pods in namespace shop; ${RBAC_HINT}`,
    );
    expect(error.message).not.toContain('system:serviceaccount');
    expect(error.message).not.toContain('forbidden');
    expect(proxy.decisions.at(-1)).toMatchObject({ verb: 'list', resource: 'pods', allowed: false });
  });

  it('names a subresource with its group, and a cluster-scoped resource by its scope', async () => {
    expect((await refusal(source.podLogs('shop', 'checkout-0', { tailLines: 5 }))).message).toBe(
      `cluster east: the engine's service account lacks the Kubernetes permission to get pods/log in namespace shop; ${RBAC_HINT}`,
    );
    expect((await refusal(source.listNodes())).message).toBe(
      `cluster east: the engine's service account lacks the Kubernetes permission to list nodes at the cluster scope; ${RBAC_HINT}`,
    );
    const history = await refusal(
      source.rolloutHistory({ kind: 'Deployment', namespace: 'shop', name: 'web' }),
    );
    expect(history.message).toContain('permission to get apps/deployments in namespace shop;');
  });

  it('still lists workloads when only the optional kinds (StatefulSets, DaemonSets) are refused', async () => {
    const workloads = await source.listWorkloads('shop');
    expect(workloads.length).toBeGreaterThan(0);
    expect(workloads.every((w) => w.kind === 'Deployment')).toBe(true);
  });

  it('fails the health check with the same wording', async () => {
    const denied = new RbacProxy(cluster.url, []);
    const url = await denied.listen();
    try {
      const kc = new KubeConfig();
      kc.loadFromOptions({
        clusters: [{ name: 'west', server: url, skipTLSVerify: true }],
        users: [{ name: 'engine', token: 'simulated-token' }],
        contexts: [{ name: 'west', cluster: 'west', user: 'engine' }],
        currentContext: 'west',
      });
      const health = await new KubernetesClusterSource('west', kc).check();
      expect(health.ok).toBe(false);
      expect(health.detail).toContain(
        "the engine's service account lacks the Kubernetes permission to list namespaces at the cluster scope",
      );
      expect(health.detail).not.toContain('system:serviceaccount');
    } finally {
      await denied.close();
    }
  });
});
