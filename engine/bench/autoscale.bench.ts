import { printTable, type BenchMain } from './lib.js';
import { fitOnHistory } from './forecast/fitOnHistory.js';
import { predictivePolicy, type ForecastLookup } from '../src/forecast/autoscale/predictivePolicy.js';
import { calibrateMargin } from '../src/forecast/autoscale/calibrateMargin.js';
import { reactiveHpaPolicy, simulateAutoscaling, type ReplayDemand, type ReplayResult } from '../src/forecast/autoscale/simulateAutoscaling.js';
import { validationLength } from '../src/forecast/Forecaster.js';

/**
 * `npm run bench -- autoscale --data FILE.csv --column NAME --test-days N [--drop-days D] [--capacity C] [--step S] [--config JSON]`
 * Fits the forecaster on everything before the last N days, then replays the test days at a 15 s sync: the reactive
 * HPA (10 % tolerance, 300 s scale-down stabilisation, pod start-up delay, metric averaged over 15 s) and the
 * predictive policy (the HPA's rule on the forecast demand one start-up ahead × a learnt margin; same capacity,
 * start-up delay, metric and scale-up limits). The predictive margin is the product's (`spec.scaleMargin`, learnt at
 * fit time from out-of-sample forecasts on the validation part); the same rule without a forecast (the nowcast
 * ablation) gets its margin from the same `calibrateMargin` on the same validation part, so the two rows differ only
 * in the forecast. Beside them: the nowcast at the predictive margin, both without margin, the scale-down windows,
 * a diagnostic pair at the margin that spends the HPA's replica-hours on the test days (chosen on the test, so not a
 * result, only where each frontier crosses the HPA's cost), and the HPA on an instant metric. Capacity defaults to
 * the training part's 95th percentile demand over 10, so the busiest hours need about ten replicas.
 */
