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

// RCA result: engine/src/rca/schemas.ts (candidateSchema, rcaResultSchema).

export interface MetricEvidence {
  signal: string;
  /** The query behind the evidence; the page opens it in Explore. */
  promql?: string;
  unit?: string;
  baselineMedian: number;
  incidentValue: number;
  /** Robust z of the incident against the baseline. */
  deviation: number;
  /** Unix seconds of the detected level change. */
  changePoint?: number;
  correlation?: number;
}

export interface LogEvidence {
  template: string;
  countBaseline: number;
  countIncident: number;
  sample: string;
  isNew: boolean;
}

export interface EventEvidence {
  time: number;
  type: string;
  reason: string;
  message: string;
  count: number;
  object: string;
}

export interface ChangeEvidence {
  time: number;
  kind: string;
  description: string;
}

export interface RcaCandidate {
  service: string;
  signal: string;
  faultType: string;
  score: number;
  evidence: {
    metrics?: MetricEvidence[];
    logs?: LogEvidence[];
    events?: EventEvidence[];
    changes?: ChangeEvidence[];
  };
}

export interface RcaResult {
  id?: string;
  candidates: RcaCandidate[];
  narrative: string;
  narrativeSource?: 'template' | 'model';
  /** Unix seconds: the baseline runs from baselineStart to start, the incident from start to end. */
  window?: { baselineStart: number; start: number; end: number };
  target?: { service: string; signal?: string };
  /** Problems met while collecting data; partial failure is data. */
  warnings?: string[];
}

export interface ForecastRequest {
  namespace?: string;
  service: string;
  signal: string;
  horizonMinutes?: number;
}

// Forecast: engine/src/forecast/schemas.ts (forecastResponseSchema).

export interface ForecastPoint {
  /** Unix seconds (milliseconds and ISO-8601 are read too: see `toEpochMs`). */
  t: number | string;
  value: number;
  lower?: number;
  upper?: number;
}

export interface ForecastResponse {
  seriesKey?: string;
  model: string;
  reason?: string;
  /** `stored` = a trained, promoted model version; `cold-start` = baselines fitted on the spot. */
  source?: 'stored' | 'cold-start';
  modelVersion?: number;
  stepSeconds?: number;
  /** Share of backtest actuals inside the interval. */
  coverage?: number;
  points: ForecastPoint[];
  history?: Array<{ t: number | string; value: number }>;
}

export interface AskRequest {
  question: string;
  conversationId?: string;
  namespace?: string;
  workload?: string;
}

// Assistant: engine/src/assistant/schemas.ts (answerSchema).

export interface Citation {
  n: number;
  title: string;
  path?: string;
  url?: string;
  section?: string;
  score?: number;
}

export interface ToolCallRecord {
  name: string;
  ok: boolean;
  /** One line of what was looked at and found. */
  summary: string;
}

export interface AskResponse {
  answer: string;
  citations: Citation[];
  toolCalls?: ToolCallRecord[];
  mode?: string;
  /** Nothing relevant was found and the answer says so. */
  unanswered?: boolean;
  conversationId?: string;
  runbookSteps?: string[];
}

export interface RangeQuery {
  query: string;
  /** Unix seconds. */
  start: number;
  end: number;
  step: number;
}
