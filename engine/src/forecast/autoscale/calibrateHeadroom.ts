import type { AutoscaleConfig } from '../config.js';
import { predictivePolicy } from './predictivePolicy.js';
import { reactiveHpaPolicy, simulateAutoscaling, type ReplayResult } from './simulateAutoscaling.js';

/**
 * Picks the headroom over the point forecast that costs no more replica-hours than the reactive HPA would have on a
 * past stretch (the history's last days, never the days being planned): the largest candidate within that budget.
 * This turns "no more replica-hours than the HPA" into a rule the engine applies to any series by itself.
 */
export interface HeadroomCalibration {
  headroom: number;
  hpa: ReplayResult;
  trials: Array<{ headroom: number; result: ReplayResult }>;
}

export const HEADROOM_CANDIDATES = [0, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3];

export function calibrateHeadroom(
  input: {
    start: number;
    stepSeconds: number;
    demand: ArrayLike<number>;
    observed?: ArrayLike<number>;
    /** Bin range [from, to) of the past stretch replayed. */
    from: number;
    to: number;
    capacityPerReplica: number;
    /** Point forecast from origin o (horizons 1..H), for o in [from - 1, to - 1). */
    forecast(origin: number): ArrayLike<number> | undefined;
  },
  config: AutoscaleConfig,
  candidates: number[] = HEADROOM_CANDIDATES,
): HeadroomCalibration {
  const replay = { ...input };
  const hpa = simulateAutoscaling(replay, reactiveHpaPolicy(input.capacityPerReplica, config), config);
  const trials = candidates.map((headroom) => {
    const cfg = { ...config, headroom };
    const lookup = { start: input.start, stepSeconds: input.stepSeconds, demand: input.demand, forecast: input.forecast };
    return { headroom, result: simulateAutoscaling(replay, predictivePolicy(lookup, input.capacityPerReplica, cfg), cfg) };
  });
  const affordable = trials.filter((t) => t.result.replicaHours <= hpa.replicaHours);
  const headroom = affordable.length ? Math.max(...affordable.map((t) => t.headroom)) : 0;
  return { headroom, hpa, trials };
}
