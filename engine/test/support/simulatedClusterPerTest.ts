import { afterEach } from 'vitest';
import { SimulatedCluster, type SimulatedClusterOptions } from '../../src/sim/SimulatedCluster.js';

/**
 * A fresh simulated cluster for each test that asks for one, stopped after that test: the set-up of the sim tests
 * that drive the API server through client-node. Call it at the top of a test file (it registers the afterEach);
 * the function it returns starts the cluster, by default seeded with the shop and stepped only by the test (tickMs 0).
 */
export function simulatedClusterPerTest(): (options?: SimulatedClusterOptions) => Promise<SimulatedCluster> {
  let cluster: SimulatedCluster | undefined;
  afterEach(async () => {
    await cluster?.stop();
    cluster = undefined;
  });
  return async (options = { seedShop: true, tickMs: 0 }) => {
    cluster = await SimulatedCluster.start(options);
    return cluster;
  };
}
