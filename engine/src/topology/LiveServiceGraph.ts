import type { Logger } from 'pino';
import type { MetricsSource } from '../sources/metrics/MetricsSource.js';
import { collectGraph } from '../rca/collect/collectGraph.js';
import { redactText } from '../util/redact.js';
import type { ServiceEdge } from './ConfiguredServiceGraph.js';

export interface LiveServiceGraphOptions {
  /** Only instant queries: the edge query's pairs at the end of the look-back. */
  metrics: Pick<MetricsSource, 'instantQuery'>;
  /** The operator's edges (ConfiguredServiceGraph), always part of the graph. */
  configured: () => Promise<ServiceEdge[]>;
  /** RCA's edge query and its labels (`rca.graph`); an empty query means the configured edges only. */
  edgeQuery: string;
  callerLabel: string;
  calleeLabel: string;
  /** Namespaces the edge query runs in, one query each. */
  namespaces: string[];
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
    const found = await Promise.all(
      o.namespaces.map(async (namespace) => ({
        namespace,
        ...(await collectGraph(o.metrics, {
          configEdges: [],
          edgeQuery: o.edgeQuery,
          callerLabel: o.callerLabel,
          calleeLabel: o.calleeLabel,
          namespace,
          rateWindow: o.rateWindow,
          window: { baselineStart: start, start, end },
          services: [],
        })),
      })),
    );
    const warnings = found.flatMap((f) => f.warnings);
    if (warnings.length > 0) {
      for (const warning of warnings)
        o.logger?.warn(
          { warning: redactText(warning) },
          'service graph: metric edges unavailable, the last ones found are kept',
        );
      return mergeEdges(configured, this.lastFromMetrics);
    }
    this.lastFromMetrics = found.reduce<ServiceEdge[]>(
      (all, f) =>
        mergeEdges(
          all,
          f.graph.edges.map(({ from, to }) => ({ from, to, namespace: f.namespace })),
        ),
      [],
    );
    return mergeEdges(configured, this.lastFromMetrics);
  }
}

function mergeEdges(a: ServiceEdge[], b: ServiceEdge[]): ServiceEdge[] {
  const key = (e: ServiceEdge) => `${e.namespace ?? ''}\u0000${e.from}\u0000${e.to}`;
  const seen = new Set(a.map(key));
  return [...a, ...b.filter((e) => !seen.has(key(e)))];
}
