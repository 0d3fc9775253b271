import { z } from 'zod';
import { matcherString, matchesEverything } from './matchers.js';
import {
  CONTROL_CHARACTERS,
  FIELD_LIMITS,
  LABEL_NAME,
  LONE_SURROGATE,
  labelMapSchema,
} from '../schemas/core.js';

/**
 * Wire schemas of unified alerting: what the ingest routes accept (validated, 400 naming the failing fields) and what
 * the incident API returns. The same schemas give the OpenAPI document and the typed client's types.
 */

export const ALERTMANAGER_FINGERPRINT = /^[0-9a-f]{1,16}$/;
export const MAX_DELIVERY_ALERTS = 10_000;

/**
 * What an alert's labels may hold, on every ingest path (webhook, generic form, Prometheus poll): the README's field
 * limits (`FIELD_LIMITS`). Alertmanager itself refuses an alert without labels; the size and control-character limits
 * are ours (labels are stored, logged, matched and printed to terminals).
 */
export const ALERT_LABEL_LIMITS = {
  nameLength: FIELD_LIMITS.name,
  valueLength: FIELD_LIMITS.labelValue,
  count: FIELD_LIMITS.labels,
} as const;
/** The normaliser's per-alert check (ingest/normalizeAlerts.ts): true only for labels `alertLabelsSchema` accepts as they are. */
export function labelsWithinLimits(labels: Record<string, string>): boolean {
  let count = 0;
  for (const name in labels) {
    const value = labels[name]!;
    if (
      ++count > ALERT_LABEL_LIMITS.count ||
      name.length > ALERT_LABEL_LIMITS.nameLength ||
      !LABEL_NAME.test(name) ||
      value.length > ALERT_LABEL_LIMITS.valueLength ||
      CONTROL_CHARACTERS.test(value) ||
      LONE_SURROGATE.test(value)
    )
      return false;
  }
  return count > 0;
}

/**
 * An alert's label set: core's label map (1..64 labels, names as Prometheus writes them, values of at most 1,024
 * printable characters), of which Alertmanager refuses an empty one.
 */
export const alertLabelsSchema = labelMapSchema.refine(
  (l) => Object.keys(l).length > 0,
  'at least one label is required',
);
const timeString = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be an RFC 3339 time');

/**
 * An alert time in unix ms, or undefined when unset: Go's zero time `0001-01-01T00:00:00Z` (what Alertmanager sends
 * as a firing alert's endsAt) and, with it, anything before 1970.
 */
export function alertTime(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) && ms > 0 ? ms : undefined;
}

/**
 * How far in the future an alert may say it started: 5 minutes of clock skew between the sender and the engine (the
 * usual tolerance, e.g. Kerberos' default; NTP keeps hosts within milliseconds). Prometheus stamps startsAt with its
 * rule evaluation time, never ahead of its own clock; an alert dated later than this is a wrong clock or a made-up
 * payload, and taken as is it would open an incident whose onset nothing could reach.
 */
export const MAX_FUTURE_SKEW_MS = 5 * 60_000;

/** As Alertmanager's Alert.Validate: an alert cannot end before it starts (unset times are not compared). */
function endsNotBeforeStart(a: { startsAt?: string | undefined; endsAt?: string | undefined }): boolean {
  const startsAt = alertTime(a.startsAt);
  const endsAt = alertTime(a.endsAt);
  return startsAt === undefined || endsAt === undefined || endsAt >= startsAt;
}
const END_BEFORE_START = { message: 'endsAt must not be before startsAt', path: ['endsAt'] };

/**
 * An alert's labels as the ingest bodies take them: a record of strings. The limits (`alertLabelsSchema`) are checked
 * alert by alert when the delivery is normalised: an alert over them is skipped and listed in the 200 (`skipped`), the
 * rest of the delivery is ingested (Alertmanager does not retry a 4xx, so a 400 would lose every valid alert with it).
 */
const ingestLabelsSchema = z.record(z.string(), z.string());

