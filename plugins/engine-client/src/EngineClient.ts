import type {
  AlertDto,
  BacktestRequest,
  ModelList,
  TrainRequest,
  AlertStats,
  AlertmanagerWebhook,
  Answer,
  AskRequest,
  ClusterInfo,
  ErrorBodyDto,
  EventInfoDto,
  FaultDto,
  FeedbackRequest,
  ForecastRequestInput,
  ForecastResponse,
  GenericAlert,
  IncidentDto,
  IngestRequest,
  IngestResult,
  JobKind,
  JobRecordDto,
  KnowledgeDocument,
  RangeQuery,
  RangeSeriesDto,
  RangeSeriesWire,
  PromValue,
  RcaRequest,
  RcaResult,
  Readiness,
  RemovedSource,
  RepairActionDto,
  RepairAuditQuery,
  RepairAuditRecordDto,
  RepairAuditVerification,
  RepairKillSwitch,
  RepairPlanResponse,
  RepairScanResponse,
  ScalePlanRequestInput,
  ScalePlanResponse,
  SearchResult,
  SignalCatalog,
  SuppressionDto,
  SuppressionRequest,
  WorkloadHealth,
} from './types.js';

/**
 * The typed client both plugins and the engine's CLI use. Browser-safe: it imports only types and calls `fetch` (Grafana passes its
 * plugin-proxy URL, Backstage its fetchApi), so there is one implementation of the engine's wire protocol.
 */

export interface EngineClientOptions {
  /** e.g. `http://engine:8080`, or Grafana's `/api/plugin-proxy/<plugin-id>/engine`. */
  baseUrl: string;
  token?: string;
  fetchApi?: { fetch: typeof fetch } | typeof fetch;
}

export class EngineApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: Array<{ field: string; message: string }> = [],
    /** From Retry-After on 429 (admission control) and 503 (store unavailable): when trying again makes sense. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'EngineApiError';
  }
}

/** One page of a list endpoint; pass `nextCursor` back as `cursor` for the next one (absent on the last page). */
export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

/** `limit` defaults to the engine's `pagination.defaultLimit` and is capped at `pagination.maxLimit`. */
export interface PageQuery {
  limit?: number;
  cursor?: string;
}

/** Every item of a paginated list, page after page (e.g. `allPages((cursor) => client.listRca({ cursor }))`). */
export async function* allPages<T>(fetchPage: (cursor: string | undefined) => Promise<Page<T>>): AsyncGenerator<T> {
  let cursor: string | undefined;
  do {
    const page = await fetchPage(cursor);
    yield* page.items;
    cursor = page.nextCursor;
  } while (cursor);
}

export interface ClusterQuery {
  cluster?: string;
  namespace?: string;
  labelSelector?: string;
}

export interface SseMessage<T = unknown> {
  event: string;
  data: T;
}

export class EngineClient {
  private readonly baseUrl: string;
  private readonly doFetch: typeof fetch;

  constructor(private readonly options: EngineClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    const f = options.fetchApi;
    this.doFetch = typeof f === 'function' ? f : f ? f.fetch.bind(f) : globalThis.fetch.bind(globalThis);
  }

  health(): Promise<{ status: 'ok' }> {
    return this.request('GET', '/healthz');
  }

  /**
   * Readiness with every source's check; resolves (not rejects) when the engine answers 503 with its checks. A 503
   * without them (a proxy or load balancer in front of a stopped engine, often with an empty body) rejects with an
   * EngineApiError of status 503, which callers retry like any unreachable engine, instead of a JSON SyntaxError.
   */
  async ready(): Promise<Readiness> {
    const response = await this.send('GET', '/readyz');
    if (response.status === 200) return (await response.json()) as Readiness;
    if (response.status !== 503) throw await toError(response);
    const text = await response.text();
    const body = parseJson(text) as (Partial<Readiness> & Partial<ErrorBodyDto>) | undefined;
    if (body && Array.isArray(body.checks)) return body as Readiness;
    const retryAfter = Number(response.headers.get('retry-after') ?? NaN);
    const error = body?.error;
    throw new EngineApiError(
      503,
      error?.code ?? 'HTTP_503',
      error?.message ?? (response.statusText || 'the engine is not ready'),
      error?.issues ?? [],
      Number.isFinite(retryAfter) ? retryAfter : undefined,
    );
  }

  clusters(): Promise<{ items: ClusterInfo[] }> {
    return this.request('GET', '/api/v1/clusters');
  }

  workloads(query: ClusterQuery & PageQuery = {}): Promise<Page<WorkloadHealth>> {
    return this.request('GET', `/api/v1/workloads${qs(query)}`);
  }

