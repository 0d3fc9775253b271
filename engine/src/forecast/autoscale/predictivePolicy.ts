import type { AutoscaleConfig } from '../config.js';
import { demandAt, hpaRecommendation, type ScalingPolicy } from './simulateAutoscaling.js';

/**
 * The predictive policy for the replay: at each tick it reads the forecast made from the last completed bin and asks
 * for the pods the highest forecast demand needs over the coming stabilisation window (at least until pods started now
 * are ready), never
 * fewer than the reactive rule asks for (a forecast that misses a surge must not make things worse than the HPA).
 * Scale-down follows the forecast instead of a backward-looking stabilisation window.
 */
export interface ForecastLookup {
  start: number;
  stepSeconds: number;
  /** Actual demand per bin (only bins before the origin are read). */
  demand: ArrayLike<number>;
  /** Forecast per origin bin: `forecast(o)` gives horizons 1..H (point or upper bound), or undefined. */
  forecast(origin: number): ArrayLike<number> | undefined;
}

export function predictivePolicy(lookup: ForecastLookup, capacity: number, config: AutoscaleConfig): ScalingPolicy {
  return {
    name: 'predictive',
    // Looking ahead replaces looking back: the policy keeps what the forecast needs over the next stabilisation
    // window (at least one start-up delay), the forward twin of the HPA's backward window; the reactive floor still
    // holds the current demand.
    scaleDownStabilizationSeconds: 0,
    recommend(view) {
      const reactive = hpaRecommendation(view, capacity, config.tolerance);
      const origin = Math.floor((view.now - lookup.start) / lookup.stepSeconds) - 1;
      const f = origin >= 0 ? lookup.forecast(origin) : undefined;
      if (!f) return reactive;
      // Known bins up to the origin, forecast bins after it, interpolated like the demand itself.
      const series = {
        start: lookup.start + (origin - 1) * lookup.stepSeconds,
        stepSeconds: lookup.stepSeconds,
        demand: [lookup.demand[Math.max(0, origin - 1)]!, lookup.demand[origin]!, ...Array.from(f)],
      };
      const until = view.now + Math.max(config.podStartupSeconds + config.syncPeriodSeconds, config.scaleDownStabilizationSeconds);
      let peak = 0;
      for (let t = view.now; t <= until; t += config.syncPeriodSeconds / 3) peak = Math.max(peak, demandAt(series, t));
      // The HPA's own rule on the forecast demand, tolerance band included, so the two differ only in what they
      // look at (the coming minutes instead of the current one), not in how eagerly they round.
      const predicted = hpaRecommendation({ ...view, demand: peak * (1 + config.headroom) }, capacity, config.tolerance);
      return Math.max(reactive, predicted);
    },
  };
}
