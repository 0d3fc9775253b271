import type { ReactNode } from 'react';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { usePermission } from '@backstage/plugin-permission-react';
import type { aiCloudOpsReadPermission } from '@ai-cloudops/backstage-plugin-common';
import Button, { type ButtonProps } from '@mui/material/Button';
import Tooltip from '@mui/material/Tooltip';
import { aiCloudOpsTranslationRef } from '../translation';

/** Every AI-CloudOps permission is a basic (non-resource) one: the common package's objects. */
type CloudOpsPermission = typeof aiCloudOpsReadPermission;

/**
 * A button for an engine call the backend authorizes with `permission`. Disabled while the permission is being
 * looked up, and disabled with a tooltip naming the permission when the signed-in user lacks it, as the catalog's
 * "Unregister entity" is: clicking would only get the backend's 403.
 */
export function PermittedButton({
  permission,
  children,
  disabled,
  ...props
}: ButtonProps & { permission: CloudOpsPermission; children: ReactNode }) {
  const { t } = useTranslationRef(aiCloudOpsTranslationRef);
  const { allowed, loading } = usePermission({ permission });
  const button = (
    <Button {...props} disabled={disabled || !allowed}>
      {children}
    </Button>
  );
  if (allowed || loading) return button;
  // A disabled button fires no mouse events: the span receives the hover for the tooltip.
  return (
    <Tooltip title={t('permission.missing', { permission: permission.name })}>
      <span>{button}</span>
    </Tooltip>
  );
}
