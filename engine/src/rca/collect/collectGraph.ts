import type { MetricsSource } from '../../sources/metrics/MetricsSource.js';
import type { IncidentWindow, ServiceEdge, ServiceGraph } from '../types.js';
import { renderSignalQuery } from './collectMetrics.js';

export interface CollectGraphOptions {
  configEdges: Array<{ from: string; to: string }>;
  /** PromQL whose series name a caller and a callee (e.g. client request rates); empty to skip. */
  edgeQuery: string;
  callerLabel: string;
  calleeLabel: string;
  namespace: string;
  rateWindow: string;
  window: IncidentWindow;
  services: string[];
}

/**
 * The service graph: edges from config, merged with edges learned from request metrics between services (any series
 * of the edge query with both labels and a non-zero value in the window). Failures leave the config edges only.
 */
export async function collectGraph(
  source: Pick<MetricsSource, 'instantQuery'>,
  options: CollectGraphOptions,
): Promise<{ graph: ServiceGraph; warnings: string[] }> {
  const warnings: string[] = [];
  const edges: ServiceEdge[] = options.configEdges.map((e) => ({ ...e, origin: 'config' as const }));
  const seen = new Set(edges.map((e) => `${e.from}\u0000${e.to}`));
  if (options.edgeQuery) {
    try {
      const query = renderSignalQuery(options.edgeQuery, options.namespace, options.rateWindow);
      const samples = await source.instantQuery(query, options.window.end);
      for (const sample of samples) {
        const from = sample.labels[options.callerLabel];
        const to = sample.labels[options.calleeLabel];
        if (!from || !to || from === to || !(sample.value > 0)) continue;
        const key = `${from}\u0000${to}`;
        if (seen.has(key)) continue;
        seen.add(key);
        edges.push({ from, to, origin: 'metrics' });
      }
    } catch (error) {
      warnings.push(`service graph from metrics: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const services = [...new Set([...options.services, ...edges.flatMap((e) => [e.from, e.to])])].sort();
  return { graph: { services, edges }, warnings };
}
