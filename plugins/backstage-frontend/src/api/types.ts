import type { JobRecordDto, WorkloadHealth } from '@ai-cloudops/engine/client';

export type { JobRecordDto, WorkloadHealth };

/** What the backend plugin's entity route answers: one entry per cluster, an error entry where one failed. */
export interface ClusterWorkloads {
  cluster: string;
  workloads: WorkloadHealth[];
  error?: { name: string; message: string; statusCode?: number };
}

export interface EntityWorkloadsResponse {
  entityRef: string;
  target: { namespace?: string; labelSelector: string };
  items: ClusterWorkloads[];
}

/*
 * Capability results, kept to the fields the page shows and read defensively: capabilities land on the engine
 * independently, so a field may be missing on an older engine.
 */
export interface RcaCandidate {
  service: string;
  signal: string;
  faultType: string;
  score: number;
  evidence?: {
    metrics?: Array<{ signal: string; deviation?: number }>;
    logs?: Array<{ template: string }>;
    events?: Array<{ reason?: string; message?: string }>;
    changes?: Array<{ description?: string; kind?: string }>;
  };
}

export interface RcaResult {
  candidates: RcaCandidate[];
  narrative?: string;
  warnings?: string[];
}

export interface ForecastPoint {
  t: number;
  value: number;
  lower: number;
  upper: number;
}

export interface ForecastResult {
  model: string;
  reason?: string;
  points: ForecastPoint[];
  history?: Array<{ t: number; value: number }>;
}

export interface Citation {
  n: number;
  title: string;
  path?: string;
  url?: string;
  section?: string;
}

export interface AssistantAnswer {
  answer: string;
  citations: Citation[];
  mode: 'model' | 'extractive' | string;
}

/** A capability the engine does not offer (yet): shown as a note, not as an error. */
export interface Unavailable {
  unavailable: true;
  message: string;
}

export const isUnavailable = (value: unknown): value is Unavailable =>
  typeof value === 'object' && value !== null && (value as Unavailable).unavailable === true;
