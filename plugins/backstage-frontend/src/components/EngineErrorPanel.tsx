import { ResponseErrorPanel } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { deniedPermission, isEngineTokenRefused, isEngineUnreachable } from '@ai-cloudops/backstage-plugin-common';
import { aiCloudOpsTranslationRef, type CloudOpsT } from '../translation';

/**
 * Backstage's ResponseErrorPanel for a failed engine call, which every card uses. When the backend says the engine did
 * not answer, or refused the portal's own token (a 502 a user would otherwise read as their sign-in failing), or the
 * permission policy denies the user (a card's read: `aicloudops.read`), the title says so and whom to ask, in the
 * user's language (the backend's English sentence stays in the details); a `title` of the card's own wins.
 */
export function EngineErrorPanel({ error, title }: { error: Error; title?: string }) {
  const { t } = useTranslationRef(aiCloudOpsTranslationRef);
  const shown = title ?? knownTitle(error, t);
  return <ResponseErrorPanel error={error} {...(shown ? { title: shown } : {})} />;
}

function knownTitle(error: Error, t: CloudOpsT): string | undefined {
  if (isEngineUnreachable(error)) return t('engineRetry.unreachable');
  if (isEngineTokenRefused(error)) return t('engineRetry.tokenRefused');
  const permission = deniedPermission(error);
  return permission ? t('permission.missing', { permission }) : undefined;
}
