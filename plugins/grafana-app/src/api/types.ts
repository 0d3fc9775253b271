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

import type { ForecastRequestInput as ForecastInput } from '@ai-cloudops/engine-client';

/**
 * POST /api/v1/forecast/backtest's body and its job's result. The engine's client has no backtest call (nor exports
 * these two types) yet, so they are written out here from engine/src/forecast/schemas.ts (backtestRequestSchema) and
 * engine/src/forecast/backtest.ts (BacktestResult, plus the job's seriesKey).
 */
export type BacktestRequestInput = Omit<ForecastInput, 'horizonMinutes' | 'historyHours'> & {
  historyDays?: number;
  /** Days at the end scored by rolling origin (engine default 1). */
  testDays?: number;
};
export interface BacktestHorizonMetrics {
  horizon: number;
  n: number;
  mae: number | null;
  rmse: number | null;
  mase: number | null;
  smape: number | null;
  coverage: number | null;
}
export interface BacktestResultDto {
  seriesKey: string;
  chosen: string;
  reason: string;
  testStart: number;
  end: number;
  scale: number;
  /** Model name → metrics per horizon 1..H. */
  models: Record<string, BacktestHorizonMetrics[]>;
  predictMsPerOrigin: number;
}
