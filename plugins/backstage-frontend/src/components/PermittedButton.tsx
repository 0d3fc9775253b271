import type { ReactNode } from 'react';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { usePermission } from '@backstage/plugin-permission-react';
import { CLUSTER_CHANGES_SETTING, type aiCloudOpsReadPermission } from '@ai-cloudops/backstage-plugin-common';
import Button, { type ButtonProps } from '@mui/material/Button';
import Tooltip from '@mui/material/Tooltip';
import { useClusterChanges } from '../hooks/useClusterChanges';
import { aiCloudOpsTranslationRef } from '../translation';

/** Every AI-CloudOps permission is a basic (non-resource) one: the common package's objects. */
type CloudOpsPermission = typeof aiCloudOpsReadPermission;

/**
 * A button for an engine call the backend authorizes with `permission`. Disabled while the permission is being
 * looked up, and disabled with a tooltip naming the permission when the signed-in user lacks it, as the catalog's
 * "Unregister entity" is: clicking would only get the backend's 403. A call that changes a cluster (`changesCluster`,
 * as the backend's engineCallPermission marks it) is also disabled while the backend refuses those to everyone
 * (`aicloudops.proxy.allowClusterChanges` off), with a tooltip naming the setting.
 */
export function PermittedButton({
  permission,
  changesCluster = false,
  children,
  disabled,
  ...props
}: ButtonProps & { permission: CloudOpsPermission; changesCluster?: boolean; children: ReactNode }) {
  const { t } = useTranslationRef(aiCloudOpsTranslationRef);
  const { allowed, loading } = usePermission({ permission });
  const clusterChanges = useClusterChanges(changesCluster);
  const off = clusterChanges.value === 'off';
  const button = (
    <Button {...props} disabled={disabled || !allowed || off || clusterChanges.loading}>
      {children}
    </Button>
  );
  // The setting first: it refuses everyone, whatever the permission policy grants.
  const why = off
    ? t('permission.clusterChangesOff', { setting: CLUSTER_CHANGES_SETTING })
    : !allowed && !loading
      ? t('permission.missing', { permission: permission.name })
      : undefined;
  if (!why) return button;
  // A disabled button fires no mouse events: the span receives the hover for the tooltip.
  return (
    <Tooltip title={why}>
      <span>{button}</span>
    </Tooltip>
  );
}