  events(query: ClusterQuery & PageQuery & { fieldSelector?: string } = {}): Promise<Page<EventInfoDto>> {
    return this.request('GET', `/api/v1/events${qs(query)}`);
  }

  signals(): Promise<SignalCatalog> {
    return this.request('GET', '/api/v1/signals');
  }

  /** Values come back as numbers: the engine's "+Inf", "-Inf" and "NaN" as Infinity, -Infinity and NaN. */
  async queryRange(query: RangeQuery): Promise<{ series: RangeSeriesDto[] }> {
    const { series } = await this.request<{ series: RangeSeriesWire[] }>('GET', `/api/v1/metrics/query_range${qs(query)}`);
    return { series: series.map((s) => ({ ...s, values: s.values.map(decodePromValue) })) };
  }

  job(id: string): Promise<JobRecordDto> {
    return this.request('GET', `/api/v1/jobs/${encodeURIComponent(id)}`);
  }

  /** Jobs, newest first, one page at a time. */
  jobs(query: PageQuery & { kind?: JobKind } = {}): Promise<Page<JobRecordDto>> {
    return this.request('GET', `/api/v1/jobs${qs(query)}`);
  }

  /** Cancels a queued or running job (operator); `cancelled: false` when it had already ended. */
  cancelJob(id: string): Promise<{ cancelled: boolean }> {
    return this.request('DELETE', `/api/v1/jobs/${encodeURIComponent(id)}`);
  }

  /** Follows a job's SSE stream, calling back on each update; resolves with the final record. */
  async followJob(id: string, onUpdate?: (record: JobRecordDto) => void, signal?: AbortSignal): Promise<JobRecordDto> {
    let last: JobRecordDto | undefined;
    for await (const message of this.stream<JobRecordDto>('GET', `/api/v1/jobs/${encodeURIComponent(id)}/events`, undefined, signal)) {
      last = message.data;
      onUpdate?.(message.data);
      if (message.event === 'done') break;
    }
    return last ?? this.job(id);
  }

  demoFaults(): Promise<{ items: FaultDto[] }> {
    return this.request('GET', '/api/v1/demo/faults');
  }

  injectDemoFault(fault: { type: string; service: string }): Promise<FaultDto> {
    return this.request('POST', '/api/v1/demo/faults', fault);
  }

  /** Starts a root-cause analysis; follow it with followJob(id), whose final result is an RcaResult. */
  startRca(request: RcaRequest = {}): Promise<JobRecordDto> {
    return this.request('POST', '/api/v1/rca', request);
  }

  listRca(page: PageQuery = {}): Promise<Page<RcaResult>> {
    return this.request('GET', `/api/v1/rca${qs(page)}`);
  }

  getRca(id: string): Promise<RcaResult> {
    return this.request('GET', `/api/v1/rca/${encodeURIComponent(id)}`);
  }

  rerunRca(id: string): Promise<JobRecordDto> {
    return this.request('POST', `/api/v1/rca/${encodeURIComponent(id)}/rerun`);
  }

  forecast(request: ForecastRequestInput): Promise<ForecastResponse> {
    return this.request('POST', '/api/v1/forecast', request);
  }

  /** Starts training a model for a series (a job whose result is a ModelVersion); follow it with followJob(id). */
  trainForecast(request: TrainRequest): Promise<JobRecordDto> {
    return this.request('POST', '/api/v1/forecast/train', request);
  }

  /** Starts a rolling-origin backtest (a job whose result is a BacktestResult); follow it with followJob(id). */
  backtestForecast(request: BacktestRequest): Promise<JobRecordDto> {
    return this.request('POST', '/api/v1/forecast/backtest', request);
  }

  /** Stored model versions per series. */
  forecastModels(): Promise<ModelList> {
    return this.request('GET', '/api/v1/forecast/models');
  }

  scalePlan(request: ScalePlanRequestInput): Promise<ScalePlanResponse> {
    return this.request('POST', '/api/v1/scale-plan', request);
  }

  /** Asks the assistant and waits for the whole answer. */
  ask(request: AskRequest): Promise<Answer> {
    return this.request('POST', '/api/v1/assistant/ask', { ...request, stream: false });
  }

  /** Asks the assistant and streams tokens, citations and tool calls as they come; the last event is `done`. */
  async *askStream(request: AskRequest, signal?: AbortSignal): AsyncGenerator<SseMessage<unknown>> {
    yield* this.stream('POST', '/api/v1/assistant/ask', request, signal);
  }

  searchKnowledge(q: string, k?: number): Promise<{ results: SearchResult[] }> {
    return this.request('GET', `/api/v1/assistant/search${qs({ q, k })}`);
  }

