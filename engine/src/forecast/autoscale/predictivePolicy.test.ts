import { describe, expect, it } from 'vitest';
import { predictedPeak, predictivePolicy, replicasWithinBand, type ForecastLookup } from './predictivePolicy.js';
import { calibrateMargin } from './calibrateMargin.js';
import { demandAt, observedDemand, reactiveHpaPolicy, simulateAutoscaling } from './simulateAutoscaling.js';
import { configWith } from '../testing.js';

const config = configWith().autoscale;

/** A daily-like wave in 5-minute bins with a deterministic wobble, so neither policy has it easy. */
function wave(bins: number): number[] {
  return Array.from({ length: bins }, (_, i) => 300 + 200 * Math.sin((2 * Math.PI * i) / 96) + 30 * Math.sin(i * 1.7));
}

const lookupOf = (demand: number[], forecast: ForecastLookup['forecast']): ForecastLookup => ({ start: 0, stepSeconds: 300, demand, forecast });
const perfect = (demand: number[]) => (o: number) => demand.slice(o + 1, o + 13);

describe('predictive policy', () => {
  it('replicasWithinBand keeps demand inside target × (1 + tolerance)', () => {
    expect(replicasWithinBand(110, 10, config)).toBe(10);
    expect(replicasWithinBand(110.5, 10, config)).toBe(11);
    expect(replicasWithinBand(0, 10, config)).toBe(0);
  });

  it('with a perfect forecast and the true metric it predicts the true peak of the coming window; direction comes from the forecast', () => {
    const demand = wave(200);
    const now = 100 * 300 + 40;
    const replay = { start: 0, stepSeconds: 300, demand };
    const observed = observedDemand(replay, now, config.metricWindowSeconds);
    let truePeak = 0;
    for (let t = now; t <= now + config.podStartupSeconds + config.syncPeriodSeconds; t += 5) truePeak = Math.max(truePeak, demandAt(replay, t));
    expect(predictedPeak(lookupOf(demand, perfect(demand)), now, observed, config)).toBeCloseTo(truePeak, 6);
    const rising = predictedPeak(lookupOf(demand, (o) => perfect(demand)(o).map((x, h) => x * (1 + 0.2 * (h + 1)))), now, observed, config);
    const falling = predictedPeak(lookupOf(demand, (o) => perfect(demand)(o).map((x, h) => x * (1 - 0.05 * (h + 1)))), now, observed, config);
    expect(rising).toBeGreaterThan(truePeak);
    expect(falling).toBeLessThan(truePeak);
    // Without a forecast the prediction is the observation itself.
    expect(predictedPeak(lookupOf(demand, () => undefined), now, observed, config)).toBe(observed);
  });

  it('calibrateMargin learns a wider margin for a bursty series than for a smooth one', () => {
    const smooth = Array.from({ length: 600 }, (_, i) => 300 + 200 * Math.sin((2 * Math.PI * i) / 96));
    const bursty = smooth.map((x, i) => x * (1 + 0.3 * Math.sin(i * 2.3) ** 2));
    const m = (d: number[]) => calibrateMargin({ ...lookupOf(d, () => undefined), from: 100, to: 500 }, config);
    const a = m(smooth);
    const b = m(bursty);
    expect(a.samples).toBeGreaterThan(1000);
    expect(a.margin).toBeGreaterThanOrEqual(1);
    expect(b.margin).toBeGreaterThan(a.margin);
  });

  it('with a perfect forecast and a learnt margin it cuts the HPA under-provisioning for fewer replica-hours', () => {
    const demand = wave(1200);
    const lookup = lookupOf(demand, perfect(demand));
    const { margin } = calibrateMargin({ ...lookup, from: 100, to: 600 }, config);
    const replay = { start: 0, stepSeconds: 300, demand, from: 600, to: 1180, capacityPerReplica: 40 };
    const hpa = simulateAutoscaling(replay, reactiveHpaPolicy(40, config), config);
    const predictive = simulateAutoscaling(replay, predictivePolicy(lookup, 40, config, margin), config);
    expect(hpa.underMinutes).toBeGreaterThan(10);
    expect(predictive.underMinutes).toBeLessThan(hpa.underMinutes / 2);
    expect(predictive.replicaHours).toBeLessThanOrEqual(hpa.replicaHours);
  });

  it('rejects a non-positive margin or capacity', () => {
    const demand = wave(50);
    expect(() => predictivePolicy(lookupOf(demand, () => undefined), 0, config, 1)).toThrow(/capacity/);
    expect(() => predictivePolicy(lookupOf(demand, () => undefined), 10, config, 0)).toThrow(/margin/);
  });
});
