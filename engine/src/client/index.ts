import type { EngineClient } from './EngineClient.js';
import type { JobRecordDto, Readiness, WorkloadHealth } from '../schemas/core.js';
import type { ForecastResponse } from '../forecast/schemas.js';
import type { IncidentDto } from '../alerts/schemas.js';

export * from './EngineClient.js';
/** How the engine words a deviation for people; pure, so the plugins say it the same way. */
export { describeDeviation } from '../rca/narrative.js';
export type * from '../schemas/core.js';
export type * from '../rca/schemas.js';
export type * from '../assistant/schemas.js';
export type * from '../forecast/schemas.js';
export type { AlertDto, AlertStats, AlertmanagerWebhook, GenericAlert, IncidentDto, IngestResult, SuppressionDto } from '../alerts/schemas.js';
export type {
  FindingDto,
  PlannedActionDto,
  RepairActionDto,
  RepairAuditRecordDto,
  RepairAuditVerification,
  RepairKillSwitch,
  RepairPlanResponse,
  RepairScanResponse,
} from '../repair/repairSchemas.js';

/*
 * Parts of responses that the schemas nest without naming. They are derived from the response types rather than
 * written out, so the plugins name them without keeping copies that could drift from the schemas.
 */
export type HealthCheck = Readiness['checks'][number];
export type PodInfo = WorkloadHealth['pods'][number];
export type ContainerInfo = PodInfo['containers'][number];
export type WorkloadHealthState = WorkloadHealth['health'];
export type ForecastPoint = ForecastResponse['points'][number];
export type JobStatus = JobRecordDto['status'];
/** An entry of GET /api/v1/clusters, whose schema is declared inline in the route. */
export type ClusterInfo = Awaited<ReturnType<EngineClient['clusters']>>['items'][number];
/** GET /api/v1/signals: the signal templates plus the label and window their results use. */
export type SignalCatalog = Awaited<ReturnType<EngineClient['signals']>>;
/** The query_range parameters as the client sends them (unix seconds). */
export type RangeQuery = Parameters<EngineClient['queryRange']>[0];

/**
 * A job record whose result type is known from the call that started it (an RCA job resolves with an RcaResult):
 * the job schema keeps `result` unknown because one job store serves every kind.
 */
export type JobRecordOf<R> = Omit<JobRecordDto, 'result'> & { result?: R };
/** An alert of an incident with the reason it joined (the grouping rule or service-graph edge). */
export type IncidentAlert = IncidentDto['alerts'][number];
export type MergeReason = NonNullable<IncidentAlert['merge']>;
