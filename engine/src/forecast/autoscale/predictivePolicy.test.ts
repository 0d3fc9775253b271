import { describe, expect, it } from 'vitest';
import { lookAheadSeconds, predictedDemand, predictivePolicy } from './predictivePolicy.js';
import { calibrateMargin } from './calibrateMargin.js';
import { demandAt, observedDemand, reactiveHpaPolicy, simulateAutoscaling } from './simulateAutoscaling.js';
import { configWith } from '../testing.js';
import { lookupOf, perfect, wave } from '../../../test/support/autoscaleWave.js';

const config = configWith().autoscale;
/** The default rule: the HPA's 300 s look-back. */
const lookBackOnly = config;

describe('predictive policy', () => {
  it('without a forecast, a hold or a margin and with the HPA look-back it is the HPA exactly, so the nowcast ablation differs only in the forecast', () => {
    const demand = wave(1200).map((x, i) => x * (1 + 0.15 * Math.sin(i * 2.9)));
    const replay = { start: 0, stepSeconds: 300, demand, from: 600, to: 1180, capacityPerReplica: 40 };
    const hpa = simulateAutoscaling(replay, reactiveHpaPolicy(40, config), config);
    const nowcast = simulateAutoscaling(
      replay,
      predictivePolicy(
        lookupOf(demand, () => undefined),
        40,
        lookBackOnly,
        1,
      ),
      lookBackOnly,
    );
    expect(nowcast).toEqual({ ...hpa, policy: 'predictive' });
    expect(hpa.scaleEvents).toBeGreaterThan(50);
  });

  it('predicts the demand one look-ahead from now: the true value with a perfect forecast; direction from the forecast', () => {
    const demand = wave(200);
    const now = 100 * 300 + 40;
    const replay = { start: 0, stepSeconds: 300, demand };
    const observed = observedDemand(replay, now, config.metricWindowSeconds);
    const truth = demandAt(replay, now + lookAheadSeconds(config));
    expect(predictedDemand(lookupOf(demand, perfect(demand)), now, observed, config)).toBeCloseTo(truth, 6);
    const rising = predictedDemand(
      lookupOf(demand, (o) => perfect(demand)(o).map((x, h) => x * (1 + 0.2 * (h + 1)))),
      now,
      observed,
      config,
    );
    const falling = predictedDemand(
      lookupOf(demand, (o) => perfect(demand)(o).map((x, h) => x * (1 - 0.05 * (h + 1)))),
      now,
      observed,
      config,
    );
    expect(rising).toBeGreaterThan(truth);
    expect(falling).toBeLessThan(truth);
    // Without a forecast the prediction is the observation itself.
    expect(
      predictedDemand(
        lookupOf(demand, () => undefined),
        now,
        observed,
        config,
      ),
    ).toBe(observed);
  });

  it('bounds what the forecast shape does to the live metric: at most double or half within one look-ahead', () => {
    const demand = new Array<number>(40).fill(1);
    const observed = 50;
    // Origin bin 19; the path's next bin (midpoint 6,150 s) is 1, the one after 1,000: just past 6,150 s the path is
    // near 1 and 75 s later near 300, a ratio of about 11.
    const spiking = predictedDemand(
      lookupOf(demand, () => [1, 1000, 1000]),
      6165,
      observed,
      config,
    );
    expect(spiking).toBe(2 * observed);
    // A path falling from 1,000 to nothing: about 528 now, 253 one look-ahead later (ratio 0.48).
    const falling = predictedDemand(
      lookupOf(demand, () => [1000, 0.001, 0.001]),
      6299,
      observed,
      config,
    );
    expect(falling).toBe(observed / 2);
    // Inside the bound the shape passes through unchanged.
    const gentle = predictedDemand(
      lookupOf(demand, () => [1, 1.5, 1.5]),
      6165,
      observed,
      config,
    );
    expect(gentle).toBeGreaterThan(observed);
    expect(gentle).toBeLessThan(1.5 * observed);
  });

  it('calibrateMargin measures the error of the predicted demand: a perfect forecast earns no margin, the live metric alone does', () => {
    const demand = wave(600);
    const perfectMargin = calibrateMargin(
      { ...lookupOf(demand, perfect(demand)), from: 100, to: 500 },
      config,
    );
    const nowcastMargin = calibrateMargin(
      { ...lookupOf(demand, () => undefined), from: 100, to: 500 },
      config,
    );
    expect(perfectMargin.margin).toBeCloseTo(1, 6);
    expect(nowcastMargin.margin).toBeGreaterThan(1.01);
  });

  it('calibrateMargin learns a wider margin for a bursty series than for a smooth one', () => {
    const smooth = Array.from({ length: 600 }, (_, i) => 300 + 200 * Math.sin((2 * Math.PI * i) / 96));
    const bursty = smooth.map((x, i) => x * (1 + 0.3 * Math.sin(i * 2.3) ** 2));
    const m = (d: number[]) =>
      calibrateMargin({ ...lookupOf(d, () => undefined), from: 100, to: 500 }, config);
    const a = m(smooth);
    const b = m(bursty);
    expect(a.samples).toBeGreaterThan(1000);
    expect(a.margin).toBeGreaterThanOrEqual(1);
    expect(b.margin).toBeGreaterThan(a.margin);
  });

  it('rejects a non-positive margin or capacity', () => {
    const demand = wave(50);
    expect(() =>
      predictivePolicy(
        lookupOf(demand, () => undefined),
        0,
        config,
        1,
      ),
    ).toThrow(/capacity/);
    expect(() =>
      predictivePolicy(
        lookupOf(demand, () => undefined),
        10,
        config,
        0,
      ),
    ).toThrow(/margin/);
  });
});
