import { getCompoundEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import useAsync from 'react-use/esm/useAsync';
import { resolveWorkloadTarget } from '@ai-cloudops/backstage-plugin-common';
import { cloudOpsApiRef } from '../api/CloudOpsApi';
import type { EntityScope } from '../api/types';
import { serviceOf } from '../isCloudOpsAvailable';

/**
 * The entity's namespace (from its annotations, as the backend resolves it) and the names of its workloads (those
 * its label selector matches on the engine's clusters) plus its service name: what the repair and incident cards
 * filter the engine's cluster-wide lists by.
 */
export function useEntityScope(): { value?: EntityScope; loading: boolean; error?: Error } {
  const { entity } = useEntity();
  const api = useApi(cloudOpsApiRef);
  const ref = getCompoundEntityRef(entity);
  return useAsync(async (): Promise<EntityScope> => {
    const { namespace } = resolveWorkloadTarget(entity);
    const workloads = await api.getEntityWorkloads(ref);
    const names = workloads.items.flatMap((c) => c.workloads.map((w) => w.name));
    return { ...(namespace ? { namespace } : {}), names: Array.from(new Set([...names, serviceOf(entity)])) };
  }, [api, entity]);
}
