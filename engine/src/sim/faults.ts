/**
 * Faults the simulated cluster can be made to suffer. The controller (sim/) turns an active fault into Kubernetes
 * state (pod statuses, events, restarts) and the synthetic metrics generator turns it into signal changes, so RCA,
 * repair and alerting see one consistent incident.
 */

export const FAULT_TYPES = [
  'crash-loop',
  'oom-killed',
  'image-pull-error',
  'unschedulable',
  'failing-readiness',
  'node-not-ready',
  'bad-rollout',
  'cpu-hog',
  'latency',
] as const;

export type FaultType = (typeof FAULT_TYPES)[number];

export interface Fault {
  id: string;
  type: FaultType;
  namespace: string;
  /** The Deployment (service) the fault hits; for node-not-ready, the node name is in `node`. */
  service: string;
  node?: string;
  /** Unix seconds. */
  startedAt: number;
  /** Unix seconds; absent while active. */
  endedAt?: number;
}

/** The shared record of injected faults, read by the controller and the metrics generator alike. */
export class FaultLedger {
  private readonly faults: Fault[] = [];
  private readonly listeners = new Set<(fault: Fault) => void>();

  inject(fault: Omit<Fault, 'id' | 'startedAt'> & { startedAt?: number }): Fault {
    const record: Fault = {
      ...fault,
      id: `${fault.type}-${fault.service}-${this.faults.length + 1}`,
      startedAt: fault.startedAt ?? Date.now() / 1000,
    };
    this.faults.push(record);
    for (const listener of this.listeners) listener(record);
    return record;
  }

  resolve(id: string, at = Date.now() / 1000): void {
    const fault = this.faults.find((f) => f.id === id);
    if (fault && fault.endedAt === undefined) {
      fault.endedAt = at;
      for (const listener of this.listeners) listener(fault);
    }
  }

  /** Faults active at a time (unix seconds). */
  activeAt(time: number): Fault[] {
    return this.faults.filter((f) => f.startedAt <= time && (f.endedAt === undefined || f.endedAt > time));
  }

  all(): Fault[] {
    return [...this.faults];
  }

  onChange(listener: (fault: Fault) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
