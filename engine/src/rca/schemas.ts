import { z } from 'zod';
import { fieldIssuesFromZod, invalidRequest } from '../errors.js';
// The core schema turns ISO-8601 or unix seconds into unix seconds; the request schema below parses with it.
import {
  FIELD_LIMITS,
  labelMapSchema,
  nameSchema,
  namespaceSchema,
  textSchema,
  timeInputError,
  timeInputSchema as parsedTimeSchema,
} from '../schemas/core.js';

/** Alert annotations: free text (summaries, runbook links), bounded like labels. */
const annotationsSchema = z
  .record(nameSchema(), textSchema(16_384))
  .refine((m) => Object.keys(m).length <= FIELD_LIMITS.labels, `at most ${FIELD_LIMITS.labels} annotations`);

/** Request and stored-result schemas of the RCA API; the HTTP routes, the CLI and the service share them. */

export const rcaRequestSchema = z
  .object({
    namespace: namespaceSchema.optional(),
    cluster: nameSchema().optional(),
    target: z
      .object({
        service: nameSchema(),
        signal: nameSchema(128).optional(),
      })
      .optional(),
    /** `end` omitted: now (as the CLI's `--start` alone does). */
    window: z.object({ start: parsedTimeSchema, end: parsedTimeSchema.optional() }).optional(),
    /** An Alertmanager alert: labels name the service (label `service`, `app` or `job`), startsAt the onset. */
    alert: z
      .object({
        labels: labelMapSchema.default({}),
        annotations: annotationsSchema.optional(),
        startsAt: parsedTimeSchema.optional(),
        endsAt: parsedTimeSchema.optional(),
      })
      .optional(),
  })
  .refine((r) => !r.window || r.window.end === undefined || r.window.end > r.window.start, {
    message: 'end must be after start',
    path: ['window', 'end'],
  });

/**
 * The same request shape without transforms, for places that need plain JSON Schema (route docs, OpenAPI); the service
 * still parses with rcaRequestSchema, which turns times into unix seconds and checks the window.
 */
const timeInputSchema = z
  .union([z.number(), z.string().min(1).max(64)], { error: timeInputError })
  .describe('ISO-8601 time or unix seconds');
export const rcaRequestBodySchema = z.object({
  namespace: namespaceSchema.optional(),
  cluster: nameSchema().optional(),
  target: z.object({ service: nameSchema(), signal: nameSchema(128).optional() }).optional(),
  window: z
    .object({ start: timeInputSchema, end: timeInputSchema.optional().describe('omitted: now') })
    .optional(),
  alert: z
    .object({
      labels: labelMapSchema.optional(),
      annotations: annotationsSchema.optional(),
      startsAt: timeInputSchema.optional(),
      endsAt: timeInputSchema.optional(),
    })
    .optional(),
});

export type RcaRequest = z.input<typeof rcaRequestSchema>;
export type ParsedRcaRequest = z.output<typeof rcaRequestSchema>;

/** Parses a request, turning zod issues into an EngineError naming the fields (prefixed, e.g. `body`). */
export function parseRcaRequest(input: unknown, prefix = 'body'): ParsedRcaRequest {
  const parsed = rcaRequestSchema.safeParse(input ?? {});
  if (!parsed.success) {
    throw invalidRequest(fieldIssuesFromZod(parsed.error.issues, prefix));
  }
  return parsed.data;
}

export const metricEvidenceSchema = z.object({
  signal: z.string(),
  promql: z.string().optional(),
  unit: z.string().optional(),
  baselineMedian: z.number(),
  incidentValue: z.number(),
  /** Robust z: (incident - baseline median) / robust scale. */
  deviation: z.number(),
  /** Unix seconds of the detected level change. */
  changePoint: z.number().optional(),
  /** |Pearson correlation| with the target signal, when there is one. */
  correlation: z.number().optional(),
});

export const logEvidenceSchema = z.object({
  template: z.string(),
  countBaseline: z.number(),
  countIncident: z.number(),
  sample: z.string(),
  isNew: z.boolean(),
});

export const eventEvidenceSchema = z.object({
  time: z.number(),
  type: z.string(),
  reason: z.string(),
  message: z.string(),
  count: z.number(),
  object: z.string(),
});

export const changeEvidenceSchema = z.object({
  time: z.number(),
  kind: z.string(),
  description: z.string(),
});

export const candidateSchema = z.object({
  service: z.string(),
  /** The signal that moved most for this service. */
  signal: z.string(),
  faultType: z.string(),
  score: z.number(),
  evidence: z.object({
    metrics: z.array(metricEvidenceSchema),
    logs: z.array(logEvidenceSchema),
    events: z.array(eventEvidenceSchema),
    changes: z.array(changeEvidenceSchema),
  }),
});

export const rcaResultSchema = z.object({
  id: z.string(),
  request: z.unknown(),
  createdAt: z.string(),
  namespace: z.string().optional(),
  cluster: z.string().optional(),
  window: z.object({ baselineStart: z.number(), start: z.number(), end: z.number() }),
  target: z.object({ service: z.string(), signal: z.string().optional() }).optional(),
  candidates: z.array(candidateSchema),
  /** When the incident began: a change point found after the window's start, or the start the request gave. */
  onset: z
    .object({ time: z.number(), source: z.enum(['change-point', 'window']), from: z.string().optional() })
    .optional(),
  /** The baseline the signals were scored against and how far to trust it (low: few points or borrowed scale). */
  baseline: z
    .object({
      kind: z.enum(['own-history', 'across-services', 'same-hours']),
      start: z.number(),
      end: z.number(),
      points: z.number(),
      trust: z.enum(['high', 'medium', 'low']),
      /** Why trust is lower than the baseline alone gives: the ranking rests on a change seconds old, unconfirmed. */
      trustReason: z.string().optional(),
      /** Series whose baseline reached the incident's level only in an earlier incident, set aside (not "usual"). */
      earlierIncidents: z.number().int().min(0).optional(),
      /** For same-hours: how many earlier days were pooled (median per series). */
      days: z.number().int().min(0).optional(),
    })
    .optional(),
  serviceGraph: z.object({
    services: z.array(z.string()),
    edges: z.array(z.object({ from: z.string(), to: z.string(), origin: z.string() })),
  }),
  narrative: z.string(),
  narrativeSource: z.enum(['template', 'model']),
  /** Problems met while collecting data (a failing query, an unreachable cluster): partial failure is data. */
  warnings: z.array(z.string()),
  timings: z.record(z.string(), z.number()),
});

export type MetricEvidence = z.infer<typeof metricEvidenceSchema>;
export type LogEvidence = z.infer<typeof logEvidenceSchema>;
export type EventEvidence = z.infer<typeof eventEvidenceSchema>;
export type ChangeEvidenceOut = z.infer<typeof changeEvidenceSchema>;
export type RcaCandidate = z.infer<typeof candidateSchema>;
export type RcaResult = z.infer<typeof rcaResultSchema>;
