/**
 * The engine's wire types, as its typed client exports them (inferred from the schemas the server validates and
 * serialises with), so the pages read exactly what the engine sends. Plugin-only types live beside their users
 * (datasource/types.ts for queries and options).
 */
export type {
  Answer,
  AskRequest,
  Citation,
  ClusterInfo,
  ForecastPoint,
  ForecastRequestInput,
  ForecastResponse,
  HealthCheck,
  JobRecordDto,
  JobRecordOf,
  JobStatus,
  RangeQuery,
  RangeSeriesDto,
  RcaCandidate,
  RcaRequest,
  RcaResult,
  Readiness,
  SignalCatalog,
  SignalInfo,
  ToolCallRecord,
  WorkloadHealth,
  WorkloadHealthState,
} from '@ai-cloudops/engine/client';
