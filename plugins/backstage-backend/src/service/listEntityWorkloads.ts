import type { EngineClient } from '@ai-cloudops/engine-client';
import {
  ENGINE_TOKEN_REFUSED,
  ENGINE_UNREACHABLE,
  type ClusterWorkloads,
  type EntityWorkloadsResponse,
  type WorkloadTarget,
} from '@ai-cloudops/backstage-plugin-common';
import { fetchFailure } from './EngineProxy';
import { tokenRefusal, tokenRefusedMessage, type EngineRefusal, type TokenRefusalLog } from './engineTokenRefusal';

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
  /** Told when the engine refuses the backend's token (logged once there, not per cluster and call). */
  refusals?: TokenRefusalLog,
): Promise<EntityWorkloadsResponse> {
  const describeError = (cluster: string, error: unknown): ClusterWorkloads['error'] => {
    const refused = tokenRefused(error);
    if (refused) {
      refusals?.refused('aicloudops.engine.token', refused.status, refused.reason, `workloads of ${entityRef}`);
      return { name: ENGINE_TOKEN_REFUSED, message: tokenRefusedMessage('aicloudops.engine.token', refused.reason), statusCode: 502 };
    }
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

/** The engine's refusal of the backend's token (see tokenRefusal), from the engine client's error on a read. */
function tokenRefused(error: unknown): { status: number; reason: string } | undefined {
  if (!(error instanceof Error)) return undefined;
  const { status, code, issues } = error as { status?: unknown; code?: unknown; issues?: EngineRefusal['issues'] };
  if (typeof status !== 'number') return undefined;
  const reason = tokenRefusal('GET', { status, code, message: error.message, ...(issues ? { issues } : {}) });
  return reason === undefined ? undefined : { status, reason };
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
