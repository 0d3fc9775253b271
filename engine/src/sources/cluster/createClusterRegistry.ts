import type { Logger } from 'pino';
import type { EngineConfig } from '../../config/schema.js';
import { EngineError } from '../../errors.js';
import type { SimulatedCluster } from '../../sim/SimulatedCluster.js';
import type { ClusterRegistry } from './ClusterSource.js';
import { KubernetesClusterRegistry, type KubeConfigEnvironment } from './KubernetesClusterRegistry.js';
import { KubernetesClusterSource } from './KubernetesClusterSource.js';

export const SIMULATED_CLUSTER_NAME = 'simulated';

export interface ClusterRegistryDeps extends KubeConfigEnvironment {
  /** The running simulated cluster, required when `cluster.kind` is `simulated`. */
  simulated?: SimulatedCluster;
  logger?: Logger;
}

/**
 * Builds the cluster registry from the `cluster` config section (or the whole config). For `simulated` the same
 * KubernetesClusterSource is pointed at the in-process API server, so demo and live share every code path.
 */
export function createClusterRegistry(
  config: EngineConfig['cluster'] | Pick<EngineConfig, 'cluster'>,
  deps: ClusterRegistryDeps = {},
): ClusterRegistry {
  const section = 'kind' in config ? config : config.cluster;
  if (section.kind === 'simulated') {
    if (!deps.simulated) {
      throw new EngineError(
        'INVALID_CONFIG',
        'cluster.kind is simulated but no simulated cluster is running',
        {
          issues: [{ field: 'cluster.kind', message: 'start a SimulatedCluster and pass it as `simulated`' }],
        },
      );
    }
    return new KubernetesClusterRegistry([
      new KubernetesClusterSource(SIMULATED_CLUSTER_NAME, deps.simulated.kubeConfig()),
    ]);
  }
  const registry = KubernetesClusterRegistry.fromConfig(section, deps);
  deps.logger?.info({ clusters: registry.names() }, 'kubernetes clusters configured');
  return registry;
}
