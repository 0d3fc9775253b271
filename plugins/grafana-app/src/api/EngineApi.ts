import {
  createEngineClient,
  EngineApiError,
  StreamInterruptedError,
  type AskStreamEvent,
  type ClusterQuery,
  type EngineClient,
  type Page,
} from '@ai-cloudops/engine-client';
import type {
  Answer,
  AlertStats,
  BacktestRequestInput,
  BacktestResultDto,
  AskRequest,
  ClusterInfo,
  ForecastRequestInput,
  ForecastResponse,
  IncidentDto,
  JobRecordOf,
  RangeQuery,
  RangeSeriesDto,
  RcaRequest,
  RcaResult,
  Readiness,
  ScalePlanRequestInput,
  ScalePlanResponse,
  RepairActionDto,
  RepairAuditRecordDto,
  RepairAuditVerification,
  RepairKillSwitch,
  RepairScanResponse,
  SignalCatalog,
  WorkloadHealth,
} from './types';

export { EngineApiError };

/**
 * The answer stream's events, and the error for a stream that dropped after it opened (the engine had the question,
 * so it is not sent again): defined once in the client, whose askOverStream tells the drop apart by this class.
 */
export { StreamInterruptedError, type AskStreamEvent };

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
  /** The job's server-sent events: each record as it changes, ending with the final one. */
  jobEvents<R = unknown>(id: string, signal?: AbortSignal): AsyncGenerator<JobRecordOf<R>>;
  startRca(request: RcaRequest): Promise<JobRecordOf<RcaResult>>;
  forecast(request: ForecastRequestInput): Promise<ForecastResponse>;
  ask(request: AskRequest): Promise<Answer>;
  /**
   * The answer as it is written: tool calls, tokens, citations, then `done`. Throws StreamInterruptedError when the
   * connection drops after the stream opened; any other throw means no stream was opened.
   */
  askStream(request: AskRequest, signal?: AbortSignal): AsyncGenerator<AskStreamEvent>;
  rca(id: string): Promise<RcaResult>;
  /** Stored RCA results, newest first. */
  rcas(query?: { limit?: number }): Promise<RcaResult[]>;
  /** The forecast with a replica plan for the workload (mode `recommend`: nothing is scaled). */
  scalePlan(request: ScalePlanRequestInput): Promise<ScalePlanResponse>;
  /** Starts a rolling-origin backtest of every model (a job; its result holds each model's metrics per horizon). */
  startBacktest(request: BacktestRequestInput): Promise<JobRecordOf<BacktestResultDto>>;
  repairFindings(namespace?: string): Promise<RepairScanResponse>;
  repairApprovals(): Promise<RepairActionDto[]>;
  /** One page of actions, newest first; pass `nextCursor` back as `cursor` for the next. */
  repairActions(query?: RepairActionQuery): Promise<Page<RepairActionDto>>;
  repairAudit(query?: { namespace?: string; limit?: number }): Promise<RepairAuditRecordDto[]>;
  verifyRepairAudit(): Promise<RepairAuditVerification>;
  repairKillSwitch(): Promise<RepairKillSwitch>;
  /** Admin actions: sent through the admin route (`adminBaseUrl`), which Grafana grants to Admins only. */
  approveRepair(id: string, comment?: string): Promise<RepairActionDto>;
  rejectRepair(id: string, comment?: string): Promise<RepairActionDto>;
  setRepairKillSwitch(on: boolean): Promise<RepairKillSwitch>;
  incidents(query?: { status?: 'open' | 'resolved' | 'all'; limit?: number }): Promise<IncidentDto[]>;
  incident(id: string): Promise<IncidentDto>;
  alertStats(): Promise<AlertStats>;
  acknowledgeIncident(id: string): Promise<IncidentDto>;
  resolveIncident(id: string): Promise<IncidentDto>;
}

/** The filters of GET /repair/actions. */
export interface RepairActionQuery {
  state?: string;
  namespace?: string;
  /** Actions whose finding's workload or planned target has one of these names (Kubernetes names, at most 100). */
  name?: string[];
  /** RFC 3339: actions created at or after it (the engine stops reading there). */
  since?: string;
  /** RFC 3339: actions updated at or after it, newest update first (the engine reads its index by update time). */
  updatedSince?: string;
  cursor?: string;
}

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export interface EngineApiOptions {
  /** e.g. `/api/plugin-proxy/aicloudops-cloudops-app/engine` or `http://127.0.0.1:8080`. */
  baseUrl: string;
  /** Where admin-only calls go (Grafana: the `engine-admin` route); defaults to `baseUrl` (a direct engine URL). */
  adminBaseUrl?: string;
  fetchApi: FetchLike;
  /**
   * The fetch for event streams. Grafana's backend service buffers a whole response, so in Grafana streams use the
   * browser's own fetch on the same plugin-proxy URL (same origin, the session cookie goes along). Defaults to fetchApi.
   */
  streamFetchApi?: FetchLike;
  token?: string;
}

