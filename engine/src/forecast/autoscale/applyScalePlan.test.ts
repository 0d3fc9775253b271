import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimulatedCluster } from '../../sim/SimulatedCluster.js';
import { KubernetesClusterSource } from '../../sources/cluster/KubernetesClusterSource.js';
import { applyScalePlan, policyDenial } from './applyScalePlan.js';
import { configWith } from '../testing.js';

const ref = { kind: 'Deployment' as const, namespace: 'shop', name: 'cart' };

describe('applying a scale plan', () => {
  let sim: SimulatedCluster;
  let cluster: KubernetesClusterSource;
  beforeAll(async () => {
    sim = await SimulatedCluster.start({ seedShop: true, tickMs: 0 });
    cluster = new KubernetesClusterSource('simulated', sim.kubeConfig());
  });
  afterAll(async () => sim?.stop());

  it('is denied unless policy allows the namespace, workload and step', async () => {
    const closed = configWith().autoscale;
    await expect(applyScalePlan(cluster, ref, 3, closed)).rejects.toMatchObject({ code: 'POLICY_DENIED' });
    const policy = { allowApply: true, namespaces: ['shop'], workloads: ['shop/checkout'], maxStep: 2 };
    expect(policyDenial(ref, 2, 3, policy)).toMatch(/not in forecast.autoscale.policy.workloads/);
    expect(policyDenial({ ...ref, namespace: 'prod' }, 2, 3, { ...policy, workloads: [] })).toMatch(
      /namespace prod/,
    );
    expect(policyDenial(ref, 2, 6, { ...policy, workloads: [] })).toMatch(/exceeds/);
    expect(policyDenial(ref, 2, 4, { ...policy, workloads: [] })).toBeUndefined();
  });

  it('dry-runs against the API server first and changes nothing on a dry run', async () => {
    const open = configWith({
      autoscale: { policy: { allowApply: true, namespaces: ['shop'], maxStep: 3 } },
    }).autoscale;
    const before = (await cluster.getWorkload(ref)).replicas;
    const dry = await applyScalePlan(cluster, ref, before + 2, open, { dryRunOnly: true });
    expect(dry).toMatchObject({ dryRun: true, from: before, to: before + 2, dryRunReplicas: before + 2 });
    expect((await cluster.getWorkload(ref)).replicas).toBe(before);
    const real = await applyScalePlan(cluster, ref, before + 2, open);
    expect(real).toMatchObject({ dryRun: false, replicas: before + 2 });
    expect((await cluster.getWorkload(ref)).replicas).toBe(before + 2);
  });
});
