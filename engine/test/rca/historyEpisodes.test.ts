import { describe, expect, it } from 'vitest';
import { rcaConfigSchema } from '../../src/rca/config.js';
import { scoreSeries } from '../../src/rca/anomaly/scoreSeries.js';
import { analyzeIncident } from '../../src/rca/analyzeIncident.js';
import type { RcaInput, SignalSeries } from '../../src/rca/types.js';

/**
 * The history check (rca.anomaly.historyQuantile) holds back a level the baseline already reached. A level reached
 * only in an earlier incident (fewer than rca.anomaly.historyEpisodes short episodes that ended, default 4) is not the
 * signal's habit: the same fault again on the same service is news. Traffic keeps the plain check (load swings).
 * Synthetic series, one point a minute: an hour of baseline, then 15 minutes of incident.
 */
const times = Array.from({ length: 75 }, (_, i) => i * 60);
const window = { baselineStart: 0, start: 3600, end: 4440 };
const wobble = (i: number) => (((i + 3) * 7 * 7919) % 17) / 17 - 0.5;

function series(
  service: string,
  signal: string,
  base: number,
  rise: number,
  excursions: Array<[number, number]>,
): SignalSeries {
  return {
    service,
    signal,
    badDirection: 'up',
    timestamps: times,
    values: times.map((t, i) => {
      const earlier = excursions.some(([from, to]) => t >= from && t < to) ? rise : 0;
      return base * (1 + 0.03 * wobble(i)) + earlier + (t >= window.start ? rise : 0);
    }),
  };
}

const defaults = rcaConfigSchema.parse({});
const anyLevelSeen = rcaConfigSchema.parse({ anomaly: { historyEpisodes: 1 } });
const { threshold } = defaults.anomaly;
const score = (s: SignalSeries, config = defaults) => scoreSeries(s, window, config.anomaly)!.score;

describe('history check sets earlier incidents aside', () => {
  it('scores a level one earlier incident reached as anomalous, and says so', () => {
    const cpu = series('db', 'cpu_usage', 0.3, 0.3, [[1200, 1800]]);
    const scored = scoreSeries(cpu, window, defaults.anomaly)!;
    expect(scored.score).toBeGreaterThanOrEqual(threshold);
    expect(scored.earlierIncident).toBe(true);
    // Counting any level reached as usual (historyEpisodes 1, the behaviour before), the same change stays under it.
    expect(score(cpu, anyLevelSeen)).toBeLessThan(threshold);
  });

  it('still holds back a level reached again and again, or held for most of the baseline', () => {
    const periodic = series('db', 'cpu_usage', 0.3, 0.3, [
      [300, 420],
      [1200, 1320],
      [2100, 2220],
      [3000, 3120],
    ]);
    expect(score(periodic)).toBeLessThan(threshold);
    const long = series('db', 'cpu_usage', 0.3, 0.3, [[0, 2100]]);
    expect(scoreSeries(long, window, defaults.anomaly)!.earlierIncident).toBeUndefined();
  });

  it('keeps the plain check for traffic: a request rate an earlier episode reached is load', () => {
    const requests = series('db', 'request_rate', 50, 50, [[1200, 1800]]);
    expect(score(requests)).toBeLessThan(threshold);
  });

  it('ranks the service the same fault hit again first, and reports the baseline as holding an earlier incident', () => {
    // db's CPU saturated 40 minutes ago (healed) and again now; a callee of web shows a small, fresh latency rise.
    const input: RcaInput = {
      window,
      series: [
        series('db', 'cpu_usage', 0.3, 0.3, [[1200, 1800]]),
        series('cache', 'latency_seconds', 0.1, 0.02, []),
        series('web', 'cpu_usage', 0.2, 0, []),
      ],
      graph: {
        services: ['web', 'db', 'cache'],
        edges: [
          { from: 'web', to: 'db', origin: 'config' },
          { from: 'web', to: 'cache', origin: 'config' },
        ],
      },
    };
    const result = analyzeIncident(input, defaults);
    expect(result.candidates[0]?.service).toBe('db');
    expect(result.baseline).toMatchObject({ kind: 'own-history', trust: 'medium', earlierIncidents: 1 });
    const before = analyzeIncident(input, anyLevelSeen);
    expect(before.candidates[0]?.service).toBe('cache');
    expect(before.baseline).toMatchObject({ trust: 'high', earlierIncidents: 0 });
  });
});
