import { createApiRef } from '@backstage/core-plugin-api';
import type { CompoundEntityRef } from '@backstage/catalog-model';
import type { AskStreamEvent } from '@ai-cloudops/engine-client';
import type { PortalSettings } from '@ai-cloudops/backstage-plugin-common';
import type {
  Answer,
  EntityScope,
  EntityWorkloadsResponse,
  FindingDto,
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

/**
 * The answer stream's events, and the error for a stream that dropped after it opened (the engine had the question,
 * so it is not sent again): defined once in the client, whose askOverStream tells the drop apart by this class.
 */
export { StreamInterruptedError, type AskStreamEvent } from '@ai-cloudops/engine-client';

/** The entity's part of the engine's repair state. */
export interface EntityRepairs {
  findings: FindingDto[];
  approvals: RepairActionDto[];
}

/** The page's one seam: the real client calls the backend plugin; tests may provide their own implementation. */
export interface CloudOpsApi {
  /** The backend's own settings the tab offers its actions by (`GET /settings`): whether cluster changes are forwarded. */
  settings(): Promise<PortalSettings>;
  getEntityWorkloads(entity: CompoundEntityRef): Promise<EntityWorkloadsResponse>;
  /** Starts a root-cause analysis and resolves with its result once the engine's job finishes. */
  runRca(
    request: { namespace?: string; service: string },
    onProgress?: (job: JobRecordDto) => void,
  ): Promise<RcaResult | Unavailable>;
  /** Starts a root-cause analysis and answers with its job record at once; follow it with `jobEvents` or `job`. */
  startRca(request: { namespace?: string; service: string }): Promise<JobRecordDto | Unavailable>;
  job(id: string): Promise<JobRecordDto>;
  /** The job's server-sent events through the backend's pass-through: each record as it changes, the final one last. */
  jobEvents(id: string, signal?: AbortSignal): AsyncGenerator<JobRecordDto>;
  forecast(
    request: ForecastScopeRequest & { historyHours?: number },
  ): Promise<ForecastResponse | Unavailable>;
  /** The engine's signals with their units (`GET /api/v1/signals`), so the forecast's numbers carry a unit. */
  signals(): Promise<SignalCatalog>;
  /** The replica plan (mode `recommend`, never apply) for the workload named like the service. */
  scalePlan(request: ForecastScopeRequest): Promise<ScalePlanResponse | Unavailable>;
  /** Starts a rolling-origin backtest of every model against the baselines; its job result is a BacktestResultDto. */
  startBacktest(
    request: ForecastScopeRequest & { historyDays?: number; testDays?: number },
  ): Promise<JobRecordDto | Unavailable>;
  ask(request: { question: string; namespace?: string; workload?: string }): Promise<Answer | Unavailable>;
  /** One page of the engine's knowledge base by its source and path (what a search result opens); undefined if gone. */
  knowledgeDocument(document: { source?: string; path: string }): Promise<KnowledgeDocument | undefined>;
  /**
   * The answer as it is written, through the backend's pass-through: tool calls, tokens, citations, then `done`.
   * Throws StreamInterruptedError when the connection drops after the stream opened; any other throw means no
   * stream was opened (the question did not reach the engine).
   */
  askStream(
    request: { question: string; namespace?: string; workload?: string },
    signal?: AbortSignal,
  ): AsyncGenerator<AskStreamEvent>;
  /** Findings and pending approvals of the entity's workloads. */
  getRepairs(scope: EntityScope): Promise<EntityRepairs | Unavailable>;
  /** Approves or rejects a pending action (needs aicloudops.repair.approve and cluster changes allowed). */
  decideRepair(id: string, decision: 'approve' | 'reject', comment?: string): Promise<RepairActionDto>;
  /** Open incidents touching the entity's services. */
  getIncidents(scope: EntityScope): Promise<IncidentDto[] | Unavailable>;
  updateIncident(id: string, action: 'ack' | 'resolve'): Promise<IncidentDto>;
  /**
   * The engine's live incident stream through the backend's pass-through: `ready`, then an `incident` message per
   * change of an incident involving one of `services` (every incident when none are given). Throws as the
   * pass-through answers (429 with Retry-After past the per-user stream cap). Optional: an implementation without it
   * (a test double) leaves the Incidents card polling.
   */
  incidentEvents?(signal?: AbortSignal, services?: readonly string[]): AsyncGenerator<IncidentStreamMessage>;
}

export const cloudOpsApiRef = createApiRef<CloudOpsApi>({ id: 'plugin.aicloudops.service' });
