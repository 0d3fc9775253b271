import {
  ApiException,
  CoordinationV1Api,
  V1MicroTime,
  type KubeConfig,
  type V1Lease,
} from '@kubernetes/client-node';
import type { LeaderLease } from './ClusterSource.js';
import { toEngineError } from './toEngineError.js';

export interface KubernetesLeaderLeaseOptions {
  namespace: string;
  name: string;
  identity: string;
  /** How long a holder stays leader without renewing (client-go's LeaseDuration, default 15 s). */
  leaseDurationSeconds?: number;
  /** Milliseconds clock; tests move it to expire leases. */
  now?: () => number;
  /** Cluster name for error messages. */
  cluster?: string;
}

/**
 * The client-go leader-election protocol on a Lease: create it if absent, renew it while held, take it over once the
 * holder's renewTime + leaseDurationSeconds has passed. Every write carries the resourceVersion it read, so when two
 * replicas race the API server's 409 Conflict picks one winner.
 */
export class KubernetesLeaderLease implements LeaderLease {
  readonly identity: string;
  private readonly api: CoordinationV1Api;
  private readonly duration: number;
  private readonly now: () => number;

  constructor(
    kubeConfig: KubeConfig,
    private readonly options: KubernetesLeaderLeaseOptions,
  ) {
    this.identity = options.identity;
    this.api = kubeConfig.makeApiClient(CoordinationV1Api);
    this.duration = options.leaseDurationSeconds ?? 15;
    this.now = options.now ?? Date.now;
  }

  async tryAcquireOrRenew(): Promise<boolean> {
    const { namespace, name } = this.options;
    const time = new V1MicroTime(this.now());
    let lease: V1Lease;
    try {
      lease = await this.api.readNamespacedLease({ namespace, name });
    } catch (error) {
      if (!(error instanceof ApiException && error.code === 404)) throw this.mapped(error, 'read lease');
      return this.attempt(() =>
        this.api.createNamespacedLease({
          namespace,
          body: {
            metadata: { name, namespace },
            spec: {
              holderIdentity: this.identity,
              leaseDurationSeconds: this.duration,
              acquireTime: time,
              renewTime: time,
              leaseTransitions: 0,
            },
          },
        }),
      );
    }
    const spec = lease.spec ?? {};
    const holder = spec.holderIdentity;
    if (holder === this.identity) {
      lease.spec = { ...spec, renewTime: time, leaseDurationSeconds: this.duration };
      return this.attempt(() => this.api.replaceNamespacedLease({ namespace, name, body: lease }));
    }
    const renewed = spec.renewTime ? new Date(spec.renewTime).getTime() : 0;
    const expired = !holder || renewed + (spec.leaseDurationSeconds ?? this.duration) * 1000 < this.now();
    if (!expired) return false;
    lease.spec = {
      ...spec,
      holderIdentity: this.identity,
      leaseDurationSeconds: this.duration,
      acquireTime: time,
      renewTime: time,
      leaseTransitions: (spec.leaseTransitions ?? 0) + (holder ? 1 : 0),
    };
    return this.attempt(() => this.api.replaceNamespacedLease({ namespace, name, body: lease }));
  }

  async release(): Promise<void> {
    const { namespace, name } = this.options;
    let lease: V1Lease;
    try {
      lease = await this.api.readNamespacedLease({ namespace, name });
    } catch (error) {
      if (error instanceof ApiException && error.code === 404) return;
      throw this.mapped(error, 'read lease');
    }
    if (lease.spec?.holderIdentity !== this.identity) return;
    // An empty holder lets the next candidate take over without waiting for expiry.
    lease.spec = { ...lease.spec, holderIdentity: undefined, renewTime: undefined };
    await this.attempt(() => this.api.replaceNamespacedLease({ namespace, name, body: lease }));
  }

  /** A write that may lose a race: 409 means another replica won, anything else is an error. */
  private async attempt(write: () => Promise<unknown>): Promise<boolean> {
    try {
      await write();
      return true;
    } catch (error) {
      if (error instanceof ApiException && error.code === 409) return false;
      throw this.mapped(error, 'write lease');
    }
  }

  private mapped(error: unknown, what: string) {
    return toEngineError(
      error,
      this.options.cluster ?? 'cluster',
      `${what} ${this.options.namespace}/${this.options.name}`,
    );
  }
}
