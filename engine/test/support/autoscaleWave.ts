import type { ForecastLookup } from '../../src/forecast/autoscale/predictivePolicy.js';

/**
 * The demand the predictive autoscaling tests replay (src/forecast/autoscale and the bench's forecast hold): a
 * daily-like wave in 5-minute bins with a deterministic wobble, so neither policy has it easy, read through a
 * forecast lookup.
 */
export function wave(bins: number): number[] {
  return Array.from(
    { length: bins },
    (_, i) => 300 + 200 * Math.sin((2 * Math.PI * i) / 96) + 30 * Math.sin(i * 1.7),
  );
}

/** `demand` in 5-minute bins from 0 as a forecast lookup, its forecasts from `forecast`. */
export const lookupOf = (demand: number[], forecast: ForecastLookup['forecast']): ForecastLookup => ({
  start: 0,
  stepSeconds: 300,
  demand,
  forecast,
});

/** A forecast that is always right: the next 12 bins of `demand` itself. */
export const perfect = (demand: number[]) => (o: number) => demand.slice(o + 1, o + 13);
