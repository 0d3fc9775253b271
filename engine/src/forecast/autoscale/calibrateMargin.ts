import type { AutoscaleConfig } from '../config.js';
import { lookAheadSeconds, predictedDemand, type ForecastLookup } from './predictivePolicy.js';
import { demandAt, observedDemand } from './simulateAutoscaling.js';

/**
 * Learns the predictive policy's margin from its own errors on a past stretch (the history's last days, never the
 * days being planned): at every sync tick, the ratio of the demand that came one look-ahead later to the demand the
 * policy predicted for that moment (`predictedDemand`, the quantity its rule acts on); the margin is that ratio's
 * `coverQuantile`. One rule for every series: a smooth series earns a thin margin, a bursty one a wide margin, and
 * nothing is tuned per series by hand. The same function calibrates the rule without a forecast (the nowcast
 * ablation), whose errors are then the live metric's own change over the look-ahead.
 */
export interface MarginCalibration {
  margin: number;
  quantile: number;
  /** Ticks the ratio was measured on. */
  samples: number;
}

export interface MarginInput extends ForecastLookup {
  /** Bins to learn from (1); outages and gaps are skipped. */
  observed?: ArrayLike<number>;
  /** Bin range [from, to) of the past stretch. */
  from: number;
  to: number;
}

export function calibrateMargin(input: MarginInput, config: AutoscaleConfig): MarginCalibration {
  const ahead = lookAheadSeconds(config);
  const t0 = input.start + input.from * input.stepSeconds;
  const t1 = input.start + input.to * input.stepSeconds - ahead;
  const ratios: number[] = [];
  for (let t = t0; t < t1; t += config.syncPeriodSeconds) {
    const bin = Math.floor((t - input.start) / input.stepSeconds);
    const lastBin = Math.floor((t + ahead - input.start) / input.stepSeconds);
    if (
      input.observed &&
      (!input.observed[bin] || !input.observed[Math.min(lastBin, input.demand.length - 1)])
    )
      continue;
    const predicted = predictedDemand(input, t, observedDemand(input, t, config.metricWindowSeconds), config);
    const actual = demandAt(input, t + ahead);
    // Idle ticks say nothing about the margin a load needs.
    if (predicted > 0 && actual > 0) ratios.push(actual / predicted);
  }
  if (ratios.length === 0) return { margin: 1, quantile: config.coverQuantile, samples: 0 };
  ratios.sort((a, b) => a - b);
  const margin = ratios[Math.min(ratios.length - 1, Math.floor(ratios.length * config.coverQuantile))]!;
  // A margin below 1 would plan for less than the prediction itself; never shrink below the prediction.
  return { margin: Math.max(1, margin), quantile: config.coverQuantile, samples: ratios.length };
}
