import { StatusError, StatusOK, StatusWarning } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { aiCloudOpsTranslationRef } from '../translation';
import type { WorkloadHealth } from '../api/types';

export function HealthStatus({ health }: { health: WorkloadHealth['health'] }) {
  const { t } = useTranslationRef(aiCloudOpsTranslationRef);
  if (health === 'healthy') return <StatusOK>{t('health.healthy')}</StatusOK>;
  if (health === 'degraded') return <StatusWarning>{t('health.degraded')}</StatusWarning>;
  return <StatusError>{health === 'unavailable' ? t('health.unavailable') : health}</StatusError>;
}
