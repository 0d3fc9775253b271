import { z } from 'zod';
import { matcherString } from './config.js';

/**
 * Wire schemas of unified alerting: what the ingest routes accept (validated, 400 naming the failing fields) and what
 * the incident API returns. The same schemas give the OpenAPI document and the typed client's types.
 */

/** Shared with the webhook's fast path (ingest/parseWebhookFast.ts), so the two cannot drift apart. */
export const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const ALERTMANAGER_FINGERPRINT = /^[0-9a-f]{1,16}$/;
export const MAX_DELIVERY_ALERTS = 10_000;

const labelsSchema = z.record(
  z.string().regex(LABEL_NAME, 'label names are [A-Za-z_][A-Za-z0-9_]*'),
  z.string(),
);
const timeString = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be an RFC 3339 time');

/** One alert of an Alertmanager webhook (payload version 4). */
export const alertmanagerAlertSchema = z.object({
  status: z.enum(['firing', 'resolved']),
  labels: labelsSchema,
  annotations: z.record(z.string(), z.string()).default({}),
  startsAt: timeString,
  /** `0001-01-01T00:00:00Z` while firing. */
  endsAt: timeString.optional(),
  generatorURL: z.string().optional(),
  fingerprint: z
    .string()
    .regex(ALERTMANAGER_FINGERPRINT, 'must be the hex fingerprint Alertmanager sends')
    .optional(),
});

export const alertmanagerWebhookSchema = z.object({
  version: z.literal('4', { message: 'only Alertmanager webhook payload version "4" is supported' }),
  groupKey: z.string(),
  truncatedAlerts: z.number().int().min(0).default(0),
  status: z.enum(['firing', 'resolved']),
  receiver: z.string(),
  groupLabels: z.record(z.string(), z.string()).default({}),
  commonLabels: z.record(z.string(), z.string()).default({}),
  commonAnnotations: z.record(z.string(), z.string()).default({}),
  externalURL: z.string().default(''),
  alerts: z.array(alertmanagerAlertSchema).max(MAX_DELIVERY_ALERTS),
});
export type AlertmanagerWebhook = z.input<typeof alertmanagerWebhookSchema>;

/** The generic form for any other tool: a list of alerts, status inferred from endsAt when absent. */
export const genericAlertSchema = z.object({
  labels: labelsSchema.refine((l) => Object.keys(l).length > 0, 'at least one label is required'),
  annotations: z.record(z.string(), z.string()).default({}),
  status: z.enum(['firing', 'resolved']).optional(),
  startsAt: timeString.optional(),
  endsAt: timeString.optional(),
  fingerprint: z
    .string()
    .regex(/^[0-9a-f]{1,16}$/)
    .optional(),
  generatorURL: z.string().optional(),
});
export const genericAlertsBodySchema = z.object({ alerts: z.array(genericAlertSchema).min(1).max(10_000) });
export type GenericAlert = z.input<typeof genericAlertSchema>;

/** Prometheus `GET /api/v1/alerts`. */
export const prometheusAlertsResponseSchema = z.object({
  status: z.literal('success'),
  data: z.object({
    alerts: z.array(
      z.object({
        labels: labelsSchema,
        annotations: z.record(z.string(), z.string()).default({}),
        state: z.enum(['firing', 'pending', 'inactive']),
        activeAt: timeString.optional(),
        value: z.string().optional(),
      }),
    ),
  }),
});

export const ingestResultSchema = z.object({
  /** Alerts in the delivery. */
  received: z.number().int(),
  /** Alerts that changed something (new, or a state change); the rest were re-sends or stale. */
  accepted: z.number().int(),
  duplicates: z.number().int(),
  /** Incidents this delivery created or changed. */
  incidents: z.array(z.string()),
});
export type IngestResult = z.infer<typeof ingestResultSchema>;

const mergeReasonSchema = z.object({ kind: z.string(), joinedTo: z.string().optional(), detail: z.string() });
const muteReasonSchema = z.object({ kind: z.string(), detail: z.string() });

export const alertDtoSchema = z.object({
  fingerprint: z.string(),
  status: z.enum(['firing', 'resolved']),
  labels: z.record(z.string(), z.string()),
  annotations: z.record(z.string(), z.string()),
  startsAt: z.string(),
  endsAt: z.string().optional(),
  source: z.string(),
  groupKey: z.string().optional(),
  flapping: z.boolean(),
  muted: muteReasonSchema.optional(),
  incidentId: z.string().optional(),
  merge: mergeReasonSchema.optional(),
  firstSeenAt: z.string(),
  lastSeenAt: z.string(),
});
export type AlertDto = z.infer<typeof alertDtoSchema>;

export const incidentDtoSchema = z.object({
  id: z.string(),
  status: z.enum(['open', 'resolved']),
  title: z.string(),
  severity: z.string(),
  openedAt: z.string(),
  updatedAt: z.string(),
  resolvedAt: z.string().optional(),
  notifiedAt: z.string().optional(),
  acknowledgedAt: z.string().optional(),
  acknowledgedBy: z.string().optional(),
  services: z.array(z.string()),
  rcaId: z.string().optional(),
  truncatedAlerts: z.number().int(),
  heldBecause: z.string().optional(),
  /** Every alert with the reason it joined (the rule or edge), in join order. */
  alerts: z.array(alertDtoSchema.extend({ reason: mergeReasonSchema })),
});
export type IncidentDto = z.infer<typeof incidentDtoSchema>;

export const alertStatsSchema = z.object({
  deliveries: z.number(),
  alerts: z.number(),
  accepted: z.number(),
  duplicates: z.number(),
  stale: z.number(),
  incidents: z.number(),
  notifications: z.number(),
  truncatedAlerts: z.number(),
  /** 1 − notifications / raw deliveries. */
  compression: z.number(),
  /** Duplicate alerts / raw alerts. */
  dedupRatio: z.number(),
  /** Mean seconds from the first alert of an incident to its notification. */
  meanNotificationDelaySeconds: z.number(),
});
export type AlertStats = z.infer<typeof alertStatsSchema>;

export const incidentListQuerySchema = z.object({
  status: z.enum(['open', 'resolved', 'all']).default('all'),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
export const alertListQuerySchema = z.object({
  status: z.enum(['firing', 'resolved', 'all']).default('all'),
  limit: z.coerce.number().int().min(1).max(5000).default(500),
});

export const suppressionBodySchema = z
  .object({
    kind: z.enum(['maintenance', 'rollout']),
    // Bounded, as every list a request stores: each matcher is compiled and run for every alert until endsAt.
    matchers: z.array(matcherString.max(1024)).max(100).default([]),
    startsAt: timeString,
    endsAt: timeString,
    reason: z.string().max(500).default(''),
  })
  .refine((s) => Date.parse(s.endsAt) > Date.parse(s.startsAt), {
    message: 'endsAt must be after startsAt',
    path: ['endsAt'],
  });
export const suppressionDtoSchema = z.object({
  id: z.string(),
  kind: z.enum(['maintenance', 'rollout']),
  matchers: z.array(z.string()),
  startsAt: z.string(),
  endsAt: z.string(),
  reason: z.string(),
});
export type SuppressionDto = z.infer<typeof suppressionDtoSchema>;
export type SuppressionRequest = z.input<typeof suppressionBodySchema>;
