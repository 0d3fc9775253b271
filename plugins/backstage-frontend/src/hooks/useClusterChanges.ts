import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { cloudOpsApiRef } from '../api/CloudOpsApi';

/** Whether the backend forwards calls that change a cluster: `unknown` while asking, or when it could not be read. */
export type ClusterChanges = 'allowed' | 'off' | 'unknown';

/**
 * The backend's `aicloudops.proxy.allowClusterChanges`, for buttons whose call changes a cluster (`ask`: false for
 * the others, which then ask nothing). When the settings cannot be read (the backend restarting, a proxy hiccup) the
 * answer is `unknown` and the button stays offered, as before the backend told: hiding Approve on a transient error
 * would take it from users who may use it, while clicking it at worst shows the backend's own refusal.
 */
export function useClusterChanges(ask: boolean): { value: ClusterChanges; loading: boolean } {
  const api = useApi(cloudOpsApiRef);
  const { value, loading } = useAsync(async () => (ask ? api.settings() : undefined), [api, ask]);
  if (!ask || !value) return { value: 'unknown', loading: ask && loading };
  return { value: value.clusterChanges ? 'allowed' : 'off', loading: false };
}
