import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrometheusMetricsSource } from '../../src/sources/metrics/PrometheusMetricsSource.js';
import { LiveServiceGraph } from '../../src/topology/LiveServiceGraph.js';
import { openMetricsFromSeries, startPrometheus, type PrometheusServer } from '../support/index.js';

/**
 * The graph alerts group along, read from a real Prometheus: the configured edges plus the client request series
 * RCA's default edge query finds, in each namespace asked for; a source that stops answering keeps the edges last found.
 */
const T = 1_700_000_000;
const timestamps = Array.from({ length: 40 }, (_, i) => T + i * 15);
const calls = (namespace: string, service: string, target: string) => ({
  name: 'http_client_requests_total',
  type: 'counter' as const,
  labels: { namespace, service, target },
  timestamps,
  values: timestamps.map((_, i) => 10 * i),
});
const EDGE_QUERY =
  'sum by (service, target) (rate(http_client_requests_total{namespace="$namespace"}[$window]))';

describe('LiveServiceGraph', () => {
  let prometheus: PrometheusServer;

  beforeAll(async () => {
    prometheus = await startPrometheus({
      openMetrics: openMetricsFromSeries([
        calls('shop', 'checkout', 'payment'),
        calls('billing', 'invoices', 'ledger'),
      ]),
    });
  }, 60_000);
  afterAll(async () => {
    await prometheus?.stop();
  });

  const graph = (metrics: Pick<PrometheusMetricsSource, 'instantQuery'>, namespaces: string[]) =>
    new LiveServiceGraph({
      metrics,
      configured: async () => [{ from: 'frontend', to: 'checkout' }],
      edgeQuery: EDGE_QUERY,
      callerLabel: 'service',
      calleeLabel: 'target',
      namespaces,
      rateWindow: '5m',
      lookbackSeconds: 600,
      now: () => T + 39 * 15,
    });
  const source = (url: string) => new PrometheusMetricsSource({ url, timeoutSeconds: 2 });

  it('adds the edges the query finds in every namespace asked for to the configured ones', async () => {
    // Each edge the metrics found carries the namespace it was seen in (alerts cross it only there); the configured
    // edge carries none and holds everywhere.
    const key = (edges: Array<{ from: string; to: string; namespace?: string }>) =>
      edges.map((e) => `${e.namespace ?? '*'}:${e.from}>${e.to}`).sort();
    expect(key(await graph(source(prometheus.url), ['shop']).edges())).toEqual([
      '*:frontend>checkout',
      'shop:checkout>payment',
    ]);
    expect(key(await graph(source(prometheus.url), ['shop', 'billing']).edges())).toEqual([
      '*:frontend>checkout',
      'billing:invoices>ledger',
      'shop:checkout>payment',
    ]);
  }, 30_000);

  it('keeps the edges last found while the source does not answer', async () => {
    // Queries go to the real Prometheus, then to a port nothing listens on.
    let current = source(prometheus.url);
    const live = graph({ instantQuery: (query, time) => current.instantQuery(query, time) }, ['shop']);
    const first = await live.edges();
    current = source('http://127.0.0.1:9');
    expect(await live.edges()).toEqual(first);
  }, 30_000);
});
