import { describe, expect, it } from 'vitest';
import { FINDING_TYPES } from '../../src/repair/rules/ruleSchema.js';
import { REPAIR_SCENARIOS, runRepairScenario } from '../../src/sim/repairScenarios.js';

/**
 * Each fault type injected → detected → the right action (default rules) → dry-run → applied → recovered (or, for
 * the notify-only ones, notified with nothing changed); the wrong-action scenarios are rolled back. Whole loop through
 * client-node against the simulated API server. Every finding type of the issue is covered by some scenario.
 */
describe('repair scenarios on the simulated cluster', () => {
  for (const scenario of REPAIR_SCENARIOS) {
    it(scenario.name, { timeout: 120_000 }, async () => {
      const outcome = await runRepairScenario(scenario);
      expect(outcome.detected).toBe(true);
      expect(outcome.correct).toBe(true);
      expect(outcome.unsafe).toBe(false);
      if (scenario.notifyOnly) {
        expect(outcome.recovered).toBe(true); // notified; nothing in the cluster changed
        expect(outcome.actions.every((a) => a.type === 'notify')).toBe(true);
      } else if (scenario.wrong) {
        expect(outcome.rolledBack).toBe(true);
        expect(outcome.recovered).toBe(false);
      } else {
        expect(outcome.recovered).toBe(true);
        expect(outcome.recoverySeconds).toBeGreaterThan(0);
      }
    });
  }

  it('covers every finding type of the rule schema (the 14 of the issue)', () => {
    expect(new Set(REPAIR_SCENARIOS.map((s) => s.finding))).toEqual(new Set(FINDING_TYPES));
  });

  it(
    'does not recover a fault when the repair loop is left out (the faults never heal by themselves)',
    { timeout: 60_000 },
    async () => {
      const { SimulatedCluster } = await import('../../src/sim/SimulatedCluster.js');
      const { CoreV1Api } = await import('@kubernetes/client-node');
      const cluster = await SimulatedCluster.start({ seedShop: true, tickMs: 0 });
      try {
        cluster.ledger.inject({ type: 'oom-killed', namespace: 'shop', service: 'cart' });
        cluster.step(60);
        const pods = await cluster
          .kubeConfig()
          .makeApiClient(CoreV1Api)
          .listNamespacedPod({ namespace: 'shop', labelSelector: 'app=cart' });
        expect(
          pods.items.some((p) =>
            p.status?.containerStatuses?.some((c) => c.lastState?.terminated?.reason === 'OOMKilled'),
          ),
        ).toBe(true);
      } finally {
        await cluster.stop();
      }
    },
  );
});
