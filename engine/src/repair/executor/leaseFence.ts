import { EngineError } from '../../errors.js';
import type { LeaderLease } from '../../sources/cluster/ClusterSource.js';

/** Raised by the fence: this replica does not hold the lease, so it must not write. */
export class NotLeaderError extends EngineError {
  constructor(identity: string) {
    super('CONFLICT', `engine ${identity} does not hold the repair lease; another replica acts`);
  }
}

/**
 * The fencing check before every write: renew the Lease (a write guarded by its resourceVersion) and go on only if
 * this replica still holds it. A replica that paused past the lease duration finds another holder and stops, rather
 * than writing on a stale belief that it leads.
 */
export function leaseFence(lease: LeaderLease): () => Promise<void> {
  return async () => {
    if (!(await lease.tryAcquireOrRenew())) throw new NotLeaderError(lease.identity);
  };
}
