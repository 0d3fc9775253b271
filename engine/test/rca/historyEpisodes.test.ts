import { describe, expect, it } from 'vitest';
import { rcaConfigSchema } from '../../src/rca/config.js';
import { scoreSeries } from '../../src/rca/anomaly/scoreSeries.js';
import type { SignalSeries } from '../../src/rca/types.js';

/**
 * The history check (rca.anomaly.historyQuantile) holds back a level the baseline already reached; with
 * rca.anomaly.historyEpisodes 2 (opt-in, default 1) it must have reached it in two separate episodes: one earlier
 * excursion is an earlier incident (a healed fault), a level reached again and again is how the signal behaves.
 * Synthetic CPU series, one point a minute: an hour of baseline, then 15 minutes of incident at +0.3.
 */
const times = Array.from({ length: 75 }, (_, i) => i * 60);
const window = { baselineStart: 0, start: 3600, end: 4440 };
const wobble = (i: number) => (((i + 3) * 7 * 7919) % 17) / 17 - 0.5;

function cpu(excursions: Array<[number, number]>): SignalSeries {
  return {
    service: 'api',
    signal: 'cpu_usage',
    badDirection: 'up',
    timestamps: times,
    values: times.map((t, i) => {
      const earlier = excursions.some(([from, to]) => t >= from && t < to) ? 0.4 : 0;
      return 0.3 + 0.01 * wobble(i) + earlier + (t >= window.start ? 0.3 : 0);
    }),
  };
}

const config = rcaConfigSchema.parse({ anomaly: { historyEpisodes: 2 } });
const oneEpisode = rcaConfigSchema.parse({});

describe('history check counts episodes', () => {
  it('scores a level one earlier incident reached as anomalous', () => {
    const series = cpu([[1200, 1800]]);
    expect(scoreSeries(series, window, config.anomaly)!.score).toBeGreaterThanOrEqual(config.anomaly.threshold);
    // With a single episode enough to call the level usual (the default), the same change stays under the threshold.
    expect(scoreSeries(series, window, oneEpisode.anomaly)!.score).toBeLessThan(config.anomaly.threshold);
  });

  it('still holds back a level the baseline reached in separate episodes', () => {
    const series = cpu([[600, 900], [2100, 2400]]);
    expect(scoreSeries(series, window, config.anomaly)!.score).toBeLessThan(config.anomaly.threshold);
  });
});
