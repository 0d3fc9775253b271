import type { CompoundEntityRef } from '@backstage/catalog-model';
import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import { createEngineClient, EngineApiError, type EngineClient } from '@ai-cloudops/engine-client';
import type { PortalSettings } from '@ai-cloudops/backstage-plugin-common';
import { StreamInterruptedError, type AskStreamEvent, type CloudOpsApi, type EntityRepairs } from './CloudOpsApi';
import { isEntityAction, isEntityFinding, isEntityIncident } from './entityScope';
import type {
  Answer,
  EngineCapability,
  EntityScope,
  EntityWorkloadsResponse,
  ForecastResponse,
  ForecastScopeRequest,
  IncidentDto,
  IncidentStreamMessage,
  JobRecordDto,
  KnowledgeDocument,
  RcaResult,
  RepairActionDto,
  ScalePlanResponse,
  SignalCatalog,
  Unavailable,
} from './types';

export interface CloudOpsClientOptions {
  discoveryApi: DiscoveryApi;
  fetchApi: FetchApi;
  /** Milliseconds between job polls while an analysis runs. */
  pollIntervalMs?: number;
  /** Gives up waiting for an analysis after this many milliseconds. */
  jobTimeoutMs?: number;
}

const DEFAULT_POLL_MS = 1000;
const DEFAULT_JOB_TIMEOUT_MS = 5 * 60 * 1000;

/**
 * Talks to the `aicloudops` backend plugin only. Engine calls go through its /engine pass-through with the user's
 * Backstage credentials (fetchApi adds them), and reuse the engine's typed client for the wire protocol.
 */
export class CloudOpsClient implements CloudOpsApi {
  private readonly pollMs: number;
  private readonly jobTimeoutMs: number;
  private settingsRead?: Promise<PortalSettings>;

  constructor(private readonly options: CloudOpsClientOptions) {
    this.pollMs = options.pollIntervalMs ?? DEFAULT_POLL_MS;
    this.jobTimeoutMs = options.jobTimeoutMs ?? DEFAULT_JOB_TIMEOUT_MS;
  }

  /**
   * Read once per page: the backend reads its config once at start-up. A failed read is forgotten, so the next
   * button asks again.
   */
  settings(): Promise<PortalSettings> {
    this.settingsRead ??= this.readSettings().catch((error: unknown) => {
      this.settingsRead = undefined;
      throw error;
    });
    return this.settingsRead;
  }

  private async readSettings(): Promise<PortalSettings> {
    const base = await this.options.discoveryApi.getBaseUrl('aicloudops');
    const response = await this.options.fetchApi.fetch(`${base}/settings`);
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return (await response.json()) as PortalSettings;
  }

  async getEntityWorkloads(entity: CompoundEntityRef): Promise<EntityWorkloadsResponse> {
    const base = await this.options.discoveryApi.getBaseUrl('aicloudops');
    const path = [entity.namespace, entity.kind, entity.name].map(encodeURIComponent).join('/');
    const response = await this.options.fetchApi.fetch(`${base}/entity/${path}/workloads`);
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return (await response.json()) as EntityWorkloadsResponse;
  }

  async runRca(
    request: { namespace?: string; service: string },
    onProgress?: (job: JobRecordDto) => void,
  ): Promise<RcaResult | Unavailable> {
    const engine = await this.engine();
    const body = { ...(request.namespace ? { namespace: request.namespace } : {}), target: { service: request.service } };
    const started = await capability(() => engine.startRca(body), 'rca');
    if ('unavailable' in started) return started;
    // Polling rather than SSE: proxies between browser and Backstage often buffer event streams.
    let job = started;
    const deadline = Date.now() + this.jobTimeoutMs;
    // Queued (waiting for a slot under admission control) and running both end in a final state.
    while (isActive(job.status)) {
      onProgress?.(job);
      if (Date.now() > deadline) throw new Error(`root-cause analysis ${job.id} did not finish in time`);
      await new Promise((resolve) => setTimeout(resolve, this.pollMs));
      job = await engine.job(job.id);
    }
    onProgress?.(job);
    if (job.status !== 'succeeded') {
      throw new Error(`root-cause analysis ${job.status}: ${job.error?.message ?? job.message}`);
    }
    // The job schema keeps results unknown (one store serves every kind); an RCA job's result is an RcaResult.
    return job.result as RcaResult;
  }

  async startRca(request: { namespace?: string; service: string }): Promise<JobRecordDto | Unavailable> {
    const engine = await this.engine();
    const body = { ...(request.namespace ? { namespace: request.namespace } : {}), target: { service: request.service } };
    return capability(() => engine.startRca(body), 'rca');
  }

  async job(id: string): Promise<JobRecordDto> {
    return (await this.engine()).job(id);
  }

  async *jobEvents(id: string, signal?: AbortSignal): AsyncGenerator<JobRecordDto> {
    const engine = await this.engine();
    const path = `/api/v1/jobs/${encodeURIComponent(id)}/events`;
    for await (const message of engine.stream<JobRecordDto>('GET', path, undefined, signal)) yield message.data;
  }

  async forecast(request: ForecastScopeRequest & { historyHours?: number }): Promise<ForecastResponse | Unavailable> {
    const engine = await this.engine();
    return capability(() => engine.forecast(request), 'forecast');
  }

  async signals(): Promise<SignalCatalog> {
    return (await this.engine()).signals();
  }

