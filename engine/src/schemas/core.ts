import { z } from 'zod';
import { QUERY_LIMITS, describeSeconds } from '../sources/metrics/queryLimits.js';
import { promValueSchema } from '../sources/metrics/promValue.js';

/**
 * Schemas of the core API, shared by the server (validation, serialisation, OpenAPI), the typed client and the
 * plugins. Capability schemas live beside their capability (rca/schemas.ts, ...) and are re-exported from index.ts.
 */

/**
 * Field sizes of every request schema, so no input is unbounded (a 1 MB namespace was once accepted and stored
 * twice). Kubernetes names follow the API server's own rules (RFC 1123: 63 for a namespace, 253 for an object name).
 */
export const FIELD_LIMITS = {
  namespace: 63,
  name: 253,
  labelValue: 1024,
  labels: 64,
  url: 2048,
  path: 4096,
  list: 1000,
} as const;

export const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/**
 * C0 controls, DEL and C1 controls. C1 too because terminals interpret them as C0's escapes: `\x9b` is CSI, the same
 * as ESC `[`, so a name holding `\x9b2J` clears the screen of whoever prints it, as `\x1b[2J` would.
 */
// eslint-disable-next-line no-control-regex
export const CONTROL_CHARACTERS = /[\x00-\x1f\x7f-\x9f]/;

/** Text of at most `max` characters that is valid Unicode (a lone surrogate cannot be stored, logged or sent on). */
export const textSchema = (max: number) =>
  z
    .string()
    .max(max)
    .refine((v) => !LONE_SURROGATE.test(v), 'must be valid Unicode text (no lone surrogate)');

/** One line of printable text, possibly empty (an alert's label value): at most `max` characters, no control characters. */
export const lineSchema = (max: number) =>
  textSchema(max).refine((v) => !CONTROL_CHARACTERS.test(v), 'must not contain control characters');

/** A one-line name (cluster, service, label value): 1..max characters, no control characters. */
export const nameSchema = (max: number = FIELD_LIMITS.name) => lineSchema(max).min(1);

/** A Kubernetes namespace (RFC 1123 label). */
export const namespaceSchema = z
  .string()
  .min(1)
  .max(FIELD_LIMITS.namespace)
  .regex(
    /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
    `must be a Kubernetes namespace: lowercase letters, digits and -, starting and ending with a letter or digit, at most ${FIELD_LIMITS.namespace} characters`,
  );

/** A Kubernetes object name (RFC 1123 subdomain), e.g. a Deployment. */
export const kubernetesNameSchema = z
  .string()
  .min(1)
  .max(FIELD_LIMITS.name)
  .regex(
    /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/,
    `must be a Kubernetes name: lowercase letters, digits, - and ., starting and ending with a letter or digit, at most ${FIELD_LIMITS.name} characters`,
  );

/** A label name as Prometheus writes it (and Alertmanager, and so every alert the engine ingests or raises). */
export const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const LABEL_NAME_RULE = `must be a label name: [A-Za-z_][A-Za-z0-9_]*, at most ${FIELD_LIMITS.name} characters`;

/**
 * Label name → value pairs, the one rule of every label map the API takes (an RCA request's alert, each ingested
 * alert through alertLabelsSchema): at most 64 labels, Prometheus names, values of at most 1,024 characters without
 * control characters. The RCA request's alert took control characters in values while ingest refused them, though
 * both are the same Alertmanager alert (labels are stored, logged, matched and printed to terminals).
 */
export const labelMapSchema = z
  .record(
    z.string().max(FIELD_LIMITS.name, LABEL_NAME_RULE).regex(LABEL_NAME, LABEL_NAME_RULE),
    lineSchema(FIELD_LIMITS.labelValue),
    {
      // zod's own message for a bad key is "Invalid key in record", which does not say what a name may hold.
      error: (issue) => (issue.code === 'invalid_key' ? LABEL_NAME_RULE : undefined),
    },
  )
  .refine((m) => Object.keys(m).length <= FIELD_LIMITS.labels, `at most ${FIELD_LIMITS.labels} labels`);

/** A field an error names and what is wrong with it (errors.ts FieldIssue). */
const fieldIssueSchema = z.object({ field: z.string(), message: z.string() });

