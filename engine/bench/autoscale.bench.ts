import { printTable, type BenchMain } from './lib.js';
import { fitOnHistory } from './forecast/fitOnHistory.js';
import { predictivePolicy } from '../src/forecast/autoscale/predictivePolicy.js';
import { reactiveHpaPolicy, simulateAutoscaling, type ReplayDemand } from '../src/forecast/autoscale/simulateAutoscaling.js';
import type { AutoscaleConfig } from '../src/forecast/config.js';

/**
 * `npm run bench -- autoscale --data FILE.csv --column NAME --test-days N [--capacity C] [--step S] [--config JSON]`
 * Fits the forecaster on everything before the last N days, then replays those days twice at a 15 s sync: the
 * reactive HPA (10 % tolerance, 300 s scale-down stabilisation, pod start-up delay) and the predictive plan (same
 * rules, plus the forecast made from the last completed bin). Capacity per replica defaults to the training part's
 * 95th percentile demand over 10, so the busiest hours need about ten replicas.
 */
export const main: BenchMain = async (ctx) => {
  const fitted = await fitOnHistory(ctx);
  const { series, testStart, forecaster, config } = fitted;
  const n = series.z.length;
  const H = forecaster.horizon;
  const train = Array.from(series.values.subarray(0, testStart)).filter((_, i) => series.observed[i]).sort((a, b) => a - b);
  const capacity = ctx.numberOption('capacity', train[Math.floor(train.length * 0.95)]! / 10);
  const origins: number[] = [];
  for (let o = testStart - 1; o < n - 1; o++) origins.push(o);
  const f = await forecaster.forecastFrom(series, origins);

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
      forecast: (o: number) => (o >= testStart - 1 && o < n - 1 ? bound.subarray((o - testStart + 1) * H, (o - testStart + 2) * H) : undefined),
    };
    return simulateAutoscaling(demand, predictivePolicy(lookup, capacity, cfg), cfg);
  };
  const cfg = config.autoscale;
  const hpa = simulateAutoscaling(demand, reactiveHpaPolicy(capacity, cfg), cfg);
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
      row(`predictive, plan on ${cfg.planOn}${cfg.planOn === 'quantile' ? ` ${cfg.planQuantile}` : ''} (default)`, predictive),
      ...others.map(([p, r]) => row(`predictive, plan on ${p}`, r)),
    ],
  );
  forecaster.dispose();
  return {
    under_min: predictive.underMinutes,
    replica_h: predictive.replicaHours,
    hpa_under_min: hpa.underMinutes,
    hpa_replica_h: hpa.replicaHours,
    capacity,
  };
};
