import type { AutoscaleConfig } from '../config.js';

/**
 * Replays a demand series against a scaling policy, tick by tick at the sync period: pods asked for become ready
 * after the start-up delay, pods removed go at once. Demand between bins is interpolated linearly between bin
 * midpoints, so ramps are ramps. Every policy sees the same metric: demand averaged over the last
 * `metricWindowSeconds`, as a scraped utilisation is. Scored on the same clock, on the true demand, for every policy:
 * - under-provisioned minutes: ready pods would run above the target utilisation beyond the tolerance band
 *   (demand > ready × capacity × (1 + tolerance)) — the band the HPA itself accepts;
 * - replica-hours: every pod that exists, starting or ready, costs.
 */

export interface ReplayDemand {
  start: number;
  stepSeconds: number;
  /** Demand per bin, in the units of `capacityPerReplica`. */
  demand: ArrayLike<number>;
  /** Bins to score (1); outages and gaps are replayed but not scored. */
  observed?: ArrayLike<number>;
  /** Bin range [from, to) to replay. */
  from: number;
  to: number;
  capacityPerReplica: number;
}

export interface PolicyView {
  now: number;
  /**
   * Demand as the metrics pipeline reports it: the mean over the last `metricWindowSeconds` (a scraped utilisation
   * is an average over the scrape interval, never the instant value).
   */
  demand: number;
  /** Pods that exist (ready or starting). */
  replicas: number;
  readyReplicas: number;
}

export interface ScalingPolicy {
  readonly name: string;
  /**
   * Scale-down stabilisation this policy needs; the configured window when absent. A policy that already looks
   * ahead (keeps the pods the forecast needs before new ones could be ready) does not need to look back as well.
   */
  readonly scaleDownStabilizationSeconds?: number;
  /** Desired replicas before stabilisation and limits (the simulator applies those alike to every policy). */
  recommend(view: PolicyView): number;
}

export interface ReplayResult {
  policy: string;
  underMinutes: number;
  replicaHours: number;
  scoredMinutes: number;
  peakReplicas: number;
  scaleEvents: number;
  /** Of which scale-downs. */
  scaleDownEvents: number;
}

export function demandAt(input: Pick<ReplayDemand, 'start' | 'stepSeconds' | 'demand'>, t: number): number {
  const pos = (t - input.start) / input.stepSeconds - 0.5;
  const n = input.demand.length;
  if (pos <= 0) return input.demand[0]!;
  if (pos >= n - 1) return input.demand[n - 1]!;
  const i = Math.floor(pos);
  const f = pos - i;
  return input.demand[i]! * (1 - f) + input.demand[i + 1]! * f;
}

/** The HPA's own rule: no change inside the tolerance band, else ceil(demand / capacity). */
export function hpaRecommendation(view: PolicyView, capacity: number, tolerance: number): number {
  const current = Math.max(1, view.replicas);
  const ratio = view.demand / (current * capacity);
  if (Math.abs(ratio - 1) <= tolerance) return view.replicas;
  return Math.ceil(view.demand / capacity - 1e-9);
}

/** Mean demand over [t - window, t]: what a scraped, averaged metric shows at t. */
export function observedDemand(
  input: Pick<ReplayDemand, 'start' | 'stepSeconds' | 'demand'>,
  t: number,
  windowSeconds: number,
): number {
  if (!(windowSeconds > 0)) return demandAt(input, t);
  const samples = Math.max(2, Math.ceil(windowSeconds / 5) + 1);
  let sum = 0;
  for (let k = 0; k < samples; k++) sum += demandAt(input, t - (windowSeconds * k) / (samples - 1));
  return sum / samples;
}

export function reactiveHpaPolicy(capacity: number, config: AutoscaleConfig): ScalingPolicy {
  return { name: 'reactive-hpa', recommend: (view) => hpaRecommendation(view, capacity, config.tolerance) };
}

export function simulateAutoscaling(
  input: ReplayDemand,
  policy: ScalingPolicy,
  config: AutoscaleConfig,
): ReplayResult {
  const sync = config.syncPeriodSeconds;
  const stabilization = policy.scaleDownStabilizationSeconds ?? config.scaleDownStabilizationSeconds;
  const t0 = input.start + input.from * input.stepSeconds;
  const t1 = input.start + input.to * input.stepSeconds;
  const cap = input.capacityPerReplica;
  const clamp = (n: number) => Math.min(config.maxReplicas, Math.max(config.minReplicas, n));
  // Start where the HPA would have settled on the first demand, so neither policy pays for a cold start.
  const initial = clamp(Math.ceil(demandAt(input, t0) / cap - 1e-9));
  let pods: number[] = new Array<number>(initial).fill(t0 - config.podStartupSeconds);
  const history: Array<{ t: number; r: number }> = [];
  let underSeconds = 0;
  let scoredSeconds = 0;
  let replicaSeconds = 0;
  let peak = initial;
  let events = 0;
  let downs = 0;
  for (let now = t0; now < t1; now += sync) {
    const ready = pods.filter((p) => p <= now).length;
    // Every policy sees the same lagged metric; only the scoring below uses the true demand.
    const demandNow = observedDemand(input, now, config.metricWindowSeconds);
    let desired = policy.recommend({ now, demand: demandNow, replicas: pods.length, readyReplicas: ready });
    desired = clamp(desired);
    history.push({ t: now, r: desired });
    while (history.length > 1 && now - history[0]!.t >= stabilization) history.shift();
    // Scale-down stabilisation: the highest recommendation within the window.
    const stabilised = Math.max(...history.map((h) => h.r));
    let target = desired > pods.length ? desired : Math.min(pods.length, stabilised);
    // The HPA's default scale-up limit: double or +4 pods per period, whichever is more.
    target = Math.min(target, Math.max(pods.length * 2, pods.length + 4));
    target = clamp(target);
    if (target > pods.length) {
      events++;
      pods = pods.concat(new Array<number>(target - pods.length).fill(now + config.podStartupSeconds));
    } else if (target < pods.length) {
      events++;
      downs++;
      // Starting pods go first (newest first), as a ReplicaSet scale-down prefers not-ready pods.
      pods.sort((a, b) => a - b);
      pods = pods.slice(0, target);
    }
    peak = Math.max(peak, pods.length);
    const tick = Math.min(sync, t1 - now);
    replicaSeconds += pods.length * tick;
    const bin = Math.floor((now - input.start) / input.stepSeconds);
    if (!input.observed || input.observed[bin]) {
      scoredSeconds += tick;
      // Sample mid-tick: the demand the ready pods actually face during this period.
      const mid = now + tick / 2;
      const readyMid = pods.filter((p) => p <= mid).length;
      if (demandAt(input, mid) > readyMid * cap * (1 + config.tolerance)) underSeconds += tick;
    }
  }
  return {
    policy: policy.name,
    underMinutes: underSeconds / 60,
    replicaHours: replicaSeconds / 3600,
    scoredMinutes: scoredSeconds / 60,
    peakReplicas: peak,
    scaleEvents: events,
    scaleDownEvents: downs,
  };
}
