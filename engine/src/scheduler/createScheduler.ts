import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import type { EngineConfig } from '../config/schema.js';
import type { ClusterRegistry, LeaderLease } from '../sources/cluster/ClusterSource.js';
import type { Store } from '../store/Store.js';
import { Scheduler } from './Scheduler.js';
import { StoreLeaderLock } from './StoreLeaderLock.js';

const IN_CLUSTER_NAMESPACE_FILE = '/var/run/secrets/kubernetes.io/serviceaccount/namespace';

/**
 * The engine's scheduler with its leader election: the Kubernetes Lease of the default cluster when a real cluster is
 * configured (docs/adr/0003), the store lock otherwise (Redis shared by the replicas; memory for one process).
 */
export function createScheduler(
  config: Pick<EngineConfig, 'scheduler' | 'cluster' | 'defaultNamespace'>,
  deps: { store: Store; clusters: ClusterRegistry; logger: Logger; instance: string },
): Scheduler {
  const { leaseSeconds, leaseName } = config.scheduler;
  let lease: LeaderLease & { readonly token?: number };
  const cluster = config.cluster.kind === 'kubernetes' ? deps.clusters.get(undefined) : undefined;
  if (cluster?.leaderLease) {
    const namespace = config.scheduler.leaseNamespace ?? podNamespace() ?? config.defaultNamespace;
    lease = cluster.leaderLease(namespace, leaseName, deps.instance, leaseSeconds);
    deps.logger.info({ namespace, lease: leaseName }, 'scheduler: leader election on a Kubernetes Lease');
  } else {
    lease = new StoreLeaderLock(deps.store, {
      name: leaseName,
      identity: deps.instance,
      leaseDurationSeconds: leaseSeconds,
    });
  }
  return new Scheduler({
    store: deps.store,
    lease,
    logger: deps.logger,
    instance: deps.instance,
    leaseSeconds,
  });
}

function podNamespace(): string | undefined {
  try {
    return readFileSync(IN_CLUSTER_NAMESPACE_FILE, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}