/** One alert of an Alertmanager webhook (payload version 4). */
export const alertmanagerAlertSchema = z
  .object({
    status: z.enum(['firing', 'resolved']),
    labels: ingestLabelsSchema,
    annotations: z.record(z.string(), z.string()).default({}),
    startsAt: timeString,
    /** `0001-01-01T00:00:00Z` while firing. */
    endsAt: timeString.optional(),
    generatorURL: z.string().optional(),
    /** Accepted for compatibility and not used: an alert's identity is always computed from its labels. */
    fingerprint: z
      .string()
      .regex(ALERTMANAGER_FINGERPRINT, 'must be the hex fingerprint Alertmanager sends')
      .optional(),
  })
  .refine(endsNotBeforeStart, END_BEFORE_START);

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
export const genericAlertSchema = z
  .object({
    labels: ingestLabelsSchema,
    annotations: z.record(z.string(), z.string()).default({}),
    status: z.enum(['firing', 'resolved']).optional(),
    startsAt: timeString.optional(),
    endsAt: timeString.optional(),
    /** Accepted for compatibility and not used: an alert's identity is always computed from its labels. */
    fingerprint: z
      .string()
      .regex(/^[0-9a-f]{1,16}$/)
      .optional(),
    generatorURL: z.string().optional(),
  })
  .refine(endsNotBeforeStart, END_BEFORE_START);
export const genericAlertsBodySchema = z.object({ alerts: z.array(genericAlertSchema).min(1).max(10_000) });
export type GenericAlert = z.input<typeof genericAlertSchema>;

/**
 * Prometheus `GET /api/v1/alerts`. Labels are checked alert by alert (`alertLabelsSchema`, in fromPrometheus): one alert
 * over the limits is skipped and counted, the rest of the poll goes on.
 */
