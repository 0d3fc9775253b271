import { createApiRef } from '@backstage/core-plugin-api';
import type { CompoundEntityRef } from '@backstage/catalog-model';
import type { Answer, EntityWorkloadsResponse, ForecastResponse, JobRecordDto, RcaResult, Unavailable } from './types';

/** The page's one seam: the real client calls the backend plugin; tests may provide their own implementation. */
export interface CloudOpsApi {
  getEntityWorkloads(entity: CompoundEntityRef): Promise<EntityWorkloadsResponse>;
  /** Starts a root-cause analysis and resolves with its result once the engine's job finishes. */
  runRca(
    request: { namespace?: string; service: string },
    onProgress?: (job: JobRecordDto) => void,
  ): Promise<RcaResult | Unavailable>;
  forecast(request: {
    namespace?: string;
    service: string;
    signal: string;
    horizonMinutes?: number;
  }): Promise<ForecastResponse | Unavailable>;
  ask(request: { question: string; namespace?: string; workload?: string }): Promise<Answer | Unavailable>;
}

export const cloudOpsApiRef = createApiRef<CloudOpsApi>({ id: 'plugin.aicloudops.service' });
