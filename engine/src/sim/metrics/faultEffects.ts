import type { Fault, FaultType } from '../faults.js';
import type { ShopService } from '../shop.js';

/**
 * What faults do to one pod's signals while they last. Effects are constant over a fault's lifetime (time-shaped
 * symptoms such as OOM memory ramps and restart schedules are computed from the fault's start, elsewhere), so every
 * counter stays an exact closed-form integral between fault boundaries.
 */
export interface PodState {
  /** Extra fraction of requests answered 5xx. */
  errorDelta: number;
  /** Multiplies the service's latency distribution (both the normal and the congested component). */
  latencyFactor: number;
  /** Multiplies the share of requests that queue (the slow component); capacity loss raises it. */
  congestionFactor: number;
  cpuFactor: number;
  cpuExtraCores: number;
}

export const HEALTHY: Readonly<PodState> = Object.freeze({
  errorDelta: 0,
  latencyFactor: 1,
  congestionFactor: 1,
  cpuFactor: 1,
  cpuExtraCores: 0,
});

/** The faulty service's own symptoms per fault type (documented in docs of the demo; fixed, not tuned per case). */
export const OWN_EFFECTS: Record<Exclude<FaultType, 'node-not-ready'>, PodState> = {
  'crash-loop': {
    errorDelta: 0.55,
    latencyFactor: 1.5,
    congestionFactor: 2,
    cpuFactor: 0.4,
    cpuExtraCores: 0,
  },
  'oom-killed': {
    errorDelta: 0.2,
    latencyFactor: 1.3,
    congestionFactor: 1.5,
    cpuFactor: 1,
    cpuExtraCores: 0,
  },
  'image-pull-error': {
    errorDelta: 0.04,
    latencyFactor: 1.3,
    congestionFactor: 2,
    cpuFactor: 1.1,
    cpuExtraCores: 0,
  },
  'bad-rollout': {
    errorDelta: 0.3,
    latencyFactor: 1.6,
    congestionFactor: 1.5,
    cpuFactor: 1,
    cpuExtraCores: 0,
  },
  'failing-readiness': {
    errorDelta: 0.35,
    latencyFactor: 1.2,
    congestionFactor: 1.5,
    cpuFactor: 1,
    cpuExtraCores: 0,
  },
  unschedulable: {
    errorDelta: 0.01,
    latencyFactor: 1.4,
    congestionFactor: 3,
    cpuFactor: 1.2,
    cpuExtraCores: 0,
  },
  'cpu-hog': { errorDelta: 0.01, latencyFactor: 2.5, congestionFactor: 2, cpuFactor: 1, cpuExtraCores: 0.9 },
  latency: { errorDelta: 0.01, latencyFactor: 6, congestionFactor: 1, cpuFactor: 1, cpuExtraCores: 0 },
};

/** Pods on a NotReady node stop answering; the service's other pods take their load. */
export const NODE_DOWN_POD: PodState = {
  errorDelta: 0.6,
  latencyFactor: 2,
  congestionFactor: 1,
  cpuFactor: 0.2,
  cpuExtraCores: 0,
};
export const NODE_DOWN_SURVIVOR: PodState = { ...HEALTHY, congestionFactor: 1.8, cpuFactor: 1.3 };

/** How much of a callee's extra error fraction and extra latency its callers see, per hop. */
export const PROPAGATION = { error: 0.5, latency: 0.6 } as const;

/** Largest error fraction any state may add, so some traffic always succeeds and the rates stay positive. */
export const MAX_ERROR_DELTA = 0.95;

export interface PodRef {
  service: string;
  pod: string;
  node: string;
}

/** Pods a node-not-ready fault takes down: those on its node, or (node unknown to the placement) half the service's. */
export function podsOnDownNode<P extends Omit<PodRef, 'pod'>>(fault: Fault, pods: P[]): P[] {
  const onNode = fault.node ? pods.filter((p) => p.node === fault.node) : [];
  if (onNode.length > 0) return onNode;
  const own = pods.filter((p) => p.service === fault.service);
  return own.slice(0, Math.max(1, Math.floor(own.length / 2)));
}

/**
 * Whether a pod is Ready while these faults are active: crash-looping and failing-readiness pods are not, nor pods
 * on a NotReady node, nor the replacement pod an unschedulable fault leaves Pending (the service's last replica).
 */