export const prometheusAlertsResponseSchema = z.object({
  status: z.literal('success'),
  data: z.object({
    alerts: z.array(
      z.object({
        labels: z.record(z.string(), z.string()),
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
  /**
   * Alerts of the delivery left out, the rest ingested: labels over the limits (1-64 labels, values of at most 1,024
   * characters, no control characters) or a startsAt more than 5 minutes ahead. `index` is the alert's position in
   * `alerts`; `fingerprint` its labels' fingerprint when its labels are within the limits.
   */
  skipped: z.array(
    z.object({
      index: z.number().int(),
      fingerprint: z.string().optional(),
      issues: z.array(z.object({ field: z.string(), message: z.string() })),
    }),
  ),
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
  rcaSkipped: z
    .string()
    .optional()
    .describe('Why automatic RCA was not started: no alert of the incident names a service (a node is none)'),
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
/** Most services one incident-stream filter takes: an entity's or a page's services, not the whole catalog. */
export const MAX_STREAM_SERVICES = 100;

/**
 * The incident stream's filter: comma-separated service names (as the alerts' `service` labels name them), so a
 * portal tab gets its entity's incidents and not every change in an alert storm.
 */
export const incidentEventsQuerySchema = z.object({
  service: z
    .string()
    .max(FIELD_LIMITS.path)
    .transform((text) => text.split(',').map((name) => name.trim()))
    .pipe(
      z
        .array(z.string().min(1, 'must not be empty').max(FIELD_LIMITS.labelValue))
        .max(MAX_STREAM_SERVICES, `at most ${MAX_STREAM_SERVICES} services`),
    )
    .optional()
    .describe(
      `only incidents that involve one of these services (comma-separated, at most ${MAX_STREAM_SERVICES}); every incident when left out`,
    ),
});
export const alertListQuerySchema = z.object({
  status: z.enum(['firing', 'resolved', 'all']).default('all'),
  limit: z.coerce.number().int().min(1).max(5000).default(500),
});

/**
 * The longest suppression window the API takes: 31 days. Alertmanager sets no bound, but a window is held in memory and
 * judged against every alert until it ends, and a typo (`9999-12-07`) or a forgotten window would mute for good; 31
 * days covers a month-long migration, and a longer one is a new window (or `alerts.suppressions` in the config).
 */
export const MAX_SUPPRESSION_DAYS = 31;
const MAX_SUPPRESSION_MS = MAX_SUPPRESSION_DAYS * 24 * 3600_000;

/** RFC 3339 with its offset, as Alertmanager's silences take it: a time without one would be the engine host's local time. */
const suppressionTime = z.iso.datetime({ offset: true, error: 'must be an RFC 3339 time' });

/**
 * A suppression window, the one definition of what `POST /alerts/suppressions` and the config's `alerts.suppressions`
 * take: the same fields, bounds and rules, with the same messages naming the field (`body.endsAt`,
 * `alerts.suppressions.0.endsAt`).
 *
 * - `source: 'api'`: also at most 31 days long. With `now` (AlertService, on its own clock: the benchmark's is virtual),
 *   also ending in the future (as Alertmanager refuses a silence already over) and starting at most 31 days ahead (a
 *   9999 window passes the length rule and would stay pending for good). The route's body schema has no `now`: the
 *   OpenAPI document cannot hold a rule on the clock.
 * - `source: 'config'`: none of those bounds. The config owns its windows (DELETE refuses them, an edit ends them), so
 *   a typo there is one edit away, and a window longer than the API's is what the config is for.
 */
export function suppressionSchema(options: { source: 'api' | 'config'; now?: () => number }) {
  return z
    .object({
      kind: z.enum(['maintenance', 'rollout']),
      // Required, as Alertmanager requires a silence's matchers: an empty list would mute every alert, critical included.
      // Bounded, as every list a request stores: each matcher is compiled and run for every alert until endsAt.
      matchers: z
        .array(matcherString.max(1024))
        .min(1, 'at least one matcher is required: an empty list would mute every alert')
        .max(100),
      startsAt: suppressionTime,
      endsAt: suppressionTime,
      reason: z.string().max(500).default(''),
    })
    .superRefine((s, ctx) => {
      if (matchesEverything(s.matchers))
        ctx.addIssue({
          code: 'custom',
          path: ['matchers'],
          message: 'at least one matcher must not match the empty string: these would mute every alert',
        });
      const startsAt = Date.parse(s.startsAt);
      const endsAt = Date.parse(s.endsAt);
      if (Number.isNaN(startsAt) || Number.isNaN(endsAt)) return; // named by the time's own issue
      const now = options.now?.();
      const issue = (field: 'startsAt' | 'endsAt', message: string) =>
        ctx.addIssue({ code: 'custom', path: [field], message });
      if (!(endsAt > startsAt)) issue('endsAt', 'endsAt must be after startsAt');
      else if (options.source === 'api' && endsAt - startsAt > MAX_SUPPRESSION_MS)
        issue('endsAt', `a window lasts at most ${MAX_SUPPRESSION_DAYS} days (endsAt − startsAt)`);
      else if (options.source === 'api' && now !== undefined && endsAt <= now)
        issue('endsAt', 'endsAt must be in the future');
      if (options.source === 'api' && now !== undefined && startsAt > now + MAX_SUPPRESSION_MS)
        issue('startsAt', `startsAt must be at most ${MAX_SUPPRESSION_DAYS} days ahead`);
    });
}

/** The body of `POST /alerts/suppressions` as the route and the OpenAPI document give it (AlertService adds the clock). */
export const suppressionBodySchema = suppressionSchema({ source: 'api' });
export const suppressionDtoSchema = z.object({
  id: z.string(),
  kind: z.enum(['maintenance', 'rollout']),
  matchers: z.array(z.string()),
  startsAt: z.string(),
  endsAt: z.string(),
  reason: z.string(),
  /** As Alertmanager's silence state: `pending` before startsAt, `active` until endsAt, then `expired`. */
  status: z.enum(['pending', 'active', 'expired']),
  /** When it was ended early (DELETE), if it was. */
  expiredAt: z.string().optional(),
});
export type SuppressionDto = z.infer<typeof suppressionDtoSchema>;
export type SuppressionRequest = z.input<typeof suppressionBodySchema>;
