/** The app-config key that lets signed-in users reach the engine calls that change a cluster (default false). */
export const CLUSTER_CHANGES_SETTING = 'aicloudops.proxy.allowClusterChanges';

/**
 * What the backend's `GET /settings` answers a signed-in user: the portal's own settings the entity tab needs to
 * offer only what the pass-through will forward. No secrets and no engine addresses.
 */
export interface PortalSettings {
  /** `aicloudops.proxy.allowClusterChanges`: whether calls that change a cluster (approving a repair) are forwarded. */
  clusterChanges: boolean;
}
