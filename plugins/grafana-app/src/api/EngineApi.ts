import { createEngineClient, EngineApiError, type ClusterQuery, type EngineClient } from '@ai-cloudops/engine/client';
import type {
  Answer,
  AskRequest,
  ClusterInfo,
  ForecastRequestInput,
  ForecastResponse,
  JobRecordOf,
  RangeQuery,
  RangeSeriesDto,
  RcaRequest,
  RcaResult,
  Readiness,
  SignalCatalog,
  WorkloadHealth,
} from './types';

export { EngineApiError };

/**
 * The calls the pages and the datasource make, over the engine's typed client, so the wire protocol and error
 * handling stay in one place. Pages depend on this narrow interface rather than the whole client.
 */
export interface EngineApi {
  readiness(): Promise<Readiness>;
  clusters(): Promise<ClusterInfo[]>;
  workloads(query?: ClusterQuery): Promise<WorkloadHealth[]>;
  signals(): Promise<SignalCatalog>;
  queryRange(query: RangeQuery): Promise<RangeSeriesDto[]>;
  job<R = unknown>(id: string): Promise<JobRecordOf<R>>;
  startRca(request: RcaRequest): Promise<JobRecordOf<RcaResult>>;
  forecast(request: ForecastRequestInput): Promise<ForecastResponse>;
  ask(request: AskRequest): Promise<Answer>;
}

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export interface EngineApiOptions {
  /** e.g. `/api/plugin-proxy/aicloudops-cloudops-app/engine` or `http://127.0.0.1:8080`. */
  baseUrl: string;
  fetchApi: FetchLike;
  token?: string;
}

export function createEngineApi({ baseUrl, fetchApi, token }: EngineApiOptions): EngineApi {
  const client: EngineClient = createEngineClient({ baseUrl, token, fetchApi: fetchApi as typeof fetch });
  return {
    readiness: () => client.ready(),
    clusters: async () => (await client.clusters()).items,
    workloads: async (query = {}) => (await client.workloads(query)).items,
    signals: () => client.signals(),
    queryRange: async (q) => (await client.queryRange(q)).series,
    // The job schema keeps results unknown (one store serves every kind); the caller knows what its job yields.
    job: async <R>(id: string) => (await client.job(id)) as JobRecordOf<R>,
    startRca: async (request) => (await client.startRca(request)) as JobRecordOf<RcaResult>,
    forecast: (request) => client.forecast(request),
    ask: (request) => client.ask(request),
  };
}
