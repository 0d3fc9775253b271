import { useRef } from 'react';
import { getCompoundEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { resolveWorkloadTarget } from '@ai-cloudops/backstage-plugin-common';
import { cloudOpsApiRef } from '../api/CloudOpsApi';
import type { EntityScope } from '../api/types';
import { engineNotReached } from '../components/WorkloadsCard';
import { useEngineRetry, type EngineRetryState } from './useEngineRetry';
import { serviceOf } from '../isCloudOpsAvailable';

/**
 * The entity's namespace (from its annotations, as the backend resolves it) and the names of its workloads (those
 * its label selector matches on the engine's clusters) plus its service name: what the repair and incident cards
 * filter the engine's cluster-wide lists by.
 */
export function useEntityScope(): EngineRetryState<EntityScope> {
  const { entity } = useEntity();
  const api = useApi(cloudOpsApiRef);
  const ref = getCompoundEntityRef(entity);
  // Whether the last load reached the engine: kept beside the scope, which the cards pass on to the API as it is.
  const notReached = useRef(false);
  // The previous scope, handed out again when a reload finds the same one: the cards below reload on a new scope
  // object, and while the engine is down every retry here would otherwise make them send their calls again.
  const last = useRef<EntityScope>();
  // While the engine is not reached the scope is the service name alone; it is read again (and the cards below it
  // with it) until the engine answers.
  return useEngineRetry(
    async (): Promise<EntityScope> => {
      const { namespace } = resolveWorkloadTarget(entity);
      const workloads = await api.getEntityWorkloads(ref);
      notReached.current = engineNotReached(workloads);
      const names = workloads.items.flatMap((c) => c.workloads.map((w) => w.name));
      const scope: EntityScope = {
        ...(namespace ? { namespace } : {}),
        names: Array.from(new Set([...names, serviceOf(entity)])),
      };
      if (JSON.stringify(scope) !== JSON.stringify(last.current)) last.current = scope;
      return last.current!;
    },
    [api, entity],
    { unreachable: () => notReached.current },
  );
}
