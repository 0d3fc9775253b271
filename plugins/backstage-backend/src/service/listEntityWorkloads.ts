import type { EngineClient } from '@ai-cloudops/engine-client';
import type { ClusterWorkloads, EntityWorkloadsResponse, WorkloadTarget } from '@ai-cloudops/backstage-plugin-common';

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
): Promise<EntityWorkloadsResponse> {
  let clusters: string[];
  try {
    clusters = (await engine.clusters()).items.map((c) => c.name);
  } catch (error) {
    return {
      entityRef,
      target,
      items: [{ cluster: ENGINE_ENTRY, workloads: [], error: describeError(error) }],
    };
  }
  const items = await Promise.all(
    clusters.map(async (cluster): Promise<ClusterWorkloads> => {
      try {
        const { items: workloads } = await engine.workloads({ cluster, ...target });
        return { cluster, workloads };
      } catch (error) {
        return { cluster, workloads: [], error: describeError(error) };
      }
    }),
  );
  return { entityRef, target, items };
}

function describeError(error: unknown): ClusterWorkloads['error'] {
  if (error instanceof Error) {
    const status = (error as { status?: unknown }).status;
    // fetch reports an unreachable host as "fetch failed" with the reason in `cause`.
    const cause = (error as { cause?: unknown }).cause;
    const detail = cause instanceof Error && cause.message ? `: ${cause.message}` : '';
    return {
      name: error.name,
      message: `${error.message}${detail}`,
      ...(typeof status === 'number' ? { statusCode: status } : {}),
    };
  }
  return { name: 'Error', message: String(error) };
}
