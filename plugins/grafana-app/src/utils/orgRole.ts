import { config } from '@grafana/runtime';

export type GrafanaRole = 'Viewer' | 'Editor' | 'Admin';

const RANK: Record<GrafanaRole, number> = { Viewer: 0, Editor: 1, Admin: 2 };

/**
 * Whether the signed-in user's org role reaches `role`, which is what the plugin proxy checks against a route's
 * `reqRole`. Pages use it to offer only the buttons whose route will let the call through; the proxy still decides.
 * An unknown role (no boot data) answers true so the proxy's answer is shown rather than a silently hidden button.
 */
export function hasOrgRole(role: GrafanaRole): boolean {
  const current = config.bootData?.user?.orgRole;
  if (!current) {
    return true;
  }
  return RANK[current as GrafanaRole] >= RANK[role];
}
