import type { AutoscaleConfig } from '../config.js';
import { demandAt, observedDemand, type ScalingPolicy } from './simulateAutoscaling.js';

/**
 * The predictive policy for the replay. Every tick it predicts the demand peak before a pod asked for now could be
 * ready (start-up + one sync), scales that by a margin learnt from its own past errors (`calibrateMargin`), and runs
 * the replicas that keep this covered demand inside the band the HPA itself tolerates (target × (1 + tolerance)).
 *
 * The prediction is the forecast path's shape anchored on the live metric: peak of the path over the coming window
 * times observed / path-now. The forecast says where load is heading, the live metric says where it is, so a
 * forecast that is off in level but right in direction still helps, and without a forecast (cold start) the policy
 * is a calibrated reactive rule. Scale-down waits `predictiveScaleDownSeconds` (the highest recommendation over
 * that window, as the HPA does): without it the rule followed every dip of the look-ahead and made about twice the
 * HPA's scale events.
 */
export interface ForecastLookup {
  start: number;
  stepSeconds: number;
  /** Actual demand per bin (only bins up to the origin are read). */
  demand: ArrayLike<number>;
  /** Point forecast from origin bin `o` (the last completed bin): horizons 1..H, or undefined. */
  forecast(origin: number): ArrayLike<number> | undefined;
}

/** Seconds a decision must look ahead: a pod asked for now is ready after start-up, the next decision one sync later. */
export const lookAheadSeconds = (config: Pick<AutoscaleConfig, 'podStartupSeconds' | 'syncPeriodSeconds'>): number =>
  config.podStartupSeconds + config.syncPeriodSeconds;

/**
 * Predicted demand peak over [now, now + look-ahead], anchored on the observed (lagged, averaged) demand; without an
 * observation (a plan made from bins alone) the path itself.
 */
export function predictedPeak(lookup: ForecastLookup, now: number, observed: number | undefined, config: AutoscaleConfig): number {
  const origin = Math.floor((now - lookup.start) / lookup.stepSeconds) - 1;
  const f = origin >= 0 ? lookup.forecast(origin) : undefined;
  if (!f || f.length === 0) return observed ?? lookup.demand[Math.max(0, Math.min(origin, lookup.demand.length - 1))] ?? 0;
  // Known bins up to the origin, forecast bins after it, interpolated like the replayed demand itself.
  const path = {
    start: lookup.start + (origin - 1) * lookup.stepSeconds,
    stepSeconds: lookup.stepSeconds,
    demand: [lookup.demand[Math.max(0, origin - 1)]!, lookup.demand[origin]!, ...Array.from(f)],
  };
  const ahead = lookAheadSeconds(config);
  let peak = 0;
  for (let t = now; t <= now + ahead; t += 5) peak = Math.max(peak, demandAt(path, t));
  if (observed === undefined) return peak;
  // The path seen through the same averaging window as the metric, so the ratio compares like with like.
  const here = observedDemand(path, now, config.metricWindowSeconds);
  if (!(here > 0) || !Number.isFinite(peak)) return observed;
  return (peak * observed) / here;
}

/** Replicas that keep `demand` inside the tolerated band: demand ≤ replicas × capacity × (1 + tolerance). */
export function replicasWithinBand(demand: number, capacity: number, config: Pick<AutoscaleConfig, 'tolerance'>): number {
  return Math.max(0, Math.ceil(Math.max(0, demand) / (capacity * (1 + config.tolerance)) - 1e-9));
}

export function predictivePolicy(lookup: ForecastLookup, capacity: number, config: AutoscaleConfig, margin: number): ScalingPolicy {
  if (!(capacity > 0)) throw new Error('capacity must be positive');
  if (!(margin > 0)) throw new Error('margin must be positive');
  return {
    name: 'predictive',
    scaleDownStabilizationSeconds: config.predictiveScaleDownSeconds,
    recommend: (view) => {
      const covered = predictedPeak(lookup, view.now, view.demand, config) * margin;
      const needed = replicasWithinBand(covered, capacity, config);
      if (needed >= view.replicas) return needed;
      // Hysteresis, as the HPA's own tolerance band: scale down only to the count that would still hold the covered
      // demand with the band's slack to spare, so demand hovering at a boundary does not flap a pod in and out.
      return Math.min(view.replicas, replicasWithinBand(covered / (1 - config.tolerance), capacity, config));
    },
  };
}
