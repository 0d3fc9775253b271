import {
  Content,
  Header,
  InfoCard,
  Link,
  MarkdownContent,
  Page,
  Progress,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import Typography from '@mui/material/Typography';
import { useSearchParams } from 'react-router-dom';
import { EngineErrorPanel } from './EngineErrorPanel';
import { cloudOpsApiRef } from '../api/CloudOpsApi';
import { useEngineRetry } from '../hooks/useEngineRetry';
import { EngineRetryNotice } from './EngineRetryNotice';
import { aiCloudOpsTranslationRef } from '../translation';

export const knowledgePageTestIds = {
  page: 'aicloudops-knowledge-page',
  missing: 'aicloudops-knowledge-missing',
  text: 'aicloudops-knowledge-text',
};

/**
 * One page of the engine's knowledge base (a runbook or an ingested document), opened from a portal search result
 * that has no URL of its own: `?source=…&path=…`, as the backend's search collator links it.
 */
export function KnowledgePage() {
  const { t } = useTranslationRef(aiCloudOpsTranslationRef);
  const api = useApi(cloudOpsApiRef);
  const [params] = useSearchParams();
  const path = params.get('path') ?? '';
  const source = params.get('source') ?? undefined;
  const state = useEngineRetry(
    async () => (path ? api.knowledgeDocument({ path, ...(source ? { source } : {}) }) : undefined),
    [api, path, source],
  );
  const { value: document, loading, error } = state;
  return (
    <Page themeId="documentation">
      <Header title={document?.title ?? t('knowledgePage.title')} subtitle={path || undefined} />
      <Content>
        <div data-testid={knowledgePageTestIds.page}>
          {loading && !error && <Progress />}
          {error && <EngineErrorPanel error={error} />}
          {error && <EngineRetryNotice state={state} />}
          {!loading && !error && !document && (
            <div data-testid={knowledgePageTestIds.missing}>
              <WarningPanel title={t('knowledgePage.missingTitle')}>
                <Typography>
                  {path ? t('knowledgePage.missing', { path }) : t('knowledgePage.noPath')}
                </Typography>
              </WarningPanel>
            </div>
          )}
          {document && (
            <InfoCard
              title={document.title}
              subheader={t('knowledgePage.from', { source: document.source, path: document.path })}
            >
              <div data-testid={knowledgePageTestIds.text}>
                <MarkdownContent content={document.text} />
              </div>
              {document.url && (
                <Typography variant="body2">
                  <Link to={document.url}>{t('knowledgePage.original')}</Link>
                </Typography>
              )}
            </InfoCard>
          )}
        </div>
      </Content>
    </Page>
  );
}
