import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrometheusMetricsSource } from '../../src/sources/metrics/PrometheusMetricsSource.js';
import { signalSchema, type SignalDefinition } from '../../src/config/schema.js';
import { rcaConfigSchema } from '../../src/rca/config.js';
import { collectMetrics } from '../../src/rca/collect/collectMetrics.js';
import { analyzeIncident } from '../../src/rca/analyzeIncident.js';
import { xrayPerspective } from '../../bench/rca/loadPetshop.js';
import {
  openMetricsFromSeries,
  petshopIncident,
  petshopSamples,
  startPrometheus,
  type PrometheusServer,
} from '../support/index.js';

/**
 * A PetShop incident (CC BY 4.0, Amazon.com, Inc.; see fixtures/rca/petshop/NOTICE.md) backfilled into a real
 * Prometheus, read back through the engine's PromQL path (PrometheusMetricsSource + the signal templates) and
 * analysed: the answer must be the dataset's ground truth and identical to the analysis of the same data in memory.
 */
const NAMESPACE = 'petshop';
const STEP = 300;

const { target, reference } = petshopIncident();
const config = rcaConfigSchema.parse({});

/** One engine signal per dataset metric and statistic, e.g. `latency_average` → petshop_latency{statistic="Average"}. */
const signals: SignalDefinition[] = [...new Set(reference.series.map((s) => s.signal))].map((name) => {
  const [metric, statistic] = name.split('_') as [string, string];
  return signalSchema.parse({
    name: name.toLowerCase(),
    query: `petshop_${metric}{namespace="$namespace",statistic="${statistic}"}`,
    badDirection: reference.series.find((s) => s.signal === name)!.badDirection,
    // requests_Sum is a number of requests per point, which the analysis treats as a count.
    events: reference.series.find((s) => s.signal === name)!.eventsPerUnit === 1 ? 'count' : 'none',
  });
});

let prometheus: PrometheusServer;
let source: PrometheusMetricsSource;

beforeAll(async () => {
  prometheus = await startPrometheus({
    openMetrics: openMetricsFromSeries(petshopSamples(reference, NAMESPACE)),
  });
  source = new PrometheusMetricsSource({ url: prometheus.url, timeoutSeconds: 10 });
});

afterAll(async () => {
  await prometheus?.stop();
});

describe('RCA of a PetShop incident through a real Prometheus', () => {
  it('reads back every series exactly through the signal templates', async () => {
    const { series, warnings } = await collectMetrics(source, signals, {
      namespace: NAMESPACE,
      serviceLabel: 'service',
      rateWindow: '5m',
      stepSeconds: STEP,
      window: reference.window,
    });
    expect(warnings).toEqual([]);
    const expected = reference.series.filter((s) => s.values.some(Number.isFinite));
    expect(series).toHaveLength(expected.length);
    for (const want of expected) {
      const got = series.find((s) => s.service === want.service && s.signal === want.signal.toLowerCase())!;
      expect(got, `${want.service}/${want.signal}`).toBeDefined();
      expect(got.eventsPerUnit, `${want.service}/${want.signal} eventsPerUnit`).toBe(want.eventsPerUnit);
      const wantPoints = want.timestamps
        .map((t, i) => [t, want.values[i]!] as const)
        .filter(([, v]) => Number.isFinite(v));
      expect(got.timestamps).toEqual(wantPoints.map(([t]) => t));
      got.values.forEach((v, i) => expect(v).toBeCloseTo(wantPoints[i]![1], 9));
    }
  });

  it('ranks the ground-truth root cause first, as the in-memory analysis does, with PromQL that opens', async () => {
    const collected = await collectMetrics(source, signals, {
      namespace: NAMESPACE,
      serviceLabel: 'service',
      rateWindow: '5m',
      stepSeconds: STEP,
      window: reference.window,
    });
    // What X-Ray's node names say about who measured a series is dataset knowledge, applied as the loader does.
    const series = collected.series.map((s) => ({ ...s, ...xrayPerspective(s.service) }));
    expect(series.filter((s) => s.perspective === 'client').length).toBe(
      reference.series.filter((s) => s.perspective === 'client' && s.values.some(Number.isFinite)).length,
    );
    const viaPrometheus = analyzeIncident(
      {
        ...reference,
        series,
        target: {
          service: target.target.node,
          signal: `${target.target.metric}_${target.target.agg}`.toLowerCase(),
        },
      },
      config,
    );
    const inMemory = analyzeIncident(reference, config);

    expect(viaPrometheus.candidates[0]?.service).toBe(target.root_cause.node);
    expect(viaPrometheus.candidates.map((c) => c.service)).toEqual(inMemory.candidates.map((c) => c.service));

    const top = viaPrometheus.candidates[0]!;
    const metric = top.evidence.metrics[0]!;
    expect(metric.deviation).toBeGreaterThan(config.anomaly.threshold);
    expect(metric.promql).toContain(`service="${top.service}"`);
    const opened = await source.rangeQuery({
      query: metric.promql!,
      start: reference.window.start,
      end: reference.window.end,
      stepSeconds: STEP,
    });
    expect(opened).toHaveLength(1);
    expect(opened[0]!.labels.service).toBe(top.service);
  });
});
