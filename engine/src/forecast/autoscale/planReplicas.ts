import type { AutoscaleConfig } from '../config.js';
import { lookAheadSeconds, predictedDemand } from './predictivePolicy.js';
import { hpaRecommendation } from './simulateAutoscaling.js';

export interface ForecastPoint {
  /** Unix seconds at the start of the step. */
  t: number;
  value: number;
  lower: number;
  upper: number;
  /** The plan quantile of demand; the point forecast when absent. */
  plan?: number;
}

export interface ReplicaPlanStep {
  t: number;
  /** Demand the plan covers at this step (point or upper bound, plus headroom). */
  demand: number;
  /** Replicas that demand needs at the target utilisation, before stabilisation. */
  needed: number;
  /** Replicas after min/max and scale-down stabilisation. */
  replicas: number;
}

export interface ReplicaPlan {
  capacityPerReplica: number;
  currentReplicas?: number;
  /** What to run now so pods started now are ready for the demand one start-up delay ahead. */
  recommendedReplicas: number;
  steps: ReplicaPlanStep[];
  reason: string;
}

/** Replicas one demand value needs: demand over per-replica capacity, clamped to min/max. */
export function replicasFor(
  demand: number,
  capacityPerReplica: number,
  config: Pick<AutoscaleConfig, 'minReplicas' | 'maxReplicas'>,
): number {
  const raw = Math.ceil(Math.max(0, demand) / capacityPerReplica - 1e-9);
  return Math.min(config.maxReplicas, Math.max(config.minReplicas, raw));
}

/**
 * A replica plan from a forecast. `capacityPerReplica` is the demand one replica serves at the target utilisation,
 * so the plan keeps pods at (or below) that utilisation; scale-down only happens once the lower need has lasted the
 * stabilisation window, which keeps the plan from flapping between steps.
 */
export function planReplicas(
  points: ForecastPoint[],
  capacityPerReplica: number,
  config: AutoscaleConfig,
  options: {
    now?: number;
    currentReplicas?: number;
    stepSeconds?: number;
    /** The forecaster's learnt scaling margin: when given, the plan follows the predictive rule (`marginPlan`). */
    margin?: number;
    /** The newest observed bins (oldest first), read by the margin rule for the path before the forecast. */
    recent?: Array<{ t: number; value: number }>;
  } = {},
): ReplicaPlan {
  if (!(capacityPerReplica > 0)) throw new Error('capacityPerReplica must be positive');
  if (options.margin !== undefined && options.margin > 0 && points.length > 0) {
    return marginPlan(points, capacityPerReplica, config, options.margin, options);
  }
  const steps: ReplicaPlanStep[] = [];
  const window = config.scaleDownStabilizationSeconds;
  for (const p of points) {
    const bound =
      config.planOn === 'upper' ? p.upper : config.planOn === 'quantile' ? (p.plan ?? p.value) : p.value;
    const demand = bound * (1 + config.headroom);
    const needed = replicasFor(demand, capacityPerReplica, config);
    // Scale-down stabilisation: the largest need within the window ending here (earlier plan steps, and the
    // current replicas as the need "before" the plan starts).
    let replicas = needed;
    for (let i = steps.length - 1; i >= 0 && p.t - steps[i]!.t < window; i--)
      replicas = Math.max(replicas, steps[i]!.needed);
    if (options.currentReplicas !== undefined && options.now !== undefined && p.t - options.now < window) {
      replicas = Math.max(replicas, Math.min(options.currentReplicas, config.maxReplicas));
    }
    steps.push({ t: p.t, demand, needed, replicas });
  }
  const now = options.now ?? points[0]?.t ?? 0;
  const step = options.stepSeconds ?? (points.length > 1 ? points[1]!.t - points[0]!.t : 0);
  // Pods asked for now are ready after the start-up delay: cover every step that starts before then, plus one.
  const readyBy = now + config.podStartupSeconds + step;
  const covered = steps.filter((s) => s.t < readyBy);
  const recommended = Math.max(
    config.minReplicas,
    ...(covered.length ? covered : steps.slice(0, 1)).map((s) => s.replicas),
  );
  const peak = covered.reduce((m, s) => Math.max(m, s.demand), 0);
  return {
    capacityPerReplica,
    currentReplicas: options.currentReplicas,
    recommendedReplicas: recommended,
    steps,
    reason:
      `${recommended} replicas cover a forecast ${planLabel(config)} of ${round(peak)} ` +
      `within the next ${config.podStartupSeconds + step}s (pod start-up ${config.podStartupSeconds}s) at ` +
      `${round(capacityPerReplica)} per replica (target utilisation ${config.targetUtilization})` +
      (config.headroom ? ` with ${Math.round(config.headroom * 100)}% headroom` : '') +
      `; scale-down waits ${config.scaleDownStabilizationSeconds}s`,
  };
}

