import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RcaInput } from '../../src/rca/types.js';
import { petshopInput, readPetshopGraph, readPetshopTable } from '../../bench/rca/loadPetshop.js';
import type { OpenMetricsSeries } from './openMetricsFromSeries.js';

const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'rca', 'petshop');

export interface PetshopIncident {
  /** The dataset's target (the symptom) and its ground-truth root cause. */
  target: {
    target: { node: string; metric: string; agg: string; timestamp: number };
    root_cause: { node: string };
  };
  /** The incident as the RCA reads it in memory, the reference a read through a metrics store must match. */
  reference: RcaInput;
}

/**
 * The PetShop incident in test/fixtures/rca/petshop (CC BY 4.0, Amazon.com, Inc.; see its NOTICE.md): the data of
 * the tests that backfill it into a real metrics store and analyse it read back through the engine.
 */
export function petshopIncident(): PetshopIncident {
  const target = JSON.parse(readFileSync(join(FIXTURE, 'target.json'), 'utf8')) as PetshopIncident['target'];
  const reference = petshopInput(
    readPetshopGraph(join(FIXTURE, 'graph.csv')),
    readPetshopTable(join(FIXTURE, 'noissue.csv')),
    readPetshopTable(join(FIXTURE, 'issue.csv')),
    target.target.timestamp,
    target.target,
  );
  return { target, reference };
}

/**
 * The incident's series as samples to backfill: one `petshop_<metric>` series per service and statistic (e.g.
 * `latency_Average` → petshop_latency{statistic="Average"}), labelled with `namespace`, missing points left out and
 * series with no point at all dropped.
 */
export function petshopSamples(reference: RcaInput, namespace: string): OpenMetricsSeries[] {
  return reference.series
    .map((s) => {
      const [metric, statistic] = s.signal.split('_') as [string, string];
      const keep = s.values.map((v, i) => (Number.isFinite(v) ? i : -1)).filter((i) => i >= 0);
      return {
        name: `petshop_${metric}`,
        labels: { namespace, service: s.service, statistic },
        timestamps: keep.map((i) => s.timestamps[i]!),
        values: keep.map((i) => s.values[i]!),
      };
    })
    .filter((s) => s.values.length > 0);
}
