import type { EngineClient } from '@ai-cloudops/engine-client';
import {
  ENGINE_UNREACHABLE,
  type ClusterWorkloads,
  type EntityWorkloadsResponse,
  type WorkloadTarget,
} from '@ai-cloudops/backstage-plugin-common';
import { fetchFailure } from './EngineProxy';

/** Stands for "the engine itself" when it cannot even list its clusters. */
export const ENGINE_ENTRY = '(engine)';

/**
 * Asks every cluster the engine knows for the entity's workloads. A failing cluster, or an engine that does not
 * answer at all, becomes an error entry beside the successes: the page still shows what could be read.
 */
export async function listEntityWorkloads(
  engine: EngineClient,
  entityRef: string,
  target: WorkloadTarget,
  /** Told every failure with its full reason (the backend's log); the response carries what a portal user may read. */
  onError: (cluster: string, reason: string) => void = () => {},
): Promise<EntityWorkloadsResponse> {
  const describeError = (cluster: string, error: unknown): ClusterWorkloads['error'] => {
    onError(cluster, fetchFailure(error));
    return userFacing(error);
  };
  let clusters: string[];
  try {
    clusters = (await engine.clusters()).items.map((c) => c.name);
  } catch (error) {
    return {
      entityRef,
      target,
      items: [{ cluster: ENGINE_ENTRY, workloads: [], error: describeError(ENGINE_ENTRY, error) }],
    };
  }
  const items = await Promise.all(
    clusters.map(async (cluster): Promise<ClusterWorkloads> => {
      try {
        const { items: workloads } = await engine.workloads({ cluster, ...target });
        return { cluster, workloads };
      } catch (error) {
        return { cluster, workloads: [], error: describeError(cluster, error) };
      }
    }),
  );
  return { entityRef, target, items };
}

/**
 * The engine's own refusal (an HTTP status with its message) as it is; a call that got no answer as ENGINE_UNREACHABLE,
 * since fetch's reason names the engine's internal address.
 */
function userFacing(error: unknown): ClusterWorkloads['error'] {
  const status = error instanceof Error ? (error as { status?: unknown }).status : undefined;
  if (error instanceof Error && typeof status === 'number') return { name: error.name, message: error.message, statusCode: status };
  return { name: error instanceof Error ? error.name : 'Error', message: ENGINE_UNREACHABLE };
}