/**
 * The rule the replay benchmark measures (`predictivePolicy`): the HPA's rule on the demand forecast for the moment
 * pods asked for now are ready, times the learnt margin. With the current replicas known, no change while that demand
 * is within the HPA's tolerance of what they serve; else ceil(demand / capacity). One plan is one decision: the
 * scale-down window belongs to the loop that repeats it (the HPA or KEDA object, or the caller).
 */
function marginPlan(
  points: ForecastPoint[],
  capacityPerReplica: number,
  config: AutoscaleConfig,
  margin: number,
  options: { currentReplicas?: number; stepSeconds?: number; recent?: Array<{ t: number; value: number }> },
): ReplicaPlan {
  const step = options.stepSeconds ?? (points.length > 1 ? points[1]!.t - points[0]!.t : 300);
  const clamp = (n: number) => Math.min(config.maxReplicas, Math.max(config.minReplicas, n));
  const steps: ReplicaPlanStep[] = points.map((p) => {
    const demand = p.value * margin;
    const needed = clamp(Math.ceil(demand / capacityPerReplica - 1e-9));
    return { t: p.t, demand, needed, replicas: needed };
  });
  // Two observed bins before the forecast (the last forecast-free path), else the first forecast step itself.
  const now = points[0]!.t;
  const binAt = (t: number) =>
    options.recent?.find((r) => Math.abs(r.t - t) < step / 2)?.value ?? points[0]!.value;
  const lookup = {
    start: now - 2 * step,
    stepSeconds: step,
    demand: [binAt(now - 2 * step), binAt(now - step)],
    forecast: (o: number) => (o === 1 ? points.map((p) => p.value) : undefined),
  };
  // As the replay's rule: the larger of the demand now (the newest bin) and the demand predicted for then.
  const demand = Math.max(lookup.demand[1]!, predictedDemand(lookup, now, undefined, config)) * margin;
  const current = options.currentReplicas;
  const raw =
    current !== undefined
      ? hpaRecommendation(
          { now, demand, replicas: current, readyReplicas: current },
          capacityPerReplica,
          config.tolerance,
        )
      : Math.ceil(demand / capacityPerReplica - 1e-9);
  const recommended = clamp(raw);
  const ahead = lookAheadSeconds(config);
  return {
    capacityPerReplica,
    currentReplicas: current,
    recommendedReplicas: recommended,
    steps,
    reason:
      `${recommended} replicas for the forecast demand ${round(demand / margin)} in ${ahead}s ` +
      `(pod start-up ${config.podStartupSeconds}s + one ${config.syncPeriodSeconds}s sync) times the learnt margin ` +
      `${round(margin)} (the ${config.coverQuantile} quantile of actual over predicted demand on validation) at ` +
      `${round(capacityPerReplica)} per replica (target utilisation ${config.targetUtilization})` +
      currentNote(current, recommended, raw, config.tolerance),
  };
}

const round = (x: number) => Math.round(x * 100) / 100;

function planLabel(config: AutoscaleConfig): string {
  if (config.planOn === 'upper') return 'upper bound';
  if (config.planOn === 'quantile') return `${Math.round(config.planQuantile * 100)}th percentile`;
  return 'point';
}

/**
 * What the current replicas did to the plan, said so it cannot read as a contradiction ("4 replicas ...; unchanged
 * while within the tolerance of 2" was printed when the plan changed them; found walking the README).
 */
function currentNote(
  current: number | undefined,
  recommended: number,
  raw: number,
  tolerance: number,
): string {
  if (current === undefined) return '';
  const pct = `${Math.round(tolerance * 100)}%`;
  if (raw === current)
    return `; ${current} current replicas kept: the demand is within the HPA's ${pct} tolerance of what they serve`;
  const clamped = recommended !== raw ? ` (${raw} before the replica bounds)` : '';
  return `; from ${current} current replicas: the demand is outside the HPA's ${pct} tolerance of what they serve${clamped}`;
}