export function createEngineApi(options: EngineApiOptions): EngineApi {
  const { baseUrl, adminBaseUrl, fetchApi, token } = options;
  const client: EngineClient = createEngineClient({ baseUrl, token, fetchApi: fetchApi as typeof fetch });
  const streamFetch = options.streamFetchApi ?? fetchApi;
  const streams: EngineClient = createEngineClient({ baseUrl, token, fetchApi: streamFetch as typeof fetch });
  const admin: EngineClient = adminBaseUrl
    ? createEngineClient({ baseUrl: adminBaseUrl, token, fetchApi: fetchApi as typeof fetch })
    : client;
  return {
    readiness: () => client.ready(),
    clusters: async () => (await client.clusters()).items,
    workloads: async (query = {}) => (await client.workloads(query)).items,
    signals: () => client.signals(),
    queryRange: async (q) => (await client.queryRange(q)).series,
    // The job schema keeps results unknown (one store serves every kind); the caller knows what its job yields.
    job: async <R>(id: string) => (await client.job(id)) as JobRecordOf<R>,
    jobEvents: async function* <R>(id: string, signal?: AbortSignal) {
      const path = `/api/v1/jobs/${encodeURIComponent(id)}/events`;
      for await (const message of streams.stream<JobRecordOf<R>>('GET', path, undefined, signal)) {
        yield message.data;
      }
    },
    startRca: async (request) => (await client.startRca(request)) as JobRecordOf<RcaResult>,
    forecast: (request) => client.forecast(request),
    ask: (request) => client.ask(request),
    askStream: (request, signal) => askStream(baseUrl, token, streamFetch, request, signal),
    rca: (id) => client.getRca(id),
    rcas: async (query = {}) => (await client.listRca(query)).items,
    scalePlan: (request) => client.scalePlan(request),
    // The typed client has no backtest method yet; its generic request keeps the wire handling in one place.
    startBacktest: (request) => client.backtestForecast(request) as Promise<JobRecordOf<BacktestResultDto>>,
    repairFindings: (namespace) => client.repairFindings({ namespace }),
    repairApprovals: async () => (await client.repairApprovals()).items,
    // The engine takes a list of names comma-separated (a Kubernetes name holds no comma).
    repairActions: ({ name, ...query } = {}) =>
      client.repairActions({ ...query, ...(name ? { name: name.join(',') } : {}) }),
    repairAudit: async (query = {}) => (await client.repairAudit(query)).items,
    verifyRepairAudit: () => client.verifyRepairAudit(),
    repairKillSwitch: () => client.repairKillSwitch(),
    approveRepair: (id, comment) => admin.approveRepair(id, comment),
    rejectRepair: (id, comment) => admin.rejectRepair(id, comment),
    setRepairKillSwitch: (on) => admin.setRepairKillSwitch(on),
    incidents: async (query = {}) => (await client.incidents(query)).items,
    incident: (id) => client.incident(id),
    alertStats: () => client.alertStats(),
    acknowledgeIncident: (id) => client.acknowledgeIncident(id),
    resolveIncident: (id) => client.resolveIncident(id),
  };
}

/**
 * One ask over SSE on its own client, whose fetch notes when the engine's answer started: a failure after that is a
 * dropped stream (StreamInterruptedError), one before it means the question never reached the engine. A proxy that
 * drops the Accept header gets the engine's JSON answer, which is passed on as the `done` event.
 */
async function* askStream(
  baseUrl: string,
  token: string | undefined,
  streamFetch: FetchLike,
  request: AskRequest,
  signal?: AbortSignal
): AsyncGenerator<AskStreamEvent> {
  let opened = false;
  const noteOpen: FetchLike = async (input, init) => {
    const response = await streamFetch(input, init);
    opened = response.ok;
    if (response.ok && (response.headers.get('content-type') ?? '').includes('json')) {
      const body = `event: done\ndata: ${JSON.stringify(await response.json())}\n\n`;
      return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
    }
    return response;
  };
  const once = createEngineClient({ baseUrl, token, fetchApi: noteOpen as typeof fetch });
  try {
    for await (const message of once.askStream(request, signal)) {
      yield message as AskStreamEvent;
    }
  } catch (error) {
    if (opened && !signal?.aborted) {
      const reason = error instanceof Error ? `: ${error.message}` : '';
      throw new StreamInterruptedError(`the connection dropped before the answer was complete${reason}`);
    }
    throw error;
  }
}
