import type { ToolCallRecord } from '../schemas.js';
import type { ClusterTools } from './clusterTools.js';
import { diagnoseWorkload, type Diagnosis } from './diagnoseWorkload.js';

export interface LiveContext {
  /** What was read, in order, as shown to the user (and, with a model, given to it as tool results). */
  calls: Array<{ record: ToolCallRecord; output: string }>;
  /** The failure the state names, when there is one. */
  diagnosis?: Diagnosis;
}

/**
 * Reads a named workload before anything is retrieved: pods, events, the logs of its least healthy pod (the crashed
 * run's when it restarted: that is where the cause is printed) and the key metrics. The failure named from pods and
 * events then steers retrieval (its name is searched and rewarded by the reranker) and leads the answer.
 */
export async function readLiveContext(
  tools: ClusterTools,
  workload: string,
  namespace: string,
): Promise<LiveContext> {
  const calls: LiveContext['calls'] = [];
  const run = async (name: string, args: Record<string, unknown> = {}) => {
    const result = await tools.run(name, { workload, namespace, ...args });
    calls.push(result);
    return result;
  };
  const pods = await run('get_pods');
  await run('get_events');
  let diagnosis: Diagnosis | undefined;
  if (pods.record.ok) {
    try {
      const state = await tools.state(workload, namespace);
      diagnosis = diagnoseWorkload(state.pods, state.events);
      const restarted = state.pods.some((p) => p.restarts > 0);
      await run('get_logs', restarted ? { previous: true } : {});
    } catch {
      // The workload vanished between reads: what was read stays, without a diagnosis.
    }
  }
  await run('get_metrics');
  return { calls, ...(diagnosis ? { diagnosis } : {}) };
}