  /** Every knowledge-base page with its text: what portal search indexes. */
  knowledgeDocuments(query: PageQuery & { source?: string; path?: string; maxChars?: number } = {}): Promise<Page<KnowledgeDocument>> {
    return this.request('GET', `/api/v1/assistant/documents${qs(query)}`);
  }

  /** Ingests folders inside the engine's `assistant.ingest.roots` (admin; a job whose result lists one report per folder). */
  ingestKnowledge(request: IngestRequest): Promise<JobRecordDto> {
    return this.request('POST', '/api/v1/assistant/ingest', request);
  }

  /**
   * Removes one knowledge-base source by name (as GET /assistant/status lists it; admin token). 404 when unknown, 409
   * for a source the engine's config ingests at start.
   */
  removeKnowledgeSource(name: string): Promise<RemovedSource> {
    return this.request('DELETE', `/api/v1/assistant/sources/${encodeURIComponent(name)}`);
  }

  feedback(request: FeedbackRequest): Promise<unknown> {
    return this.request('POST', '/api/v1/assistant/feedback', request);
  }

  /** Sends an Alertmanager webhook body (payload version 4) as Alertmanager would. */
  sendAlertmanagerWebhook(body: AlertmanagerWebhook): Promise<IngestResult> {
    return this.request('POST', '/api/v1/alerts/webhook/alertmanager', body);
  }

  sendAlerts(alerts: GenericAlert[]): Promise<IngestResult> {
    return this.request('POST', '/api/v1/alerts', { alerts });
  }

  alerts(query: { status?: 'firing' | 'resolved' | 'all'; limit?: number } = {}): Promise<{ items: AlertDto[] }> {
    return this.request('GET', `/api/v1/alerts${qs(query)}`);
  }

  alertStats(): Promise<AlertStats> {
    return this.request('GET', '/api/v1/alerts/stats');
  }

  incidents(query: { status?: 'open' | 'resolved' | 'all'; limit?: number } = {}): Promise<{ items: IncidentDto[] }> {
    return this.request('GET', `/api/v1/incidents${qs(query)}`);
  }

  incident(id: string): Promise<IncidentDto> {
    return this.request('GET', `/api/v1/incidents/${encodeURIComponent(id)}`);
  }

  acknowledgeIncident(id: string): Promise<IncidentDto> {
    return this.request('POST', `/api/v1/incidents/${encodeURIComponent(id)}/ack`);
  }

  resolveIncident(id: string): Promise<IncidentDto> {
    return this.request('POST', `/api/v1/incidents/${encodeURIComponent(id)}/resolve`);
  }

  addSuppression(request: SuppressionRequest): Promise<SuppressionDto> {
    return this.request('POST', '/api/v1/alerts/suppressions', request);
  }

  /** Ends a suppression window now; it stays listed as expired, as Alertmanager keeps expired silences. */
  expireSuppression(id: string): Promise<SuppressionDto> {
    return this.request('DELETE', `/api/v1/alerts/suppressions/${encodeURIComponent(id)}`);
  }

  /**
   * The live incident stream (SSE): `ready`, then `incident` events from every replica; with `service`, only those of
   * incidents that involve one of these services.
   */
  async *incidentEvents(
    signal?: AbortSignal,
    query: { service?: readonly string[] } = {}
  ): AsyncGenerator<SseMessage<unknown>> {
    const service = query.service?.length ? query.service.join(',') : undefined;
    yield* this.stream('GET', `/api/v1/incidents/events${qs({ service })}`, undefined, signal);
  }

  /** What is wrong in the cluster now (a fresh scan). */
  repairFindings(query: { namespace?: string } = {}): Promise<RepairScanResponse> {
    return this.request('GET', `/api/v1/repair/findings${qs(query)}`);
  }

  /** What the rules in force would do about the current findings; nothing is changed. */
  repairPlans(query: { namespace?: string } = {}): Promise<RepairPlanResponse> {
    return this.request('GET', `/api/v1/repair/plans${qs(query)}`);
  }

  /**
   * Actions, newest first, a page at a time. `name`: comma-separated workload names (the action's finding workload or
   * planned target); `node`: comma-separated node names (actions on a Node, or on a finding about one); `since`: an
   * RFC 3339 time, at or after which the actions were created; `updatedSince`: one at or after which they were
   * updated, listed newest update first (ask from a little before the newest `updatedAt` seen: replicas' clocks differ).
   */
  repairActions(
    query: PageQuery & {
      state?: string;
      namespace?: string;
      name?: string;
      node?: string;
      since?: string;
      updatedSince?: string;
    } = {},
  ): Promise<Page<RepairActionDto>> {
    return this.request('GET', `/api/v1/repair/actions${qs(query)}`);
  }

