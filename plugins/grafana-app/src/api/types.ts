/**
 * The engine's HTTP API as the plugin reads it. Core shapes follow engine/src/schemas/core.ts; capability results
 * (RCA, forecast, assistant) land during development, so their fields beyond the documented ones are optional and
 * the pages render them defensively.
 */

export interface HealthCheck {
  name: string;
  ok: boolean;
  detail: string;
  latencyMs?: number;
}

export interface Readiness {
  ready: boolean;
  profile?: 'demo' | 'live';
  checks: HealthCheck[];
}

export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

export interface PodInfo {
  namespace: string;
  name: string;
  phase: string;
  ready: boolean;
  restarts: number;
  nodeName?: string;
  containers: Array<{ name: string; state: string; reason?: string; restartCount: number; ready: boolean }>;
}

export type WorkloadHealthState = 'healthy' | 'degraded' | 'unavailable';

export interface WorkloadHealth {
  cluster: string;
  kind: 'Deployment' | 'StatefulSet' | 'DaemonSet';
  namespace: string;
  name: string;
  replicas: number;
  readyReplicas: number;
  availableReplicas: number;
  images: string[];
  revision?: string;
  conditions: Condition[];
  health: WorkloadHealthState;
  reasons: string[];
  pods: PodInfo[];
}

export interface ClusterInfo {
  name: string;
  default: boolean;
}

export interface SignalInfo {
  name: string;
  query: string;
  unit: string;
  badDirection: 'up' | 'down' | 'both';
}

export interface RangeSeries {
  labels: Record<string, string>;
  /** Unix seconds. */
  timestamps: number[];
  values: number[];
}

export type JobStatus = 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface JobRecord<R = unknown> {
  id: string;
  kind: string;
  status: JobStatus;
  progress: number;
  message: string;
  params?: unknown;
  createdAt: string;
  finishedAt?: string;
  result?: R;
  error?: { code: string; message: string };
}

export interface RcaRequest {
  namespace?: string;
  cluster?: string;
  target?: { service: string; signal?: string };
  /** Unix seconds or ISO-8601. */
  window?: { start: number | string; end: number | string };
}

export interface RcaEvidence {
  kind?: string;
  summary?: string;
  detail?: string;
  signal?: string;
  /** PromQL that shows the evidence; the page links it to Explore. */
  query?: string;
  [key: string]: unknown;
}

export interface RcaCandidate {
  service: string;
  signal?: string;
  faultType?: string;
  score: number;
  evidence?: Array<RcaEvidence | string>;
}

export interface RcaResult {
  candidates: RcaCandidate[];
  narrative?: string;
}

export interface ForecastRequest {
  namespace?: string;
  service: string;
  signal: string;
  horizonMinutes?: number;
}

export interface ForecastPoint {
  /** Unix seconds, unix milliseconds or ISO-8601: normalised by `toEpochMs`. */
  t: number | string;
  value: number;
  lower?: number;
  upper?: number;
}

export interface ForecastResponse {
  model: string;
  reason?: string;
  points: ForecastPoint[];
  history?: ForecastPoint[];
}

export interface AskRequest {
  question: string;
  conversationId?: string;
  namespace?: string;
  workload?: string;
}

export interface Citation {
  n: number;
  title: string;
  path?: string;
  url?: string;
  section?: string;
}

export interface AskResponse {
  answer: string;
  citations: Citation[];
  mode?: string;
  conversationId?: string;
}

export interface RangeQuery {
  query: string;
  /** Unix seconds. */
  start: number;
  end: number;
  step: number;
}
