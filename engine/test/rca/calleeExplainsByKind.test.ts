import { describe, expect, it } from 'vitest';
import { rcaConfigSchema } from '../../src/rca/config.js';
import { analyzeIncident } from '../../src/rca/analyzeIncident.js';
import type { RcaInput } from '../../src/rca/types.js';
import { graph, series, window } from './threeServices.js';

/**
 * A callee explains its caller's anomaly only through what travels up a call: its latency the caller's latency, its
 * errors the caller's errors (rca.ranking.calleeExplainsByKind). On frontend → api → store
 * (./threeServices.ts).
 */

// symptomKindExplains off in both: it also decides the first case (test/rca/symptomKindExplains.test.ts); this file
// isolates the by-kind rule.
const byKind = rcaConfigSchema.parse({ ranking: { symptomKindExplains: false } });
const wholeEvidence = rcaConfigSchema.parse({
  ranking: { calleeExplainsByKind: false, symptomKindExplains: false },
});
const ranking = (input: RcaInput, config = byKind) =>
  analyzeIncident(input, config).candidates.map((c) => c.service);

describe('a callee explains its callers only by the kinds of anomaly that propagate', () => {
  // api fails requests (and is a little slower); store, which api calls, got much slower but fails nothing.
  const errorsBelowSlowness: RcaInput = {
    window,
    graph,
    target: { service: 'frontend', signal: 'error_ratio' },
    series: [
      series('frontend', 'error_ratio', 1, 0.01, 0.002, 0.02),
      series('frontend', 'latency_p99', 2, 0.3, 0.01, 0.05),
      series('api', 'error_ratio', 3, 0.01, 0.002, 0.02),
      series('api', 'latency_p99', 4, 0.2, 0.01, 0.05),
      series('store', 'error_ratio', 5, 0.001, 0.0002, 0),
      series('store', 'latency_p99', 6, 0.05, 0.001, 0.016),
    ],
  };

  it('ranks the service whose errors nothing below it explains above a callee that only got slower', () => {
    expect(ranking(errorsBelowSlowness)[0]).toBe('api');
  });

  it('with the whole evidence explained by any callee anomaly, the slow callee wins (the mechanism decides above)', () => {
    expect(ranking(errorsBelowSlowness, wholeEvidence)[0]).toBe('store');
  });

  // api's CPU saturated (and it got slower); store's latency moved a little. A callee's slowness cannot explain the
  // caller's own CPU.
  const saturatedCaller: RcaInput = {
    window,
    graph,
    series: [
      series('frontend', 'latency_p99', 2, 0.3, 0.01, 0),
      series('api', 'cpu_usage', 7, 0.3, 0.01, 0.15),
      series('api', 'latency_p99', 4, 0.2, 0.01, 0.04),
      series('store', 'latency_p99', 6, 0.05, 0.005, 0.02),
    ],
  };

  it("keeps a caller's own saturation as its evidence when a callee's latency explains its latency", () => {
    expect(ranking(saturatedCaller)[0]).toBe('api');
    expect(ranking(saturatedCaller, wholeEvidence)[0]).toBe('store');
  });

  it('still puts a slow callee first when it explains the same kind of symptom in its caller', () => {
    const slowBelowSlow: RcaInput = {
      window,
      graph,
      target: { service: 'frontend', signal: 'latency_p99' },
      series: [
        series('frontend', 'latency_p99', 2, 0.3, 0.01, 0.5),
        series('api', 'latency_p99', 4, 0.2, 0.01, 0.5),
        series('store', 'latency_p99', 6, 0.05, 0.005, 0.3),
      ],
    };
    expect(ranking(slowBelowSlow)[0]).toBe('store');
  });
});
