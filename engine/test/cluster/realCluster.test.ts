import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { createClusterRegistry } from '../../src/sources/cluster/createClusterRegistry.js';

/** Read-only checks against a real cluster; they run only where KUBECONFIG is set. */
describe.skipIf(!process.env['KUBECONFIG'])('real cluster (KUBECONFIG)', () => {
  const registry = () =>
    createClusterRegistry(configSchema.parse({ cluster: { kind: 'kubernetes' } }).cluster);

  it('passes the health check', async () => {
    const check = await registry().get().check();
    expect(check.ok, check.detail).toBe(true);
  });

  it('lists namespaces, nodes, and the workloads and pods of the first namespace with any', async () => {
    const source = registry().get();
    const namespaces = await source.listNamespaces();
    expect(namespaces.length).toBeGreaterThan(0);
    expect((await source.listNodes()).length).toBeGreaterThan(0);
    const namespace = namespaces.includes('kube-system') ? 'kube-system' : namespaces[0]!;
    const pods = await source.listPods(namespace);
    for (const pod of pods) expect(pod.namespace).toBe(namespace);
    await source.listWorkloads(namespace);
    await source.listEvents(namespace);
  });

  it('dry-runs a scale without changing the workload', async () => {
    const source = registry().get();
    const namespace = (await source.listNamespaces()).find((n) => n === 'kube-system') ?? 'default';
    const deployment = (await source.listWorkloads(namespace)).find((w) => w.kind === 'Deployment');
    if (!deployment) return;
    const result = await source.scaleWorkload(deployment, deployment.replicas + 1, { dryRun: true });
    expect(result.replicas).toBe(deployment.replicas + 1);
    expect((await source.getWorkload(deployment)).replicas).toBe(deployment.replicas);
  });
});
