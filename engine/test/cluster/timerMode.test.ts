import { describe, expect, it } from 'vitest';
import { SimulatedCluster } from '../../src/sim/SimulatedCluster.js';
import { KubernetesClusterSource } from '../../src/sources/cluster/KubernetesClusterSource.js';

/** The demo runs the controller on a timer rather than step(): faults must show up on their own. */
describe('timer-driven controller', () => {
  it('turns an injected fault into restarts without anyone stepping, and heals after resolve', async () => {
    const errors: unknown[] = [];
    const cluster = await SimulatedCluster.start({
      seedShop: true,
      tickMs: 20,
      onTickError: (e) => errors.push(e),
    });
    try {
      const source = new KubernetesClusterSource('simulated', cluster.kubeConfig());
      const fault = cluster.ledger.inject({ type: 'crash-loop', namespace: 'shop', service: 'email' });
      const deadline = Date.now() + 10_000;
      let restarts = 0;
      while (Date.now() < deadline && restarts === 0) {
        await new Promise((r) => setTimeout(r, 50));
        restarts = (await source.listPods('shop', { labelSelector: 'app=email' }))[0]?.restarts ?? 0;
      }
      expect(restarts).toBeGreaterThan(0);
      cluster.ledger.resolve(fault.id);
      let ready = false;
      while (Date.now() < deadline + 10_000 && !ready) {
        await new Promise((r) => setTimeout(r, 50));
        ready =
          (await source.getWorkload({ kind: 'Deployment', namespace: 'shop', name: 'email' }))
            .readyReplicas === 1;
      }
      expect(ready).toBe(true);
      expect(errors).toEqual([]);
    } finally {
      await cluster.stop();
    }
  });
});
