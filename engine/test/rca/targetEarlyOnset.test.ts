import { describe, expect, it } from 'vitest';
import { rcaConfigSchema } from '../../src/rca/config.js';
import { analyzeIncident } from '../../src/rca/analyzeIncident.js';
import type { RcaInput, SignalSeries } from '../../src/rca/types.js';

/**
 * A window that starts after the fault began (rca.anomaly.targetEarlyOnset): the target's latency stepped up two
 * rows before the given start, so the level just before the start (read before the 5-minute onset guard) already
 * holds the symptom and the target looks quiet from the start. Scored from the guard before the start, it is a step.
 * One point every 5 minutes, as in PetShop: 100 rows of baseline, 3 rows of incident.
 */
const step = 300;
const times = Array.from({ length: 103 }, (_, i) => i * step);
const window = { baselineStart: 0, start: 100 * step, end: 102 * step };
const wobble = (i: number, k: number) => (((i + 3) * (k + 7) * 7919) % 17) / 17 - 0.5;

function latency(service: string, k: number, from: number, shift: number): SignalSeries {
  return {
    service,
    signal: 'latency_p99',
    badDirection: 'up',
    timestamps: times,
    values: times.map((t, i) => 1 + 0.02 * wobble(i, k) + (t >= from ? shift : 0)),
  };
}

const input: RcaInput = {
  window,
  graph: { services: ['frontend', 'api'], edges: [{ from: 'frontend', to: 'api', origin: 'config' }] },
  target: { service: 'frontend', signal: 'latency_p99' },
  series: [latency('frontend', 1, window.start - 2 * step, 0.5), latency('api', 2, window.start - step, 0.5)],
};

describe('a target whose symptom began before the window', () => {
  it('is dated from the onset guard before the start and gets its cause', () => {
    const out = analyzeIncident(input, rcaConfigSchema.parse({}));
    expect(out.candidates[0]?.service).toBe('api');
  });

  it('without the earlier onset the target looks quiet: api is listed only as a lead of a quiet target', () => {
    const out = analyzeIncident(input, rcaConfigSchema.parse({ anomaly: { targetEarlyOnset: false } }));
    expect(out.candidates.map((c) => c.service)).toEqual(['api']);
    expect(out.reason).toMatch(/frontend\/latency_p99 shows no anomaly/);
    const strict = analyzeIncident(
      input,
      rcaConfigSchema.parse({ anomaly: { targetEarlyOnset: false }, ranking: { quietTargetLeads: false } }),
    );
    expect(strict.candidates).toEqual([]);
  });

  it('leaves a target that stayed quiet quiet', () => {
    const quiet = {
      ...input,
      series: [latency('frontend', 1, Infinity, 0), latency('api', 2, window.start - step, 0.5)],
    };
    const out = analyzeIncident(quiet, rcaConfigSchema.parse({}));
    expect(out.reason).toMatch(/frontend\/latency_p99 shows no anomaly/);
    expect(
      analyzeIncident(quiet, rcaConfigSchema.parse({ ranking: { quietTargetLeads: false } })).candidates,
    ).toEqual([]);
  });
});
