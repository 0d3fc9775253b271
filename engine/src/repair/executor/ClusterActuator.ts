import type { KubeRef, KubeRequest } from '../actions/RepairAction.js';
import type { ClusterSnapshot } from '../types.js';

/** Reading the cluster: what the executor needs to plan, re-check and verify. */
export interface ClusterReader {
  /** The objects an action on something in `namespace` may touch (workloads, ReplicaSets, pods, HPAs, nodes). */
  snapshot(namespace: string): Promise<ClusterSnapshot>;
  /** One object, or undefined when it does not exist. */
  read(ref: KubeRef): Promise<Record<string, unknown> | undefined>;
}

/** Acting on the cluster: the only write path of the repair loop (server-side dry-run or for real). */
export interface ClusterWriter {
  /** Sends one request with its precondition; returns the object the API server answered with. */
  send(request: KubeRequest, options: { dryRun: boolean }): Promise<Record<string, unknown> | undefined>;
}

export type ClusterActuator = ClusterReader & ClusterWriter;
