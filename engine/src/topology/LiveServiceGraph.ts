import type { Logger } from 'pino';
import type { MetricsSource } from '../sources/metrics/MetricsSource.js';
import { collectGraph } from '../rca/collect/collectGraph.js';
import { redactText } from '../util/redact.js';
import type { ServiceEdge } from './ConfiguredServiceGraph.js';

export interface LiveServiceGraphOptions {
  metrics: MetricsSource;
  /** The operator's edges (ConfiguredServiceGraph), always part of the graph. */
  configured: () => Promise<ServiceEdge[]>;
  /** RCA's edge query and its labels (`rca.graph`); an empty query means the configured edges only. */
  edgeQuery: string;
  callerLabel: string;
  calleeLabel: string;
  namespace: string;
  rateWindow: string;
  /** How far back a caller → callee pair with traffic still counts as an edge, seconds. */
  lookbackSeconds: number;
  /** Unix seconds. */
  now: () => number;
  logger?: Logger;
}

/**
 * The service graph as an RCA sees it, for what needs it outside an analysis (alert grouping): the operator's edges
 * plus the caller → callee pairs the edge query finds over the last `lookbackSeconds` (collectGraph, the same code
 * RCA runs). Before, alert grouping read the configured edges only, so in the demo (no edges configured, the graph
 * comes from metrics) two alerts on checkout and payment, which call each other, opened two incidents.
 */
export class LiveServiceGraph {
  /** The metric edges of the last query that answered: a failed query keeps them rather than dropping every edge. */
  private lastFromMetrics: ServiceEdge[] = [];

  constructor(private readonly options: LiveServiceGraphOptions) {}

  async edges(): Promise<ServiceEdge[]> {
    const o = this.options;
    const configured = await o.configured();
    const end = o.now();
    const start = end - o.lookbackSeconds;
    const { graph, warnings } = await collectGraph(o.metrics, {
      configEdges: configured,
      edgeQuery: o.edgeQuery,
      callerLabel: o.callerLabel,
      calleeLabel: o.calleeLabel,
      namespace: o.namespace,
      rateWindow: o.rateWindow,
      window: { baselineStart: start, start, end },
      services: [],
    });
    if (warnings.length > 0) {
      for (const warning of warnings)
        o.logger?.warn(
          { warning: redactText(warning) },
          'service graph: metric edges unavailable, the last ones found are kept',
        );
      return mergeEdges(configured, this.lastFromMetrics);
    }
    this.lastFromMetrics = graph.edges
      .filter((e) => e.origin === 'metrics')
      .map(({ from, to }) => ({ from, to }));
    return graph.edges.map(({ from, to }) => ({ from, to }));
  }
}

function mergeEdges(a: ServiceEdge[], b: ServiceEdge[]): ServiceEdge[] {
  const seen = new Set(a.map((e) => `${e.from}\u0000${e.to}`));
  return [...a, ...b.filter((e) => !seen.has(`${e.from}\u0000${e.to}`))];
}
