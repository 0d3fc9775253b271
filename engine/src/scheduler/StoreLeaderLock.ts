import type { LeaderLease } from '../sources/cluster/ClusterSource.js';
import type { Store } from '../store/Store.js';

export interface StoreLeaderLockOptions {
  /** Names the lock, so several loops can each have their own leader. */
  name: string;
  identity: string;
  /** Longest time a holder that died keeps the lock (default 15 s, as a Kubernetes Lease). */
  leaseDurationSeconds?: number;
  /** Milliseconds clock; tests move it. */
  now?: () => number;
}

/**
 * Leader election on the Store alone (Redis `SET key value NX PX ttl`), for deployments without a Kubernetes Lease.
 * Time is cut into terms of half the lease; a term is held by whoever first writes its key (NX, so exactly one writer
 * wins). The holder reserves the next term at every poll of its own, so one poll per term (three at the scheduler's
 * lease/6) keeps the lock, and others, who only ever try the term that has begun, find the next one taken. A holder
 * that dies stops writing: the term after the one it reserved is free at most one lease after its last write (the
 * rest of its term + the term it reserved). The term number is the fencing token: it only grows, and two holders
 * never share one.
 *
 * Why not one key renewed with PEXPIRE: renewing safely needs compare-and-extend (a Lua script), which the Store
 * interface does not offer (and the memory store could not share across processes anyway); SET NX alone suffices here.
 */
export class StoreLeaderLock implements LeaderLease {
  readonly identity: string;
  private readonly termMs: number;
  private readonly leaseSeconds: number;
  private readonly now: () => number;
  /** Terms this identity holds (the current and at most the next one). */
  private readonly held = new Set<number>();

  constructor(
    private readonly store: Store,
    private readonly options: StoreLeaderLockOptions,
  ) {
    this.identity = options.identity;
    this.leaseSeconds = options.leaseDurationSeconds ?? 15;
    this.termMs = (this.leaseSeconds * 1000) / 2;
    this.now = options.now ?? Date.now;
  }

  /** The fencing token of the current term while leader (monotonic across holders), else undefined. */
  get token(): number | undefined {
    const term = this.termAt(this.now());
    return this.held.has(term) ? term : undefined;
  }

  async tryAcquireOrRenew(): Promise<boolean> {
    const now = this.now();
    const term = this.termAt(now);
    for (const t of this.held) if (t < term) this.held.delete(t);
    const leader = this.held.has(term) || (await this.claim(term));
    // Renewal: reserve the next term while holding this one, before anyone else may try it.
    if (leader && !this.held.has(term + 1)) await this.claim(term + 1);
    return leader;
  }

  async release(): Promise<void> {
    const terms = [...this.held];
    this.held.clear();
    for (const term of terms) {
      // Our keys can only have been written by us (NX), so reading first and deleting is safe while they live.
      if ((await this.store.get(this.key(term))) === this.identity) await this.store.del(this.key(term));
    }
  }

  private async claim(term: number): Promise<boolean> {
    const key = this.key(term);
    const won =
      (await this.store.setIfAbsent(key, this.identity, { ttlSeconds: this.leaseSeconds * 3 })) ||
      (await this.store.get(key)) === this.identity;
    if (won) this.held.add(term);
    return won;
  }

  private termAt(ms: number): number {
    return Math.floor(ms / this.termMs);
  }

  private key(term: number): string {
    return `scheduler:leader:${this.options.name}:${term}`;
  }
}