export const main: BenchMain = async (ctx) => {
  const fitted = await fitOnHistory(ctx);
  const { series, testStart, forecaster, config } = fitted;
  const cfg = config.autoscale;
  const n = series.z.length;
  const H = forecaster.horizon;
  const train = Array.from(series.values.subarray(0, testStart)).filter((_, i) => series.observed[i]).sort((a, b) => a - b);
  const capacity = ctx.numberOption('capacity', train[Math.floor(train.length * 0.95)]! / 10);
  // The validation part the forecaster held out (and learnt its margin on): both margins are learnt there.
  const calStart = Math.max(H + 1, testStart - validationLength(testStart, series.stepSeconds, H, config));
  const origins: number[] = [];
  for (let o = calStart - 1; o < n - 1; o++) origins.push(o);
  const started = performance.now();
  const f = await forecaster.forecastFrom(series, origins);
  const forecastMsPerOrigin = (performance.now() - started) / origins.length;
  // Origins are bins; a lookup only ever answers for its own stretch, so the test replay never reads calibration
  // forecasts and the calibration never reads test data.
  const lookupOver = (from: number, to: number, withForecast = true): ForecastLookup => ({
    start: series.start,
    stepSeconds: series.stepSeconds,
    demand: series.values,
    forecast: (o) => (withForecast && o >= from - 1 && o < to - 1 ? f.point.subarray((o - calStart + 1) * H, (o - calStart + 2) * H) : undefined),
  });
  const cal = (withForecast: boolean) =>
    calibrateMargin({ ...lookupOver(calStart, testStart, withForecast), observed: series.observed, from: calStart, to: testStart }, cfg);
  // The headline uses the margin the product uses: learnt at fit time from out-of-sample validation forecasts.
  const margin = forecaster.spec.scaleMargin ?? cal(true).margin;
  const withoutForecast = cal(false);

  const demand: ReplayDemand = {
    start: series.start,
    stepSeconds: series.stepSeconds,
    demand: series.values,
    observed: series.observed,
    from: testStart,
    to: n,
    capacityPerReplica: capacity,
  };
  const hpa = simulateAutoscaling(demand, reactiveHpaPolicy(capacity, cfg), cfg);
  const instant = { ...cfg, metricWindowSeconds: 0 };
  const hpaInstant = simulateAutoscaling(demand, reactiveHpaPolicy(capacity, instant), instant);
  const predictive = simulateAutoscaling(demand, predictivePolicy(lookupOver(testStart, n), capacity, cfg, margin), cfg);
  const nowcast = simulateAutoscaling(demand, predictivePolicy(lookupOver(testStart, n, false), capacity, cfg, withoutForecast.margin), cfg);
  const nowcastSameMargin = simulateAutoscaling(demand, predictivePolicy(lookupOver(testStart, n, false), capacity, cfg, margin), cfg);
  const noMargin = simulateAutoscaling(demand, predictivePolicy(lookupOver(testStart, n), capacity, cfg, 1), cfg);
  // Diagnostic: the margin at which each rule spends the HPA's replica-hours on the test days (bisection).
  const atHpaCost = (withForecast: boolean) => {
    const run = (m: number) => simulateAutoscaling(demand, predictivePolicy(lookupOver(testStart, n, withForecast), capacity, cfg, m), cfg);
    let lo = 0.8;
    let hi = 1.6;
    for (let i = 0; i < 10; i++) {
      const mid = (lo + hi) / 2;
      if (run(mid).replicaHours <= hpa.replicaHours) lo = mid;
      else hi = mid;
    }
    return { margin: lo, result: run(lo) };
  };
  const equalCost = atHpaCost(true);
  const nowcastEqualCost = atHpaCost(false);
  // The scale-down window of the predictive rule, each value beside the same rule without a forecast.
  const windows = [0, 150, 300].filter((w) => w !== cfg.predictiveScaleDownSeconds);
  const windowRuns = windows.flatMap((w) => {
    const c = { ...cfg, predictiveScaleDownSeconds: w };
    return [
      [`predictive, scale-down window ${w}s`, simulateAutoscaling(demand, predictivePolicy(lookupOver(testStart, n), capacity, c, margin), c)],
      [`same rule without forecast, scale-down window ${w}s`, simulateAutoscaling(demand, predictivePolicy(lookupOver(testStart, n, false), capacity, c, withoutForecast.margin), c)],
    ] as Array<[string, ReplayResult]>;
  });
  // The coverQuantile protocol: the same two rules at other quantiles, margins learnt on the same validation part (the
  // predictive one from the final forecaster's forecasts there, which the LSTM update has partly seen).
  const quantiles = [0.6, 0.65, 0.7, 0.8, 0.9].filter((q) => q !== cfg.coverQuantile);
  const quantileRuns = quantiles.flatMap((q) => {
    const c = { ...cfg, coverQuantile: q };
    const m = (withForecast: boolean) =>
      calibrateMargin({ ...lookupOver(calStart, testStart, withForecast), observed: series.observed, from: calStart, to: testStart }, c).margin;
    const [mp, mn] = [m(true), m(false)];
    return [
      [`predictive, coverQuantile ${q} (margin ${mp.toFixed(3)})`, simulateAutoscaling(demand, predictivePolicy(lookupOver(testStart, n), capacity, c, mp), c)],
      [`same rule without forecast, coverQuantile ${q} (margin ${mn.toFixed(3)})`, simulateAutoscaling(demand, predictivePolicy(lookupOver(testStart, n, false), capacity, c, mn), c)],
    ] as Array<[string, ReplayResult]>;
  });
  const pct = (a: number, b: number) => (b > 0 ? (100 * (a - b)) / b : 0);
  const row = (label: string, r: ReplayResult) => [
    label,
    r.underMinutes,
    `${pct(r.underMinutes, hpa.underMinutes).toFixed(1)}%`,
    r.replicaHours,
    `${pct(r.replicaHours, hpa.replicaHours).toFixed(1)}%`,
    r.peakReplicas,
    r.scaleEvents,
    r.scoredMinutes,
  ];
  printTable(
    `autoscale: ${fitted.path.split('/').slice(-2).join('/')} column ${fitted.column}, last ${fitted.testDays} d, ` +
      `capacity ${capacity.toFixed(2)}/replica, start-up ${cfg.podStartupSeconds}s, sync ${cfg.syncPeriodSeconds}s, ` +
      `metric window ${cfg.metricWindowSeconds}s, predictive scale-down window ${cfg.predictiveScaleDownSeconds}s, forecaster ${forecaster.chosen} (trained ${fitted.trainSeconds.toFixed(1)} s)`,
    ['policy', 'under-provisioned min', 'vs HPA', 'replica-hours', 'vs HPA', 'peak replicas', 'scale events', 'scored min'],
    [
      row('reactive HPA (baseline)', hpa),
      row(`predictive, margin ${margin.toFixed(3)} (config default, headline)`, predictive),
      row(`same rule without forecast, margin ${withoutForecast.margin.toFixed(3)}`, nowcast),
      row(`same rule without forecast at the predictive margin ${margin.toFixed(3)}`, nowcastSameMargin),
      row('predictive without margin (1.000)', noMargin),
      row(`diagnostic: predictive at the HPA's replica-hours (margin ${equalCost.margin.toFixed(3)}, set on the test)`, equalCost.result),
      row(`diagnostic: without forecast at the HPA's replica-hours (margin ${nowcastEqualCost.margin.toFixed(3)}, set on the test)`, nowcastEqualCost.result),
      ...windowRuns.map(([label, r]) => row(label, r)),
      ...quantileRuns.map(([label, r]) => row(label, r)),
      row('reactive HPA on an instant metric (reference)', hpaInstant),
    ],
  );
  console.log(
    `\nmargins at coverQuantile ${cfg.coverQuantile}: predictive from the forecaster's validation part (fit time), ` +
      `without forecast from the same ${(((testStart - calStart) * series.stepSeconds) / 86400).toFixed(2)} days ` +
      `(${withoutForecast.samples} ticks); forecasts ${forecastMsPerOrigin.toFixed(2)} ms per origin`,
  );
  forecaster.dispose();
  return {
    under_min: predictive.underMinutes,
    replica_h: predictive.replicaHours,
    hpa_under_min: hpa.underMinutes,
    hpa_replica_h: hpa.replicaHours,
    under_change_pct: pct(predictive.underMinutes, hpa.underMinutes),
    replica_h_change_pct: pct(predictive.replicaHours, hpa.replicaHours),
    margin,
    nowcast_under_min: nowcast.underMinutes,
    scale_events: predictive.scaleEvents,
    hpa_scale_events: hpa.scaleEvents,
    nowcast_scale_events: nowcast.scaleEvents,
    nowcast_replica_h: nowcast.replicaHours,
    nowcast_margin: withoutForecast.margin,
    nowcast_same_margin_under_min: nowcastSameMargin.underMinutes,
    nowcast_same_margin_replica_h: nowcastSameMargin.replicaHours,
    equal_cost_under_min: equalCost.result.underMinutes,
    nowcast_equal_cost_under_min: nowcastEqualCost.result.underMinutes,
    no_margin_under_min: noMargin.underMinutes,
    no_margin_replica_h: noMargin.replicaHours,
    hpa_instant_under_min: hpaInstant.underMinutes,
    hpa_instant_replica_h: hpaInstant.replicaHours,
    capacity,
    ...Object.fromEntries(
      quantileRuns.flatMap(([label, r]) => {
        const q = /coverQuantile ([\d.]+)/.exec(label)![1]!.replace('.', '');
        const kind = label.startsWith('predictive') ? 'q' : 'nowcast_q';
        return [
          [`${kind}${q}_under_min`, r.underMinutes],
          [`${kind}${q}_replica_h`, r.replicaHours],
          [`${kind}${q}_scale_events`, r.scaleEvents],
        ];
      }),
    ),
    ...Object.fromEntries(
      windowRuns.flatMap(([label, r]) => {
        const w = /(\d+)s$/.exec(label)![1];
        const kind = label.startsWith('predictive') ? 'window' : 'nowcast_window';
        return [
          [`${kind}_${w}_under_min`, r.underMinutes],
          [`${kind}_${w}_replica_h`, r.replicaHours],
          [`${kind}_${w}_scale_events`, r.scaleEvents],
        ];
      }),
    ),
  };
};
