import { z } from 'zod';
import { QUERY_LIMITS, describeSeconds } from '../sources/metrics/queryLimits.js';

/**
 * Schemas of the core API, shared by the server (validation, serialisation, OpenAPI), the typed client and the
 * plugins. Capability schemas live beside their capability (rca/schemas.ts, ...) and are re-exported from index.ts.
 */

export const errorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    issues: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
    requestId: z.string().optional(),
  }),
});

export const healthCheckSchema = z.object({
  name: z.string(),
  ok: z.boolean(),
  detail: z.string(),
  latencyMs: z.number().optional(),
});

export const readinessSchema = z.object({
  ready: z.boolean(),
  profile: z.enum(['demo', 'live']),
  checks: z.array(healthCheckSchema),
});

export const clusterQuerySchema = z.object({
  cluster: z.string().min(1).optional(),
  namespace: z.string().min(1).optional(),
  labelSelector: z.string().min(1).optional(),
});

const conditionSchema = z.object({
  type: z.string(),
  status: z.string(),
  reason: z.string().optional(),
  message: z.string().optional(),
  lastTransitionTime: z.string().optional(),
});

export const podInfoSchema = z.object({
  namespace: z.string(),
  name: z.string(),
  labels: z.record(z.string(), z.string()),
  phase: z.string(),
  nodeName: z.string().optional(),
  ready: z.boolean(),
  restarts: z.number(),
  containers: z.array(
    z.object({
      name: z.string(),
      image: z.string(),
      ready: z.boolean(),
      restartCount: z.number(),
      state: z.enum(['running', 'waiting', 'terminated', 'unknown']),
      reason: z.string().optional(),
      message: z.string().optional(),
      lastTerminationReason: z.string().optional(),
      lastTerminatedAt: z.string().optional(),
    }),
  ),
  conditions: z.array(conditionSchema),
  ownerKind: z.string().optional(),
  ownerName: z.string().optional(),
  startedAt: z.string().optional(),
  createdAt: z.string().optional(),
});

export const workloadHealthSchema = z.object({
  cluster: z.string(),
  kind: z.enum(['Deployment', 'StatefulSet', 'DaemonSet']),
  namespace: z.string(),
  name: z.string(),
  labels: z.record(z.string(), z.string()),
  annotations: z.record(z.string(), z.string()),
  selector: z.string(),
  replicas: z.number(),
  readyReplicas: z.number(),
  updatedReplicas: z.number(),
  availableReplicas: z.number(),
  revision: z.string().optional(),
  images: z.array(z.string()),
  generation: z.number(),
  observedGeneration: z.number(),
  conditions: z.array(conditionSchema),
  createdAt: z.string().optional(),
  health: z.enum(['healthy', 'degraded', 'unavailable']),
  reasons: z.array(z.string()),
  pods: z.array(podInfoSchema),
});

export const eventInfoSchema = z.object({
  namespace: z.string(),
  type: z.string(),
  reason: z.string(),
  message: z.string(),
  involvedKind: z.string(),
  involvedName: z.string(),
  count: z.number(),
  firstTimestamp: z.string().optional(),
  lastTimestamp: z.string().optional(),
});

/** Unix seconds or an ISO-8601 time; both arrive as strings in query parameters. */
export const timeInputSchema = z.union([z.number(), z.string().min(1).max(64)]).transform((value, ctx) => {
  const seconds = typeof value === 'number' || /^\d+(\.\d+)?$/.test(value) ? Number(value) : Date.parse(value) / 1000;
  if (!Number.isFinite(seconds)) {
    ctx.addIssue({ code: 'custom', message: 'must be unix seconds or an ISO-8601 time' });
    return z.NEVER;
  }
  return seconds;
});

/** PromQL text as a request field: bounded in length (queryLimits.ts says why). */
export const promqlSchema = z.string().min(1).max(QUERY_LIMITS.maxQueryChars);

export const rangeQuerySchema = z
  .object({
    query: promqlSchema,
    start: timeInputSchema,
    end: timeInputSchema,
    step: z.coerce.number().positive().max(86_400),
    /** A configured metrics source by name (`metrics.name` or a key of `metrics.sources`); omitted: the default. */
    source: z.string().min(1).optional(),
  })
  .refine((q) => q.end > q.start, { message: 'must be after start', path: ['end'] })
  .refine((q) => q.end - q.start <= QUERY_LIMITS.maxRangeSpanSeconds, {
    message: `the range (end − start) must be at most ${describeSeconds(QUERY_LIMITS.maxRangeSpanSeconds)}`,
    path: ['end'],
  })
  .refine((q) => (q.end - q.start) / q.step <= QUERY_LIMITS.maxPointsPerSeries, {
    message: 'too many points (at most 11,000 per series): raise step or narrow the window',
    path: ['step'],
  });

export const rangeSeriesSchema = z.object({
  labels: z.record(z.string(), z.string()),
  timestamps: z.array(z.number()),
  values: z.array(z.number()),
});

export const signalInfoSchema = z.object({
  name: z.string(),
  query: z.string(),
  unit: z.string(),
  badDirection: z.enum(['up', 'down', 'both']),
});

export const jobRecordSchema = z.object({
  id: z.string(),
  kind: z.string(),
  /** queued → running → succeeded | failed | cancelled | interrupted (its engine stopped before it finished). */
  status: z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted']),
  progress: z.number(),
  message: z.string(),
  params: z.unknown(),
  createdAt: z.string(),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  result: z.unknown().optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});

export const serviceGraphEdgesSchema = z.object({
  edges: z.array(z.object({ from: z.string().min(1), to: z.string().min(1) })).max(10_000),
});

export const faultSchema = z.object({
  id: z.string(),
  type: z.string(),
  namespace: z.string(),
  service: z.string(),
  node: z.string().optional(),
  startedAt: z.number(),
  endedAt: z.number().optional(),
});

export type WorkloadHealth = z.infer<typeof workloadHealthSchema>;
export type Readiness = z.infer<typeof readinessSchema>;
export type EventInfoDto = z.infer<typeof eventInfoSchema>;
export type RangeSeriesDto = z.infer<typeof rangeSeriesSchema>;
export type SignalInfo = z.infer<typeof signalInfoSchema>;
export type JobRecordDto = z.infer<typeof jobRecordSchema>;
export type ErrorBodyDto = z.infer<typeof errorBodySchema>;
export type FaultDto = z.infer<typeof faultSchema>;
