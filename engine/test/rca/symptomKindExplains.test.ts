import { describe, expect, it } from 'vitest';
import { rcaConfigSchema } from '../../src/rca/config.js';
import { analyzeIncident } from '../../src/rca/analyzeIncident.js';
import type { RcaInput } from '../../src/rca/types.js';
import { graph, series, window } from './threeServices.js';

/**
 * With a target, only anomalies of its symptom's kind tie a candidate to its callers (rca.ranking.symptomKindExplains):
 * a callee that shows none of that kind neither clears its caller nor earns a bonus for explaining it. On
 * frontend → api → store (./threeServices.ts).
 */

const on = rcaConfigSchema.parse({});
const off = rcaConfigSchema.parse({ ranking: { symptomKindExplains: false } });
const ranking = (input: RcaInput, config = on) =>
  analyzeIncident(input, config).candidates.map((c) => c.service);

describe("only the target's symptom kind ties a candidate to its callers", () => {
  // The users see failures. api fails some requests and got slower; store, which api calls, got slower and busier
  // (api calls it more) but fails nothing: its slowness cannot have produced the failures.
  const failuresAboveSlowness = (target: RcaInput['target']): RcaInput => ({
    window,
    graph,
    target,
    series: [
      series('frontend', 'error_ratio', 1, 0.01, 0.002, 0.01),
      series('frontend', 'latency_p99', 2, 0.3, 0.01, 0.3),
      series('api', 'error_ratio', 3, 0.01, 0.002, 0.004),
      series('api', 'latency_p99', 4, 0.2, 0.01, 0.3),
      series('store', 'error_ratio', 5, 0.001, 0.0002, 0),
      series('store', 'latency_p99', 6, 0.05, 0.005, 0.3),
      series('store', 'request_rate', 8, 10, 0.5, 20),
    ],
  });

  it('ranks the failing service above a callee that only got slower and busier, for an error symptom', () => {
    expect(ranking(failuresAboveSlowness({ service: 'frontend', signal: 'error_ratio' }))[0]).toBe('api');
  });

  it("without the rule the callee's slowness clears the failing caller (the mechanism decides above)", () => {
    expect(ranking(failuresAboveSlowness({ service: 'frontend', signal: 'error_ratio' }), off)[0]).toBe(
      'store',
    );
  });

  it('keeps the slow callee first when the symptom is latency, which its slowness explains', () => {
    const latencyTarget = failuresAboveSlowness({ service: 'frontend', signal: 'latency_p99' });
    expect(ranking(latencyTarget)[0]).toBe('store');
    expect(ranking(latencyTarget)).toEqual(ranking(latencyTarget, off));
  });

  it('changes nothing without a target', () => {
    const noTarget = failuresAboveSlowness(undefined);
    expect(ranking(noTarget)).toEqual(ranking(noTarget, off));
  });
});
