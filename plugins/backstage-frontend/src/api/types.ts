/*
 * Engine responses are the engine's own types (inferred from the schemas its server validates with), and the entity
 * route's answer is the type the backend plugin builds it with, from the common package (a frontend plugin must not
 * import a backend one): the page reads exactly what they send, with no copies to drift.
 */
export type {
  Answer,
  Citation,
  FindingDto,
  IncidentAlert,
  IncidentDto,
  RepairActionDto,
  ForecastPoint,
  ForecastResponse,
  JobRecordDto,
  KnowledgeDocument,
  RcaCandidate,
  RcaResult,
  ScalePlanResponse,
  SignalCatalog,
  ToolCallRecord,
  WorkloadHealth,
} from '@ai-cloudops/engine-client';
export type { ClusterWorkloads, EntityWorkloadsResponse } from '@ai-cloudops/backstage-plugin-common';

/** What the cards ask the engine for; each has its note in the translations (`unavailable.<capability>`). */
export type EngineCapability =
  'rca' | 'forecast' | 'scalePlan' | 'backtest' | 'assistant' | 'repair' | 'alerting';

/**
 * A capability the engine does not offer (yet): shown as a note, not as an error, in the user's language
 * (`UnavailableNote`); `message` is the engine's reason as it sent it.
 */
export interface Unavailable {
  unavailable: true;
  capability: EngineCapability;
  message: string;
}

export const isUnavailable = (value: unknown): value is Unavailable =>
  typeof value === 'object' && value !== null && (value as Unavailable).unavailable === true;

/**
 * One message of the engine's live incident stream (`GET /api/v1/incidents/events`): `ready` once subscribed, then an
 * `incident` per change (`opened`, `updated`, `notified`, `acknowledged`, `resolved`) with a summary of the incident.
 * The route has no response schema, so this mirrors the engine's IncidentEvent (src/alerts/IncidentBus.ts); the summary
 * names services but no namespace or alerts, so a card reads the incident list again to show a change.
 */
export type IncidentStreamMessage =
  | { event: 'ready'; data: { at: string } }
  | {
      event: 'incident';
      data: { type: string; incident: { id: string; status: string; services: string[] }; at: string };
    };

/** Which workloads an entity owns, for filtering engine-wide lists (findings, approvals, incidents) to the entity. */
export interface EntityScope {
  /** Undefined: the engine's default namespace (the entity has no namespace annotation). */
  namespace?: string;
  /** Names of the entity's workloads (from its label selector) and its service name. */
  names: string[];
}

/** A forecast's series on the entity's service: the forecast, scale-plan and backtest calls share it. */
export interface ForecastScopeRequest {
  namespace?: string;
  service: string;
  signal: string;
  horizonMinutes?: number;
}

/** A `forecast.backtest` job's result and a model's errors at one horizon (null where no target was observed). */
export type {
  BacktestResult as BacktestResultDto,
  HorizonMetrics as BacktestHorizonDto,
} from '@ai-cloudops/engine-client';
