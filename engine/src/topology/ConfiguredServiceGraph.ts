import type { Store } from '../store/Store.js';

export interface ServiceEdge {
  from: string;
  to: string;
  /**
   * The namespace the call was seen in (an edge the metrics found there); absent for an operator's edge, which holds
   * in every namespace. The same service names often run in several namespaces (staging and production), and a call
   * seen in one says nothing of the other.
   */
  namespace?: string;
}

const KEY = 'config:service-graph';

/**
 * The service graph an operator declared: from the config file, replaceable at run time by an admin. The
 * replacement is kept in the store so every replica sees it and it survives restarts.
 */
export class ConfiguredServiceGraph {
  constructor(
    private readonly store: Store,
    private readonly fromConfig: ServiceEdge[],
  ) {}

  async edges(): Promise<ServiceEdge[]> {
    const stored = await this.store.get(KEY);
    if (!stored) return this.fromConfig;
    return (JSON.parse(stored) as { edges: ServiceEdge[] }).edges;
  }

  async replace(edges: ServiceEdge[], changedBy: string): Promise<void> {
    await this.store.set(KEY, JSON.stringify({ edges, changedBy, changedAt: new Date().toISOString() }));
  }
}
