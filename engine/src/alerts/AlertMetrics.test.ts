import { Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { AlertMetrics } from './AlertMetrics.js';
import type { PipelineCounters } from './AlertPipeline.js';

const counters: PipelineCounters = {
  deliveries: 0,
  alerts: 0,
  accepted: 0,
  duplicates: 0,
  stale: 0,
  incidents: 0,
  notifications: 0,
  notificationDelayMsSum: 0,
  truncatedAlerts: 0,
};
const NAME = 'aicloudops_alert_ingest_seconds';

/** The ingest histogram's lines of a registry's exposition (HELP and TYPE included). */
async function ingestLines(registry: Registry): Promise<string[]> {
  return (await registry.metrics())
    .split('\n')
    .filter(
      (line) =>
        line.startsWith(NAME) || line.startsWith(`# HELP ${NAME} `) || line.startsWith(`# TYPE ${NAME} `),
    );
}

describe('AlertMetrics ingest histogram', () => {
  it('renders what prom-client Histogram renders for the same observations', async () => {
    const ours = new Registry();
    const metrics = new AlertMetrics(ours, () => counters);
    const reference = new Registry();
    const histogram = new Histogram({
      name: NAME,
      help: 'Time from receipt of an alert delivery to grouped (stage="grouped") and to durably stored (stage="stored")',
      labelNames: ['stage'],
      buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5],
      registers: [reference],
    });
    expect(await ingestLines(ours)).toEqual(await ingestLines(reference));
    // Bucket edges, values past the last bucket, and 'stored' seen first (label sets render in first-seen order).
    const observations: Array<['grouped' | 'stored', number]> = [
      ['stored', 0.0005],
      ['grouped', 0.001],
      ['grouped', 5],
      ['stored', 7.5],
      ['grouped', 0],
    ];
    let x = 7;
    for (let i = 0; i < 500; i++) {
      x = (x * 48271) % 2147483647;
      observations.push([i % 3 === 0 ? 'stored' : 'grouped', (x / 2147483647) ** 3 * 3]);
    }
    for (const [stage, seconds] of observations) {
      metrics.observeIngest(stage, seconds);
      histogram.observe({ stage }, seconds);
    }
    const lines = await ingestLines(ours);
    expect(lines).toEqual(await ingestLines(reference));
    expect(lines).toContain(`${NAME}_count{stage="stored"} 169`);
  });

  it('starts again from nothing when the registry resets its metrics', async () => {
    const registry = new Registry();
    const metrics = new AlertMetrics(registry, () => counters);
    metrics.observeIngest('grouped', 0.003);
    registry.resetMetrics();
    expect((await ingestLines(registry)).filter((line) => line.startsWith(NAME))).toEqual([]);
    metrics.observeIngest('stored', 0.003);
    expect(await ingestLines(registry)).toContain(`${NAME}_bucket{le="0.005",stage="stored"} 1`);
  });
});