export function podReady(
  pod: PodRef & { index: number; replicas: number },
  active: Fault[],
  pods: PodRef[],
): boolean {
  for (const f of active) {
    if (f.type === 'node-not-ready') {
      if (podsOnDownNode(f, pods).some((p) => p.pod === pod.pod)) return false;
      continue;
    }
    if (f.service !== pod.service) continue;
    if (f.type === 'crash-loop' || f.type === 'failing-readiness') return false;
    if (f.type === 'unschedulable' && pod.index === pod.replicas - 1) return false;
  }
  return true;
}

export function combine(a: PodState, b: PodState): PodState {
  return {
    errorDelta: 1 - (1 - a.errorDelta) * (1 - b.errorDelta),
    latencyFactor: a.latencyFactor * b.latencyFactor,
    congestionFactor: a.congestionFactor * b.congestionFactor,
    cpuFactor: a.cpuFactor * b.cpuFactor,
    cpuExtraCores: a.cpuExtraCores + b.cpuExtraCores,
  };
}

/**
 * Pod states for a set of simultaneously active faults: each fault's own effect on its pods, then the degradation
 * carried upstream, callee to caller, weakening at every hop (a caller retries, times out, or fails too).
 */
export function podStates(active: Fault[], services: ShopService[], pods: PodRef[]): Map<string, PodState> {
  const states = new Map<string, PodState>(pods.map((p) => [p.pod, HEALTHY]));
  const apply = (pod: string, effect: PodState) =>
    states.set(pod, combine(states.get(pod) ?? HEALTHY, effect));

  for (const fault of active) {
    if (fault.type === 'node-not-ready') {
      const down = podsOnDownNode(fault, pods);
      const downPods = new Set(down.map((p) => p.pod));
      const hitServices = new Set(down.map((p) => p.service));
      for (const p of pods) {
        if (downPods.has(p.pod)) apply(p.pod, NODE_DOWN_POD);
        else if (hitServices.has(p.service)) apply(p.pod, NODE_DOWN_SURVIVOR);
      }
      continue;
    }
    for (const p of pods) if (p.service === fault.service) apply(p.pod, OWN_EFFECTS[fault.type]);
  }
  if (active.length === 0) return states;

  // Service-level degradation, then propagate from leaves to roots.
  const byService = new Map<string, PodRef[]>();
  for (const p of pods) byService.set(p.service, [...(byService.get(p.service) ?? []), p]);
  const baseLatency = new Map(services.map((s) => [s.name, s.baseLatencySeconds]));
  const own = new Map<string, { error: number; extraLatency: number }>();
  for (const [service, refs] of byService) {
    const list = refs.map((r) => states.get(r.pod)!);
    const error = list.reduce((s, st) => s + st.errorDelta, 0) / list.length;
    const base = baseLatency.get(service) ?? 0.01;
    const extraLatency =
      list.reduce((s, st) => s + base * (st.latencyFactor - 1) + 0.5 * base * (st.congestionFactor - 1), 0) /
      list.length;
    own.set(service, { error, extraLatency });
  }
  const total = new Map<string, { error: number; extraLatency: number }>();
  const calls = new Map(services.map((s) => [s.name, s.calls]));
  const visiting = new Set<string>();
  const degradation = (service: string): { error: number; extraLatency: number } => {
    const known = total.get(service);
    if (known) return known;
    const mine = own.get(service) ?? { error: 0, extraLatency: 0 };
    if (visiting.has(service)) return mine; // a cycle in a configured graph: stop rather than recurse forever
    visiting.add(service);
    let ok = 1 - mine.error;
    let extraLatency = mine.extraLatency;
    for (const callee of calls.get(service) ?? []) {
      const d = degradation(callee);
      ok *= 1 - PROPAGATION.error * d.error;
      extraLatency += PROPAGATION.latency * d.extraLatency;
    }
    visiting.delete(service);
    const result = { error: 1 - ok, extraLatency };
    total.set(service, result);
    return result;
  };
  for (const service of byService.keys()) {
    const inherited = degradation(service);
    const mine = own.get(service)!;
    const extraError = 1 - (1 - inherited.error) / (1 - Math.min(mine.error, 0.999));
    const extraLatency = inherited.extraLatency - mine.extraLatency;
    if (extraError <= 1e-9 && extraLatency <= 1e-12) continue;
    const base = baseLatency.get(service) ?? 0.01;
    const upstream: PodState = {
      ...HEALTHY,
      errorDelta: Math.max(0, extraError),
      latencyFactor: 1 + Math.max(0, extraLatency) / base,
    };
    for (const r of byService.get(service)!) apply(r.pod, upstream);
  }
  return states;
}
