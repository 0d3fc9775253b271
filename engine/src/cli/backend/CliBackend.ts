import type { HealthCheck } from '../../health/HealthCheck.js';
import type { RcaResult } from '../../rca/schemas.js';
import type { ForecastResponse, ScalePlanResponse } from '../../forecast/schemas.js';
import type { BacktestResult } from '../../forecast/backtest.js';
import type { ModelVersion } from '../../forecast/persistence/ModelRegistry.js';
import type { AskEvent } from '../../assistant/schemas.js';
import type { IngestReport, RemovedSource } from '../../assistant/kb/KnowledgeBase.js';
import type { AlertDto, AlertStats, IncidentDto } from '../../alerts/schemas.js';

export type ProgressFn = (fraction: number, message?: string) => void;

export interface StoredModels {
  seriesKey: string;
  current: number | null;
  versions: ModelVersion[];
}

export interface IngestSource {
  path: string;
  baseUrl?: string;
  attribution?: string;
  exclude?: string[];
}

/**
 * What the CLI's commands need from an engine. Two implementations: a one-shot engine in this process
 * (`LocalBackend`) and a running engine over HTTP (`RemoteBackend`, `--server URL`), so every command works the same
 * against either and `aicloudops rca --server ...` sees the cluster and the stored results the Grafana page sees.
 * Requests are passed through unparsed: both ends validate them with the same schemas.
 */
export interface CliBackend {
  /** Where the work runs, for messages. */
  readonly where: string;
  /** What an empty list of stored `what` means here (a one-shot engine on the memory store keeps nothing). */
  nothingStored(what: string): string;
  readiness(): Promise<HealthCheck[]>;
  analyzeRca(request: Record<string, unknown>, progress: ProgressFn): Promise<RcaResult>;
  listRca(): Promise<RcaResult[]>;
  getRca(id: string): Promise<RcaResult>;
  forecast(request: Record<string, unknown>): Promise<ForecastResponse>;
  train(request: Record<string, unknown>, progress: ProgressFn): Promise<ModelVersion>;
  backtest(
    request: Record<string, unknown>,
    progress: ProgressFn,
  ): Promise<BacktestResult & { seriesKey: string }>;
  models(): Promise<StoredModels[]>;
  scalePlan(request: Record<string, unknown>): Promise<ScalePlanResponse>;
  ask(request: Record<string, unknown>): AsyncIterable<AskEvent>;
  ingest(source: IngestSource, progress: ProgressFn): Promise<IngestReport>;
  removeSource(name: string): Promise<RemovedSource>;
  alerts(query: { status: 'firing' | 'resolved' | 'all'; limit: number }): Promise<AlertDto[]>;
  alertStats(): Promise<AlertStats>;
  incidents(query: { status: 'open' | 'resolved' | 'all'; limit: number }): Promise<IncidentDto[]>;
  incident(id: string): Promise<IncidentDto>;
}
