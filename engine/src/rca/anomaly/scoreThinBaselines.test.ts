import { describe, expect, it } from 'vitest';
import { rcaConfigSchema } from '../config.js';
import type { IncidentWindow, SignalSeries } from '../types.js';
import { scoreThinBaselines } from './scoreThinBaselines.js';
import { describeBaseline, findOnset } from './findOnset.js';
import { analyzeIncident } from '../analyzeIncident.js';

const settings = rcaConfigSchema.parse({}).anomaly;
// Five 5-minute rows, two before the onset: no normal period, as in PetShop's temporal-traffic issues.
const window: IncidentWindow = { baselineStart: 0, start: 600, end: 1200 };
const times = [0, 300, 600, 900, 1200];
const latency = (service: string, values: number[]): SignalSeries => ({
  service,
  signal: 'latency',
  badDirection: 'up',
  timestamps: times,
  values,
});

describe('scoreThinBaselines', () => {
  it('scores series with two baseline points against the other services, and flags the borrowed scale', () => {
    // Eight services drift by a few percent between the periods; one doubles its latency.
    const calm = [0.97, 1.02, 1.0, 0.96, 1.04, 1.01, 0.99, 1.03].map((f, i) =>
      latency(`s${i}`, [1, 1, f, f, f]),
    );
    const slow = latency('search', [1, 1, 2, 2.1, 1.9]);
    const scored = scoreThinBaselines([...calm, slow], window, settings);
    expect(scored).toHaveLength(9);
    const top = scored.slice().sort((a, b) => b.score - a.score)[0]!;
    expect(top.series.service).toBe('search');
    expect(top.score).toBeGreaterThan(settings.threshold);
    expect(scored.filter((a) => a.score >= settings.threshold)).toHaveLength(1);
    expect(top.thinBaseline).toBe(true);
    const baseline = describeBaseline(scored, window);
    expect(baseline).toMatchObject({ kind: 'across-services', trust: 'low', points: 2 });
    // Borrowed scales carry no timing: the onset stays the window's.
    expect(findOnset(scored, window, undefined, settings.threshold)).toEqual({ time: 600, source: 'window' });
  });

  it('says nothing with too few services to borrow a scale from', () => {
    expect(
      scoreThinBaselines([latency('a', [1, 1, 2, 2, 2]), latency('b', [1, 1, 1, 1, 1])], window, settings),
    ).toEqual([]);
  });

  it('gives a ranked, low-trust answer when there is no normal period, even if the symptom barely moved', () => {
    const calm = [0.97, 1.02, 1.0, 0.96, 1.04, 1.01, 0.99, 1.03].map((f, i) =>
      latency(`s${i}`, [1, 1, f, f, f]),
    );
    const slow = latency('search', [1, 1, 2, 2.1, 1.9]);
    const front = latency('site', [1, 1, 1.03, 1.05, 1.02]);
    const config = rcaConfigSchema.parse({});
    const input = {
      window,
      target: { service: 'site', signal: 'latency' },
      series: [...calm, slow, front],
      graph: { services: [], edges: [] },
    };
    const out = analyzeIncident(input, config);
    expect(out.baseline.kind).toBe('across-services');
    expect(out.candidates[0]?.service).toBe('search');
    expect(out.baseline.trust).toBe('low');
    // Without the borrowed scale nothing could be scored, and the issue got no candidate at all.
    const off = analyzeIncident(input, {
      ...config,
      anomaly: { ...config.anomaly, scoreThinBaselines: false },
    });
    expect(off.candidates).toEqual([]);
  });
});
