import { StatusError, StatusOK, StatusWarning } from '@backstage/core-components';
import type { WorkloadHealth } from '../api/types';

export function HealthStatus({ health }: { health: WorkloadHealth['health'] }) {
  if (health === 'healthy') return <StatusOK>healthy</StatusOK>;
  if (health === 'degraded') return <StatusWarning>degraded</StatusWarning>;
  return <StatusError>{health}</StatusError>;
}
