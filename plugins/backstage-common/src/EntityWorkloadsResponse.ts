import type { WorkloadHealth } from '@ai-cloudops/engine-client';
import type { WorkloadTarget } from './resolveWorkloadTarget';

/** One cluster's answer: its workloads, or why they could not be read. */
export interface ClusterWorkloads {
  cluster: string;
  workloads: WorkloadHealth[];
  error?: { name: string; message: string; statusCode?: number };
}

/** What the backend's entity-workloads route sends and the entity page reads. */
export interface EntityWorkloadsResponse {
  entityRef: string;
  target: WorkloadTarget;
  items: ClusterWorkloads[];
}
