import { createEngineClient, EngineApiError, type EngineClient } from '@ai-cloudops/engine/client';
import type {
  AskRequest,
  AskResponse,
  ClusterInfo,
  ForecastRequest,
  ForecastResponse,
  JobRecord,
  RangeQuery,
  RangeSeries,
  RcaRequest,
  RcaResult,
  Readiness,
  SignalInfo,
  WorkloadHealth,
} from './types';

export { EngineApiError };

/** What the engine says about its signals: the templates plus how to read their results. */
export interface SignalCatalog {
  /** Label carrying the service name in signal results (`signals.serviceLabel`). */
  serviceLabel: string;
  /** Range window the engine substitutes for `$window` (`signals.window`). */
  window: string;
  items: SignalInfo[];
}

/**
 * The calls the pages and the datasource make, over the engine's typed client, so the wire protocol and error
 * handling stay in one place. Pages depend on this narrow interface rather than the whole client.
 */
export interface EngineApi {
  readiness(): Promise<Readiness>;
  clusters(): Promise<ClusterInfo[]>;
  workloads(query?: { cluster?: string; namespace?: string; labelSelector?: string }): Promise<WorkloadHealth[]>;
  signals(): Promise<SignalCatalog>;
  queryRange(query: RangeQuery): Promise<RangeSeries[]>;
  job<R = unknown>(id: string): Promise<JobRecord<R>>;
  startRca(request: RcaRequest): Promise<JobRecord<RcaResult>>;
  forecast(request: ForecastRequest): Promise<ForecastResponse>;
  ask(request: AskRequest): Promise<AskResponse>;
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
    clusters: async () => (await client.clusters()).items ?? [],
    workloads: async (query = {}) => (await client.workloads(query)).items ?? [],
    signals: async () => {
      const body = await client.signals();
      return { serviceLabel: body.serviceLabel || 'service', window: body.window || '5m', items: body.items ?? [] };
    },
    queryRange: async (q) => (await client.queryRange(q)).series ?? [],
    job: async <R>(id: string) => (await client.job(id)) as JobRecord<R>,
    // The engine's types are stricter than what the pages read (see types.ts), so results are narrowed here.
    startRca: async (request) => (await client.startRca(request)) as JobRecord<RcaResult>,
    forecast: async (request) => (await client.forecast(request)) as ForecastResponse,
    ask: async (request) => (await client.ask(request)) as AskResponse,
  };
}
