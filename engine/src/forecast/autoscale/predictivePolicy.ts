import type { AutoscaleConfig } from '../config.js';
import { demandAt, hpaRecommendation, type ScalingPolicy } from './simulateAutoscaling.js';

/**
 * The predictive policy for the replay: at each tick it reads the forecast made from the last completed bin, scales
 * up for the highest forecast demand before pods started now are ready, and does not scale down below what the
 * coming stabilisation window needs (the forward twin of the HPA's backward window). Never fewer pods than the
 * reactive rule asks for: a forecast that misses a surge must not make things worse than the HPA.
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
    // window, the forward twin of the HPA's backward window; the reactive floor still holds the current demand.
    // The HPA's own rule (tolerance band included) is applied to the forecast demand, so the two differ only in
    // what they look at, not in how eagerly they round.
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
      const peakOver = (seconds: number) => {
        let peak = 0;
        for (let t = view.now; t <= view.now + seconds; t += config.syncPeriodSeconds / 3) peak = Math.max(peak, demandAt(series, t));
        return peak * (1 + config.headroom);
      };
      // Scale up for what arrives before pods started now are ready; keep (do not scale down below) what the
      // coming stabilisation window needs.
      const ready = config.podStartupSeconds + config.syncPeriodSeconds;
      const up = hpaRecommendation({ ...view, demand: peakOver(ready) }, capacity, config.tolerance);
      const keep = hpaRecommendation({ ...view, demand: peakOver(Math.max(ready, config.scaleDownStabilizationSeconds)) }, capacity, config.tolerance);
      const predicted = Math.max(up, Math.min(view.replicas, keep));
      return Math.max(reactive, predicted);
    },
  };
}
