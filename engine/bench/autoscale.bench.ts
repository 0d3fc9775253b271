import { printTable, type BenchMain } from './lib.js';
import { fitOnHistory } from './forecast/fitOnHistory.js';
import { predictivePolicy } from '../src/forecast/autoscale/predictivePolicy.js';
import { reactiveHpaPolicy, simulateAutoscaling, type ReplayDemand } from '../src/forecast/autoscale/simulateAutoscaling.js';
import type { AutoscaleConfig } from '../src/forecast/config.js';
import { calibrateHeadroom } from '../src/forecast/autoscale/calibrateHeadroom.js';

/**
 * `npm run bench -- autoscale --data FILE.csv --column NAME --test-days N [--capacity C] [--step S] [--config JSON]`
 * Fits the forecaster on everything before the last N days, then replays those days twice at a 15 s sync: the
 * reactive HPA (10 % tolerance, 300 s scale-down stabilisation, pod start-up delay) and the predictive plan (same
 * rules, plus the forecast made from the last completed bin; the headline is the configured plan, beside it the point
 * forecast plus the largest headroom that cost no more than the HPA on the week before). Capacity defaults to the training part's
 * 95th percentile demand over 10, so the busiest hours need about ten replicas.
 */
export const main: BenchMain = async (ctx) => {
  const fitted = await fitOnHistory(ctx);
  const { series, testStart, forecaster, config } = fitted;
  const n = series.z.length;
  const H = forecaster.horizon;
  const train = Array.from(series.values.subarray(0, testStart)).filter((_, i) => series.observed[i]).sort((a, b) => a - b);
  const capacity = ctx.numberOption('capacity', train[Math.floor(train.length * 0.95)]! / 10);
  // Forecasts from every origin of the calibration week (the 7 days before the test) and of the test days.
  const calStart = Math.max(H + 1, testStart - Math.round((7 * 86400) / series.stepSeconds));
  const origins: number[] = [];
  for (let o = calStart - 1; o < n - 1; o++) origins.push(o);
  const f = await forecaster.forecastFrom(series, origins);
  const rowOf = (bound: Float64Array, o: number) =>
    o >= calStart - 1 && o < n - 1 ? bound.subarray((o - calStart + 1) * H, (o - calStart + 2) * H) : undefined;

  const demand: ReplayDemand = {
    start: series.start,
    stepSeconds: series.stepSeconds,
    demand: series.values,
    observed: series.observed,
    from: testStart,
    to: n,
    capacityPerReplica: capacity,
  };
  const run = (cfg: AutoscaleConfig) => {
    const bound = cfg.planOn === 'upper' ? f.upper : cfg.planOn === 'quantile' ? f.plan : f.point;
    const lookup = {
      start: series.start,
      stepSeconds: series.stepSeconds,
      demand: series.values,
      // Only test-day origins: the policy never sees the calibration week's forecasts.
      forecast: (o: number) => (o >= testStart - 1 ? rowOf(bound, o) : undefined),
    };
    return simulateAutoscaling(demand, predictivePolicy(lookup, capacity, cfg), cfg);
  };
  const cfg = config.autoscale;
  const hpa = simulateAutoscaling(demand, reactiveHpaPolicy(capacity, cfg), cfg);
  // Cost-matched headroom, learnt on the week before the test (data the forecaster was fitted on, never test data).
  const calibration = calibrateHeadroom(
    {
      start: series.start,
      stepSeconds: series.stepSeconds,
      demand: series.values,
      observed: series.observed,
      from: calStart,
      to: testStart,
      capacityPerReplica: capacity,
      forecast: (o) => rowOf(f.point, o),
    },
    cfg,
  );
  const matched = run({ ...cfg, planOn: 'point', headroom: calibration.headroom });
  const predictive = run(cfg);
  const others = (['point', 'quantile', 'upper'] as const).filter((p) => p !== cfg.planOn).map((p) => [p, run({ ...cfg, planOn: p })] as const);
  const row = (label: string, r: typeof hpa) => [label, r.underMinutes, r.replicaHours, r.peakReplicas, r.scaleEvents, r.scoredMinutes];
  printTable(
    `autoscale: ${fitted.path.split('/').slice(-2).join('/')} column ${fitted.column}, last ${fitted.testDays} d, ` +
      `capacity ${capacity.toFixed(2)}/replica, start-up ${cfg.podStartupSeconds}s, sync ${cfg.syncPeriodSeconds}s, ` +
      `forecaster ${forecaster.chosen} (trained ${fitted.trainSeconds.toFixed(1)} s)`,
    ['policy', 'under-provisioned min', 'replica-hours', 'peak replicas', 'scale events', 'scored min'],
    [
      row('reactive HPA (baseline)', hpa),
      row(`predictive, plan on ${cfg.planOn}${cfg.planOn === 'quantile' ? ` ${cfg.planQuantile}` : ''} (config default, headline)`, predictive),
      row(`predictive, point + cost-matched headroom ${calibration.headroom}`, matched),
      ...others.map(([p, r]) => row(`predictive, plan on ${p}`, r)),
    ],
  );
  console.log(
    `\nheadroom calibration on the ${((testStart - calStart) * series.stepSeconds) / 86400} days before the test: HPA ` +
      `${calibration.hpa.replicaHours.toFixed(1)} replica-h; ` +
      calibration.trials.map((t) => `${t.headroom}: ${t.result.underMinutes.toFixed(0)} min / ${t.result.replicaHours.toFixed(1)} h`).join(', '),
  );
  forecaster.dispose();
  return {
    under_min: predictive.underMinutes,
    replica_h: predictive.replicaHours,
    matched_headroom: calibration.headroom,
    matched_under_min: matched.underMinutes,
    matched_replica_h: matched.replicaHours,
    hpa_under_min: hpa.underMinutes,
    hpa_replica_h: hpa.replicaHours,
    capacity,
  };
};
