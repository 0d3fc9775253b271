import { describe, expect, it } from 'vitest';
import { planReplicas, replicasFor } from './planReplicas.js';
import { hpaManifest, kedaScaledObject } from './manifests.js';
import { configWith } from '../testing.js';

const config = configWith({ autoscale: { minReplicas: 2, maxReplicas: 10, planOn: 'upper' } }).autoscale;

describe('replica plan', () => {
  it('needs ceil(demand / capacity) clamped to min and max', () => {
    expect(replicasFor(0, 10, config)).toBe(2);
    expect(replicasFor(31, 10, config)).toBe(4);
    expect(replicasFor(30, 10, config)).toBe(3);
    expect(replicasFor(1000, 10, config)).toBe(10);
  });

  it('covers the upper bound, pre-scales for the start-up delay and stabilises scale-down', () => {
    const points = [50, 90, 40, 40, 40, 40].map((v, i) => ({
      t: 300 * (i + 1),
      value: v,
      lower: v * 0.8,
      upper: v * 1.1,
    }));
    const plan = planReplicas(points, 10, config, { now: 0, currentReplicas: 3, stepSeconds: 300 });
    expect(plan.steps.map((s) => s.needed)).toEqual([6, 10, 5, 5, 5, 5]);
    // As in Kubernetes, a recommendation exactly one window old has left the window.
    expect(plan.steps.map((s) => s.replicas)).toEqual([6, 10, 5, 5, 5, 5]);
    const longer = planReplicas(
      points,
      10,
      { ...config, scaleDownStabilizationSeconds: 600 },
      { now: 0, stepSeconds: 300 },
    );
    expect(longer.steps.map((s) => s.replicas)).toEqual([6, 10, 10, 5, 5, 5]);
    // Pods asked for now are ready at 60 s: the plan covers steps starting before 60 + 300 s.
    expect(plan.recommendedReplicas).toBe(6);
    expect(plan.reason).toMatch(/upper bound/);
  });

  it('renders an autoscaling/v2 HPA and a KEDA ScaledObject', () => {
    const points = [{ t: 300, value: 50, lower: 40, upper: 60 }];
    const plan = planReplicas(points, 12.5, config, { now: 0 });
    const ref = { kind: 'Deployment' as const, namespace: 'shop', name: 'cart' };
    const hpa = hpaManifest(ref, plan, config, { name: 'http_requests_per_second' });
    expect(hpa.object).toMatchObject({
      apiVersion: 'autoscaling/v2',
      spec: { scaleTargetRef: { kind: 'Deployment', name: 'cart' }, minReplicas: 5, maxReplicas: 10 },
    });
    expect(hpa.yaml).toContain('averageValue: 12500m');
    expect(hpa.yaml).toContain('stabilizationWindowSeconds: 300');
    const keda = kedaScaledObject(ref, plan, config, {
      query: 'sum(rate(x[5m]))',
      serverAddress: 'http://prom:9090',
    });
    expect(keda.object).toMatchObject({
      apiVersion: 'keda.sh/v1alpha1',
      spec: { minReplicaCount: 5, pollingInterval: 15 },
    });
  });
});

describe('replica plan with a learnt margin', () => {
  const cfg = configWith({ autoscale: { minReplicas: 1, maxReplicas: 20 } }).autoscale;

  it("applies the HPA's rule to the demand forecast one start-up ahead times the margin", () => {
    // Observed bins 100, 100; the forecast rises to 300 in its second step and falls back.
    const points = [100, 300, 100, 100].map((v, i) => ({ t: 600 + 300 * i, value: v, lower: v, upper: v }));
    const recent = [
      { t: 0, value: 100 },
      { t: 300, value: 100 },
    ];
    const plan = (margin: number, currentReplicas?: number) =>
      planReplicas(points, 10, cfg, {
        stepSeconds: 300,
        margin,
        recent,
        ...(currentReplicas !== undefined ? { currentReplicas } : {}),
      });
    // 75 s ahead the path still sits between the 100s: ceil(100 / 10) = 10 replicas; × 1.5 → 15.
    expect(plan(1).recommendedReplicas).toBe(10);
    expect(plan(1.5).recommendedReplicas).toBe(15);
    // The HPA's tolerance: 11 replicas serve 110 at target, 100 is within 10 % of it, so no change; 20 is far above.
    expect(plan(1, 11).recommendedReplicas).toBe(11);
    expect(plan(1, 20).recommendedReplicas).toBe(10);
    // Steps: ceil(value × margin / capacity), 300 / 10 = 30 capped at maxReplicas 20.
    expect(plan(1).steps.map((s) => s.replicas)).toEqual([10, 20, 10, 10]);
    expect(plan(1.5).reason).toMatch(/margin 1.5/);
  });

  it('never plans below the demand of the newest bin when the forecast falls', () => {
    const points = [20, 20].map((v, i) => ({ t: 600 + 300 * i, value: v, lower: v, upper: v }));
    const recent = [
      { t: 0, value: 100 },
      { t: 300, value: 100 },
    ];
    expect(planReplicas(points, 10, cfg, { stepSeconds: 300, margin: 1, recent }).recommendedReplicas).toBe(
      10,
    );
  });
});
