/**
 * Learns what one replica serves at the target utilisation from history: for each step where the workload ran,
 * demand per replica divided by the CPU utilisation of its request, times the target. The median keeps idle
 * nights (tiny utilisation, noisy ratio) and overload spikes from dominating.
 */
export interface CapacitySample {
  /** Demand of the whole workload (e.g. requests/s). */
  demand: number;
  /** CPU used by the whole workload, cores. */
  cpuCores: number;
  replicas: number;
}

export function learnCapacity(
  samples: CapacitySample[],
  cpuRequestCoresPerReplica: number,
  targetUtilization: number,
  options: { minUtilization?: number } = {},
): { capacityPerReplica: number; samples: number } | undefined {
  const minUtil = options.minUtilization ?? 0.05;
  const ratios: number[] = [];
  for (const s of samples) {
    if (!(s.replicas > 0) || !(s.cpuCores > 0) || !(s.demand > 0)) continue;
    const utilization = s.cpuCores / (s.replicas * cpuRequestCoresPerReplica);
    if (utilization < minUtil) continue;
    ratios.push((s.demand / s.replicas / utilization) * targetUtilization);
  }
  if (ratios.length === 0) return undefined;
  ratios.sort((a, b) => a - b);
  const mid = ratios.length >> 1;
  const median = ratios.length % 2 ? ratios[mid]! : (ratios[mid - 1]! + ratios[mid]!) / 2;
  return { capacityPerReplica: median, samples: ratios.length };
}
