import type { Fault, FaultLedger, FaultType } from '../faults.js';

/**
 * Answers what the active faults mean for one pod or node at the current time. The ledger is the single source of
 * truth; this only interprets it, so metrics and Kubernetes state always describe the same incident.
 */
export class FaultView {
  private active: Fault[] = [];
  /** Images made unpullable or crashing by rollout faults, by fault id (set when the rollout is applied). */
  readonly faultImages = new Map<string, string>();
  /** Node chosen for node-not-ready faults that named no node. */
  readonly faultNodes = new Map<string, string>();
  /**
   * Memory an oom-killed fault's service needs, by fault id: 1.5x its limit when the fault began (set by the
   * controller). A limit raised to at least this stops the kills; a restart or a smaller raise does not.
   */
  readonly oomNeeds = new Map<string, number>();

  constructor(private readonly ledger: FaultLedger) {}

  refresh(nowSeconds: number): void {
    this.active = this.ledger.activeAt(nowSeconds);
  }

  activeFaults(): Fault[] {
    return this.active;
  }

  has(type: FaultType, namespace: string, service: string | undefined): boolean {
    return this.active.some((f) => f.type === type && f.namespace === namespace && f.service === service);
  }

  /** Crash-loop hits every pod of the service; bad-rollout only pods running the image it rolled out. */
  crashes(namespace: string, service: string | undefined, image: string): boolean {
    return this.active.some((f) => this.crashFault(f, namespace, service, image));
  }

  oomKills(namespace: string, service: string | undefined, limitBytes = Number.NaN): boolean {
    return this.active.some((f) => this.oomFault(f, namespace, service, limitBytes));
  }

  /** When the earliest active fault that kills this container (crash-loop, bad-rollout, oom-killed) began, unix s. */
  failingSince(
    namespace: string,
    service: string | undefined,
    image: string,
    limitBytes = Number.NaN,
  ): number | undefined {
    const starts = this.active
      .filter(
        (f) =>
          this.crashFault(f, namespace, service, image) || this.oomFault(f, namespace, service, limitBytes),
      )
      .map((f) => f.startedAt);
    return starts.length ? Math.min(...starts) : undefined;
  }

  private crashFault(f: Fault, namespace: string, service: string | undefined, image: string): boolean {
    if (f.namespace !== namespace) return false;
    if (f.type === 'crash-loop') return f.service === service;
    return f.type === 'bad-rollout' && this.faultImages.get(f.id) === image;
  }

  private oomFault(f: Fault, namespace: string, service: string | undefined, limitBytes: number): boolean {
    if (f.type !== 'oom-killed' || f.namespace !== namespace || f.service !== service) return false;
    const need = this.oomNeeds.get(f.id);
    return need === undefined || !Number.isFinite(limitBytes) || limitBytes < need;
  }

  unpullable(namespace: string, image: string): boolean {
    return this.active.some(
      (f) =>
        f.type === 'image-pull-error' && f.namespace === namespace && this.faultImages.get(f.id) === image,
    );
  }

  unschedulable(namespace: string, service: string | undefined): boolean {
    return this.has('unschedulable', namespace, service);
  }

  readinessFails(namespace: string, service: string | undefined): boolean {
    return this.has('failing-readiness', namespace, service);
  }

  notReadyNodes(): Set<string> {
    const nodes = new Set<string>();
    for (const f of this.active) {
      if (f.type !== 'node-not-ready') continue;
      const node = f.node ?? this.faultNodes.get(f.id);
      if (node) nodes.add(node);
    }
    return nodes;
  }

  /** Services whose own containers fail, so their callers log connection errors. */
  failingServices(namespace: string): Set<string> {
    const out = new Set<string>();
    for (const f of this.active) {
      if (f.namespace === namespace && ['crash-loop', 'oom-killed', 'failing-readiness'].includes(f.type))
        out.add(f.service);
    }
    return out;
  }

  /** Services that answer slowly, so their callers log slow upstream calls and timeouts. */
  slowServices(namespace: string): Set<string> {
    const out = new Set<string>();
    for (const f of this.active) {
      if (f.namespace === namespace && (f.type === 'latency' || f.type === 'cpu-hog')) out.add(f.service);
    }
    return out;
  }
}
