import { CoordinationV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimulatedCluster } from '../../src/sim/SimulatedCluster.js';
import { KubernetesClusterSource } from '../../src/sources/cluster/KubernetesClusterSource.js';
import { KubernetesLeaderLease } from '../../src/sources/cluster/KubernetesLeaderLease.js';

/** Leader election over a Lease against the simulated API server's resourceVersion conflicts. */
let cluster: SimulatedCluster;
let now = Date.parse('2026-01-01T00:00:00Z');

const lease = (identity: string, name: string) =>
  new KubernetesLeaderLease(cluster.kubeConfig(), {
    namespace: 'shop',
    name,
    identity,
    leaseDurationSeconds: 15,
    now: () => now,
  });

beforeAll(async () => {
  cluster = await SimulatedCluster.start({ seedShop: true, tickMs: 0 });
});

afterAll(async () => {
  await cluster?.stop();
});

describe('KubernetesLeaderLease', () => {
  it('acquires, renews, blocks others until expiry, then hands over', async () => {
    const a = lease('engine-a', 'repair');
    const b = lease('engine-b', 'repair');
    expect(await a.tryAcquireOrRenew()).toBe(true);
    expect(await b.tryAcquireOrRenew()).toBe(false);
    now += 10_000;
    expect(await a.tryAcquireOrRenew()).toBe(true);
    now += 10_000; // 10 s after a's renewal: still held
    expect(await b.tryAcquireOrRenew()).toBe(false);
    now += 6_000; // 16 s after the renewal: expired
    expect(await b.tryAcquireOrRenew()).toBe(true);
    expect(await a.tryAcquireOrRenew()).toBe(false);
    const stored = await cluster
      .kubeConfig()
      .makeApiClient(CoordinationV1Api)
      .readNamespacedLease({ namespace: 'shop', name: 'repair' });
    expect(stored.spec?.holderIdentity).toBe('engine-b');
    expect(stored.spec?.leaseTransitions).toBe(1);
  });

  it('lets the next candidate in at once after a release', async () => {
    const a = lease('engine-a', 'released');
    const b = lease('engine-b', 'released');
    expect(await a.tryAcquireOrRenew()).toBe(true);
    await b.release(); // not the holder: no effect
    expect(await b.tryAcquireOrRenew()).toBe(false);
    await a.release();
    expect(await b.tryAcquireOrRenew()).toBe(true);
  });

  it('picks exactly one winner when candidates race for a new or an expired lease', async () => {
    const candidates = ['a', 'b', 'c'].map((id) => lease(id, 'race'));
    const first = await Promise.all(candidates.map((c) => c.tryAcquireOrRenew()));
    expect(first.filter(Boolean)).toHaveLength(1);
    now += 60_000;
    const second = await Promise.all(candidates.map((c) => c.tryAcquireOrRenew()));
    expect(second.filter(Boolean)).toHaveLength(1);
  });

  it('is reachable through the ClusterSource interface', async () => {
    const source = new KubernetesClusterSource('simulated', cluster.kubeConfig());
    const viaSource = source.leaderLease('shop', 'via-source', 'engine-z', 30);
    expect(await viaSource.tryAcquireOrRenew()).toBe(true);
    expect(viaSource.identity).toBe('engine-z');
  });
});