  async scalePlan(request: ForecastScopeRequest): Promise<ScalePlanResponse | Unavailable> {
    const engine = await this.engine();
    const { service, ...rest } = request;
    // `recommend` only: the tab shows the plan; scaling stays an explicit act elsewhere.
    const body = { ...rest, service, workload: { name: service }, mode: 'recommend' as const };
    return capability(() => engine.scalePlan(body), 'scalePlan');
  }

  async startBacktest(
    request: ForecastScopeRequest & { historyDays?: number; testDays?: number },
  ): Promise<JobRecordDto | Unavailable> {
    const engine = await this.engine();
    // The horizon is the models' own (their trained horizon); a backtest takes no horizonMinutes.
    const { namespace, service, signal, historyDays, testDays } = request;
    const body = { namespace, service, signal, historyDays, testDays };
    return capability(() => engine.backtestForecast(body), 'backtest');
  }

  async knowledgeDocument(document: { source?: string; path: string }): Promise<KnowledgeDocument | undefined> {
    const engine = await this.engine();
    const { items } = await engine.knowledgeDocuments({ ...document, maxChars: 100_000 });
    return items[0];
  }

  async ask(request: { question: string; namespace?: string; workload?: string }): Promise<Answer | Unavailable> {
    const engine = await this.engine();
    return capability(() => engine.ask(request), 'assistant');
  }

  /**
   * One ask over SSE on its own client, whose fetch notes when the engine's answer started: a failure after that is a
   * dropped stream (StreamInterruptedError), one before it means the question never reached the engine. A proxy that
   * drops the Accept header gets the engine's JSON answer, which is passed on as the `done` event.
   */
  async *askStream(
    request: { question: string; namespace?: string; workload?: string },
    signal?: AbortSignal,
  ): AsyncGenerator<AskStreamEvent> {
    const base = await this.options.discoveryApi.getBaseUrl('aicloudops');
    let opened = false;
    const noteOpen = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
      const response = await this.options.fetchApi.fetch(input, init);
      opened = response.ok;
      if (response.ok && (response.headers.get('content-type') ?? '').includes('json')) {
        const body = `event: done\ndata: ${JSON.stringify(await response.json())}\n\n`;
        return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
      }
      return response;
    };
    const once = createEngineClient({ baseUrl: `${base}/engine`, fetchApi: noteOpen as typeof fetch });
    try {
      for await (const message of once.askStream(request, signal)) yield message as AskStreamEvent;
    } catch (error) {
      if (!opened || signal?.aborted) throw error;
      const reason = error instanceof Error ? `: ${error.message}` : '';
      throw new StreamInterruptedError(`the connection dropped before the answer was complete${reason}`);
    }
  }

  async getRepairs(scope: EntityScope): Promise<EntityRepairs | Unavailable> {
    const engine = await this.engine();
    return capability(async () => {
      const [scan, approvals] = await Promise.all([
        engine.repairFindings(scope.namespace ? { namespace: scope.namespace } : {}),
        engine.repairApprovals(),
      ]);
      return {
        findings: scan.findings.filter((f) => isEntityFinding(scope, f)),
        approvals: approvals.items.filter((a) => isEntityAction(scope, a)),
      };
    }, 'repair');
  }

  async decideRepair(id: string, decision: 'approve' | 'reject', comment?: string): Promise<RepairActionDto> {
    const engine = await this.engine();
    return decision === 'approve' ? engine.approveRepair(id, comment) : engine.rejectRepair(id, comment);
  }

  async getIncidents(scope: EntityScope): Promise<IncidentDto[] | Unavailable> {
    const engine = await this.engine();
    return capability(async () => {
      const { items } = await engine.incidents({ status: 'open' });
      return items.filter((i) => isEntityIncident(scope, i));
    }, 'alerting');
  }

  async updateIncident(id: string, action: 'ack' | 'resolve'): Promise<IncidentDto> {
    const engine = await this.engine();
    return action === 'ack' ? engine.acknowledgeIncident(id) : engine.resolveIncident(id);
  }

  async *incidentEvents(signal?: AbortSignal, services?: readonly string[]): AsyncGenerator<IncidentStreamMessage> {
    const engine = await this.engine();
    // The engine takes at most 100 services in the filter; an entity with more gets every change, filtered here.
    const service = services && services.length <= 100 ? services : undefined;
    for await (const message of engine.incidentEvents(signal, { service })) {
      if (message.event === 'ready' || message.event === 'incident') yield message as IncidentStreamMessage;
    }
  }

  private async engine(): Promise<EngineClient> {
    const base = await this.options.discoveryApi.getBaseUrl('aicloudops');
    return createEngineClient({ baseUrl: `${base}/engine`, fetchApi: this.options.fetchApi });
  }
}

/**
 * The engine answers a missing route with 404 `no route METHOD /path`: this engine lacks the capability. Repair answers
 * 503 UPSTREAM_UNAVAILABLE when the engine cannot act on its default cluster: also a note, not a failure.
 */
async function capability<T>(call: () => Promise<T>, capability: EngineCapability): Promise<T | Unavailable> {
  try {
    return await call();
  } catch (error) {
    if (!(error instanceof EngineApiError)) throw error;
    const missingRoute = error.status === 404 && error.message.startsWith('no route');
    const cannotRepair = error.code === 'UPSTREAM_UNAVAILABLE' && capability === 'repair';
    if (missingRoute || cannotRepair) return { unavailable: true, capability, message: error.message };
    throw error;
  }
}

/** Job states that still change; the rest (succeeded, failed, cancelled, interrupted) are final. */
function isActive(status: string): boolean {
  return status === 'queued' || status === 'running';
}