  repairAction(id: string): Promise<RepairActionDto> {
    return this.request('GET', `/api/v1/repair/actions/${encodeURIComponent(id)}`);
  }

  /** Actions waiting for an operator, each with its dry-run diff and expiry. */
  repairApprovals(): Promise<{ items: RepairActionDto[] }> {
    return this.request('GET', '/api/v1/repair/approvals');
  }

  approveRepair(id: string, comment?: string): Promise<RepairActionDto> {
    return this.request('POST', `/api/v1/repair/approvals/${encodeURIComponent(id)}/approve`, comment ? { comment } : {});
  }

  rejectRepair(id: string, comment?: string): Promise<RepairActionDto> {
    return this.request('POST', `/api/v1/repair/approvals/${encodeURIComponent(id)}/reject`, comment ? { comment } : {});
  }

  repairAudit(query: RepairAuditQuery = {}): Promise<{ items: RepairAuditRecordDto[] }> {
    return this.request('GET', `/api/v1/repair/audit${qs(query)}`);
  }

  /** Re-hashes the audit chain on the engine; `ok: false` names the first record changed or removed. */
  verifyRepairAudit(): Promise<RepairAuditVerification> {
    return this.request('GET', '/api/v1/repair/audit/verify');
  }

  repairKillSwitch(): Promise<RepairKillSwitch> {
    return this.request('GET', '/api/v1/repair/kill-switch');
  }

  /** Stops (or resumes) all acting on every replica (admin). */
  setRepairKillSwitch(on: boolean): Promise<RepairKillSwitch> {
    return this.request('PUT', '/api/v1/repair/kill-switch', { on });
  }

  /** Repair events (SSE): `ready`, then `action`, `findings`, `escalation`, `notify`, `kill-switch`. */
  async *repairEvents(signal?: AbortSignal): AsyncGenerator<SseMessage<unknown>> {
    yield* this.stream('GET', '/api/v1/repair/events', undefined, signal);
  }

  /** A JSON request to any engine path; capability methods are built on it. */
  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await this.send(method, path, body);
    if (!response.ok) throw await toError(response);
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }

  /** Server-sent events from any engine path, as parsed messages. */
  async *stream<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): AsyncGenerator<SseMessage<T>> {
    const response = await this.send(method, path, body, { accept: 'text/event-stream' }, signal);
    if (!response.ok) throw await toError(response);
    if (!response.body) throw new EngineApiError(response.status, 'BAD_RESPONSE', 'stream without a body');
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let boundary: number;
        while ((boundary = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, boundary);
          buffer = buffer.slice(boundary + 2);
          const message = parseSseBlock<T>(block);
          if (message) yield message;
        }
      }
    } finally {
      await reader.cancel().catch(() => undefined);
    }
  }

  private send(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
    signal?: AbortSignal,
  ): Promise<Response> {
    const allHeaders: Record<string, string> = { accept: 'application/json', ...headers };
    if (this.options.token) allHeaders.authorization = `Bearer ${this.options.token}`;
    if (body !== undefined) allHeaders['content-type'] = 'application/json';
    return this.doFetch(`${this.baseUrl}${path}`, {
      method,
      headers: allHeaders,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      ...(signal ? { signal } : {}),
    });
  }
}

export function createEngineClient(options: EngineClientOptions): EngineClient {
  return new EngineClient(options);
}

export function parseSseBlock<T>(block: string): SseMessage<T> | undefined {
  let event = 'message';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) continue;
    if (line.startsWith('event:')) event = line.slice(6).trim();
    else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
  }
  if (data.length === 0) return undefined;
  return { event, data: JSON.parse(data.join('\n')) as T };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

async function toError(response: Response): Promise<EngineApiError> {
  try {
    const body = (await response.json()) as ErrorBodyDto;
    const retryAfter = Number(response.headers.get('retry-after') ?? NaN);
    return new EngineApiError(response.status, body.error.code, body.error.message, body.error.issues ?? [], Number.isFinite(retryAfter) ? retryAfter : undefined);
  } catch {
    return new EngineApiError(response.status, 'HTTP_' + response.status, response.statusText || 'request failed');
  }
}

function qs(params: object): string {
  const entries = Object.entries(params as Record<string, unknown>).filter(([, v]) => v !== undefined && v !== '');
  if (entries.length === 0) return '';
  return '?' + entries.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`).join('&');
}

/** A PromQL value from the engine as a JS number: "+Inf", "-Inf" and "NaN" (Prometheus' spelling) decoded. */
export function decodePromValue(value: PromValue): number {
  if (typeof value === 'number') return value;
  return value === 'NaN' ? NaN : value === '-Inf' ? -Infinity : Infinity;
}
