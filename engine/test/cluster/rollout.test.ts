import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimulatedCluster } from '../../src/sim/SimulatedCluster.js';
import { KubernetesClusterSource } from '../../src/sources/cluster/KubernetesClusterSource.js';

/** A template change is a rollout: new ReplicaSet and revision, surge-limited replacement, rollback reuses the old one. */
const NS = 'shop';
const ref = { kind: 'Deployment' as const, namespace: NS, name: 'frontend' };
let cluster: SimulatedCluster;
let source: KubernetesClusterSource;

beforeAll(async () => {
  cluster = await SimulatedCluster.start({ seedShop: true, tickMs: 0, seed: 5 });
  source = new KubernetesClusterSource('simulated', cluster.kubeConfig());
});

afterAll(async () => {
  await cluster?.stop();
});

describe('rollout', () => {
  it('rolls out a new image within maxSurge/maxUnavailable and records revision 2', async () => {
    await source.patchWorkload(
      ref,
      {
        spec: {
          template: {
            spec: { containers: [{ name: 'frontend', image: 'ghcr.io/ai-cloudops/shop-frontend:1.5.0' }] },
          },
        },
      },
      'strategic',
      { dryRun: false },
    );
    let minReady = Infinity;
    let maxPods = 0;
    for (let i = 0; i < 15; i++) {
      cluster.step();
      const pods = await source.listPods(NS, { labelSelector: 'app=frontend' });
      minReady = Math.min(minReady, pods.filter((p) => p.ready).length);
      maxPods = Math.max(maxPods, pods.length);
    }
    // 3 replicas, 25% surge rounds up to 1, 25% unavailable rounds down to 0
    expect(minReady).toBeGreaterThanOrEqual(3);
    expect(maxPods).toBeLessThanOrEqual(4);
    const workload = await source.getWorkload(ref);
    expect(workload).toMatchObject({
      revision: '2',
      replicas: 3,
      updatedReplicas: 3,
      availableReplicas: 3,
      images: ['ghcr.io/ai-cloudops/shop-frontend:1.5.0'],
    });
    expect(workload.observedGeneration).toBe(workload.generation);
    expect(workload.conditions.find((c) => c.type === 'Progressing')?.reason).toBe('NewReplicaSetAvailable');
    const history = await source.rolloutHistory(ref);
    expect(history.map((r) => [r.revision, r.replicas, r.images[0]])).toEqual([
      ['1', 0, 'ghcr.io/ai-cloudops/shop-frontend:1.4.2'],
      ['2', 3, 'ghcr.io/ai-cloudops/shop-frontend:1.5.0'],
    ]);
    const scaling = await source.listEvents(NS, {
      fieldSelector: 'involvedObject.name=frontend,reason=ScalingReplicaSet',
    });
    expect(
      scaling.some((e) => e.message.startsWith(`Scaled down replica set ${history[0]!.replicaSet}`)),
    ).toBe(true);
  });

  it('rolls back by restoring the old template, which reuses the old ReplicaSet as revision 3', async () => {
    const [first] = await source.rolloutHistory(ref);
    expect(first!.podTemplate).toBeDefined();
    expect(JSON.stringify(first!.podTemplate)).not.toContain('pod-template-hash');
    // kubectl rollout undo: put the old revision's template back
    await source.patchWorkload(
      ref,
      [{ op: 'replace', path: '/spec/template', value: first!.podTemplate }],
      'json',
      {
        dryRun: false,
      },
    );
    cluster.step(12);
    const history = await source.rolloutHistory(ref);
    expect(history.map((r) => r.revision)).toEqual(['2', '3']);
    expect(history[1]!.replicaSet).toBe(first!.replicaSet);
    expect(history[1]!.templateHash).toBe(first!.templateHash);
    expect((await source.getWorkload(ref)).availableReplicas).toBe(3);
  });

  it('runs a Deployment created through the API (defaults filled, ReplicaSet, scheduled ready pods)', async () => {
    const { AppsV1Api } = await import('@kubernetes/client-node');
    const apps = cluster.kubeConfig().makeApiClient(AppsV1Api);
    const created = await apps.createNamespacedDeployment({
      namespace: NS,
      body: {
        metadata: { name: 'quotes', labels: { app: 'quotes' } },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: 'quotes' } },
          template: {
            metadata: { labels: { app: 'quotes' } },
            spec: { containers: [{ name: 'quotes', image: 'quotes:1' }] },
          },
        },
      },
    });
    expect(created.spec?.strategy?.type).toBe('RollingUpdate');
    expect(created.metadata?.generation).toBe(1);
    cluster.step(5);
    const pods = await source.listPods(NS, { labelSelector: 'app=quotes' });
    expect(pods).toHaveLength(2);
    expect(pods.every((p) => p.ready && p.nodeName && p.ownerKind === 'ReplicaSet')).toBe(true);
    expect(
      (await source.rolloutHistory({ kind: 'Deployment', namespace: NS, name: 'quotes' })).map(
        (r) => r.revision,
      ),
    ).toEqual(['1']);
  });

  it('deleting a Deployment garbage-collects its ReplicaSets and pods', async () => {
    const kc = cluster.kubeConfig();
    const { AppsV1Api } = await import('@kubernetes/client-node');
    await kc.makeApiClient(AppsV1Api).deleteNamespacedDeployment({ namespace: NS, name: 'email' });
    cluster.step(3);
    expect(await source.listPods(NS, { labelSelector: 'app=email' })).toEqual([]);
    expect((await source.listWorkloads(NS)).map((w) => w.name)).not.toContain('email');
  });
});
