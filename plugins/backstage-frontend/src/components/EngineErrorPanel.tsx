import { ResponseErrorPanel } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { isEngineUnreachable } from '@ai-cloudops/backstage-plugin-common';
import { aiCloudOpsTranslationRef } from '../translation';

/**
 * Backstage's ResponseErrorPanel for a failed engine call, which every card uses. When the backend says the engine did
 * not answer, the title says so in the user's language (the backend's English sentence, naming the setting to check,
 * stays in the details); a `title` of the card's own wins.
 */
export function EngineErrorPanel({ error, title }: { error: Error; title?: string }) {
  const { t } = useTranslationRef(aiCloudOpsTranslationRef);
  const shown = title ?? (isEngineUnreachable(error) ? t('engineRetry.unreachable') : undefined);
  return <ResponseErrorPanel error={error} {...(shown ? { title: shown } : {})} />;
}