/** Every error the API answers (`ErrorBody` in the OpenAPI document). */
export const errorBodySchema = z.object({
  error: z.object({
    code: z
      .string()
      .describe('Stable machine-readable code, e.g. INVALID_INPUT, NOT_FOUND, UPSTREAM_UNAVAILABLE'),
    message: z.string(),
    issues: z.array(fieldIssueSchema).optional(),
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
  cluster: nameSchema().optional(),
  namespace: namespaceSchema.optional(),
  labelSelector: nameSchema(FIELD_LIMITS.path).optional(),
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

/**
 * The message of a time field no union member accepts. zod's own is "Invalid input", which says neither that a
 * missing field is required nor what it takes (`querystring.start: Invalid input` for a query_range without start).
 */
export const timeInputError = (issue: { input?: unknown }): string =>
  issue.input === undefined
    ? 'required: unix seconds or an ISO-8601 time'
    : 'must be unix seconds or an ISO-8601 time';

/** Unix seconds or an ISO-8601 time; both arrive as strings in query parameters. */
export const timeInputSchema = z
  .union([z.number(), z.string().min(1).max(64)], { error: timeInputError })
  .transform((value, ctx) => {
    const numeric = typeof value === 'number' || /^\d+(\.\d+)?$/.test(value);
    const invalid = numeric ? undefined : notACalendarTime(value);
    if (invalid) {
      ctx.addIssue({ code: 'custom', message: invalid });
      return z.NEVER;
    }
    const seconds = numeric ? Number(value) : Date.parse(value) / 1000;
    if (!Number.isFinite(seconds)) {
      ctx.addIssue({ code: 'custom', message: 'must be unix seconds or an ISO-8601 time' });
      return z.NEVER;
    }
    return seconds;
  });

/**
 * Why an ISO-8601 date or time names no instant, or undefined. Date.parse rolls a day past the month's end over
 * (`2026-02-30` is March 2), so an RCA window starting there was refused as "at most 161385 s long" (found walking
 * the README); the date's own field is what is wrong.
 */
function notACalendarTime(text: string): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(text.trim());
  if (!match) return undefined;
  const [year, month, day, hour = 0, minute = 0, second = 0] = match.slice(1).map((p) => Number(p ?? 0));
  const date = new Date(Date.UTC(year!, month! - 1, day!));
  if (month! < 1 || month! > 12 || date.getUTCMonth() !== month! - 1 || date.getUTCDate() !== day) {
    return `is not a valid date: ${match[1]}-${match[2]}-${match[3]} does not exist`;
  }
  if (hour > 23 || minute > 59 || second > 59) return `is not a valid time of day: ${match[0]}`;
  return undefined;
}

/** PromQL text as a request field: bounded in length (queryLimits.ts says why). */
export const promqlSchema = z.string().min(1).max(QUERY_LIMITS.maxQueryChars);

export const rangeQuerySchema = z
  .object({
    query: promqlSchema,
    start: timeInputSchema,
    end: timeInputSchema,
    // A coerced number's own message for a missing or non-numeric step is "expected number, received NaN". Both
    // arrive here as NaN (coercion runs first), so one message has to serve both.
    step: z.coerce
      .number({ error: 'must be a number of seconds between points (required)' })
      .positive()
      .max(86_400),
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
  // A number, or "+Inf", "-Inf", "NaN" as Prometheus writes them (sources/metrics/promValue.ts).
  values: z.array(promValueSchema),
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
  /** What the job was started with; shown to operators and admins only (an ingest's params name host folders). */
  params: z.unknown().optional(),
  createdAt: z.string(),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  result: z.unknown().optional(),
  /** Why it did not succeed; `issues` as the engine's error carried them (an unknown service lists the known ones). */
  error: z
    .object({
      code: z.string(),
      message: z.string(),
      issues: z.array(fieldIssueSchema).optional(),
    })
    .optional(),
});

export const serviceGraphEdgesSchema = z.object({
  edges: z.array(z.object({ from: nameSchema(), to: nameSchema() })).max(10_000),
});

export const faultSchema = z.object({
  id: z.string(),
  type: z.string(),
  namespace: z.string(),
  service: z.string(),
  node: z
    .string()
    .optional()
    .describe(
      "node-not-ready: the node taken down (when the request named none, the one running the service's first pod)",
    ),
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
