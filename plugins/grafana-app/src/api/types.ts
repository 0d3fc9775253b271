/**
 * The engine's wire types, as its typed client exports them (inferred from the schemas the server validates and
 * serialises with), so the pages read exactly what the engine sends. Plugin-only types live beside their users
 * (datasource/types.ts for queries and options).
 */
export type {
  AlertDto,
  AlertStats,
  Answer,
  FindingDto,
  IncidentAlert,
  IncidentDto,
  MergeReason,
  RepairActionDto,
  RepairAuditRecordDto,
  RepairAuditVerification,
  RepairKillSwitch,
  RepairScanResponse,
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
  ScalePlanRequestInput,
  ScalePlanResponse,
  SignalCatalog,
  SignalInfo,
  ToolCallRecord,
  WorkloadHealth,
  WorkloadHealthState,
} from '@ai-cloudops/engine-client';

/** POST /api/v1/forecast/backtest's body, its job's result, and a model's errors at one horizon. */
export type {
  BacktestRequest as BacktestRequestInput,
  BacktestResult as BacktestResultDto,
  HorizonMetrics as BacktestHorizonMetrics,
} from '@ai-cloudops/engine-client';
