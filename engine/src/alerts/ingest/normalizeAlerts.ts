import { fieldIssuesFromZod } from '../../errors.js';
import { labelsFingerprint } from '../fingerprint.js';
import type { AlertEvent, AlertSource } from '../types.js';
import type { z } from 'zod';
import {
  alertLabelsSchema,
  alertTime,
  labelsWithinLimits,
  MAX_FUTURE_SKEW_MS,
  type alertmanagerWebhookSchema,
  type genericAlertSchema,
  type prometheusAlertsResponseSchema,
} from '../schemas.js';

/** Go's zero time (`0001-01-01T00:00:00Z`) and anything before 1970 mean "not set". */
export const parseTime = alertTime;

/** Why an alert of a delivery was left out (the `reason` label of `aicloudops_alerts_skipped_total`). */
export type SkipReason = 'labels' | 'future_starts_at';

/** An alert of a webhook or generic delivery left out, the rest of the delivery ingested. */
export interface SkippedDeliveryAlert {
  /** Its index in the delivery's `alerts`. */
  index: number;
  /** Its labels' fingerprint, when its labels are within the limits. */
  fingerprint?: string;
  reason: SkipReason;
  issues: Array<{ field: string; message: string }>;
}

/** A delivery's alerts as events, and those left out. */
export interface NormalisedDelivery {
  events: AlertEvent[];
  skipped: SkippedDeliveryAlert[];
}

/**
 * An alert's onset: the time it says, or, when it says none (Go's zero time, absent), the receipt time marked as unset,
 * so the pipeline keeps the onset it already knows for a firing alert (Alertmanager merges an alert with an unset
 * startsAt into the one it holds). A startsAt more than MAX_FUTURE_SKEW_MS ahead of receipt gives the message to skip
 * the alert with.
 */
function onset(
  value: string | undefined,
  receivedAt: number,
): Pick<AlertEvent, 'startsAt' | 'startsAtUnset'> | { future: string } {
  const startsAt = alertTime(value);
  if (startsAt === undefined) return { startsAt: receivedAt, startsAtUnset: true };
  if (startsAt > receivedAt + MAX_FUTURE_SKEW_MS)
    return {
      future: `startsAt ${value} is in the future (more than ${MAX_FUTURE_SKEW_MS / 60_000} minutes after receipt, ${new Date(receivedAt).toISOString()})`,
    };
  return { startsAt };
}

/**
 * The per-alert checks of a delivery, alert by alert: labels within the limits (`alertLabelsSchema`), startsAt not in
 * the future. An alert that fails one is skipped (listed, with the failing fields), never the whole delivery.
 */
function normaliseEach<A extends { labels: Record<string, string>; startsAt?: string | undefined }>(
  alerts: A[],
  receivedAt: number,
  event: (a: A, fingerprint: string, start: Pick<AlertEvent, 'startsAt' | 'startsAtUnset'>) => AlertEvent,
): NormalisedDelivery {
  const events: AlertEvent[] = [];
  const skipped: SkippedDeliveryAlert[] = [];
  for (const [index, a] of alerts.entries()) {
    if (!labelsWithinLimits(a.labels)) {
      const parsed = alertLabelsSchema.safeParse(a.labels);
      const issues = parsed.success
        ? [{ field: `body.alerts.${index}.labels`, message: 'labels over the ingest limits' }]
        : fieldIssuesFromZod(parsed.error.issues, `body.alerts.${index}.labels`);
      skipped.push({ index, reason: 'labels', issues });
      continue;
    }
    const fingerprint = labelsFingerprint(a.labels);
    const start = onset(a.startsAt, receivedAt);
    if ('future' in start) {
      skipped.push({
        index,
        fingerprint,
        reason: 'future_starts_at',
        issues: [{ field: `body.alerts.${index}.startsAt`, message: start.future }],
      });
      continue;
    }
    events.push(event(a, fingerprint, start));
  }
  return { events, skipped };
}

/**
 * An Alertmanager webhook's alerts. Firing alerts' endsAt is ignored: Alertmanager itself sends the resolution, and
 * the endsAt it forwards from Prometheus is only a lease it renews. The identity is computed from the labels, as
 * Alertmanager computes it: the payload's `fingerprint` is not trusted (a made-up one would give the same labels a
 * second identity on another path).
 */
export function normaliseAlertmanager(
  body: z.output<typeof alertmanagerWebhookSchema>,
  receivedAt: number,
): NormalisedDelivery {
  return normaliseEach(body.alerts, receivedAt, (a, fingerprint, start) => {
    const endsAt = a.status === 'resolved' ? (parseTime(a.endsAt) ?? receivedAt) : undefined;
    return {
      fingerprint,
      status: a.status,
      labels: a.labels,
      annotations: a.annotations,
      ...start,
      ...(endsAt !== undefined ? { endsAt } : {}),
      source: 'alertmanager',
      groupKey: body.groupKey,
      ...(a.generatorURL ? { generatorURL: a.generatorURL } : {}),
      receivedAt,
    };
  });
}

/** An Alertmanager webhook's alerts as events, those the per-alert checks skip left out. */
export function fromAlertmanager(
  body: z.output<typeof alertmanagerWebhookSchema>,
  receivedAt: number,
): AlertEvent[] {
  return normaliseAlertmanager(body, receivedAt).events;
}

/** The generic form: status from `status`, else resolved once endsAt has passed; firing ones expire at endsAt. */
export function normaliseGeneric(
  alerts: Array<z.output<typeof genericAlertSchema>>,
  receivedAt: number,
  source: AlertSource = 'generic',
): NormalisedDelivery {
  return normaliseEach(alerts, receivedAt, (a, fingerprint, start) => {
    const endsAt = parseTime(a.endsAt);
    const status = a.status ?? (endsAt !== undefined && endsAt <= receivedAt ? 'resolved' : 'firing');
    return {
      fingerprint,
      status,
      labels: a.labels,
      annotations: a.annotations,
      ...start,
      ...(endsAt !== undefined ? { endsAt } : status === 'resolved' ? { endsAt: receivedAt } : {}),
      source,
      ...(a.generatorURL ? { generatorURL: a.generatorURL } : {}),
      receivedAt,
    };
  });
}

/** A polled alert left out: its labels break the limits every ingest path holds (`alertLabelsSchema`). */
export interface SkippedAlert {
  /** Its index in `data.alerts`. */
  index: number;
  alertname: string;
  issues: Array<{ field: string; message: string }>;
}

/**
 * One poll of Prometheus `/api/v1/alerts`: firing alerts as they are, and a resolution for every alert that was
 * firing at the previous poll and is gone now (`previous` maps fingerprint → its firing event). An alert whose labels
 * break the limits is skipped (listed in `skipped`), never the whole poll; an `activeAt` ahead of receipt by more than
 * the skew (Prometheus' clock is wrong) counts as unset.
 */
export function fromPrometheus(
  response: z.output<typeof prometheusAlertsResponseSchema>,
  previous: ReadonlyMap<string, AlertEvent>,
  receivedAt: number,
): { events: AlertEvent[]; firing: Map<string, AlertEvent>; skipped: SkippedAlert[] } {
  const firing = new Map<string, AlertEvent>();
  const skipped: SkippedAlert[] = [];
  for (const [index, a] of response.data.alerts.entries()) {
    if (a.state !== 'firing') continue;
    const labels = alertLabelsSchema.safeParse(a.labels);
    if (!labels.success) {
      skipped.push({
        index,
        alertname: String(a.labels.alertname ?? '').slice(0, 64),
        issues: fieldIssuesFromZod(labels.error.issues, `response.data.alerts.${index}.labels`),
      });
      continue;
    }
    const fingerprint = labelsFingerprint(a.labels);
    const activeAt = parseTime(a.activeAt);
    const known = activeAt !== undefined && activeAt <= receivedAt + MAX_FUTURE_SKEW_MS;
    firing.set(fingerprint, {
      fingerprint,
      status: 'firing',
      labels: a.labels,
      annotations: a.annotations,
      ...(known ? { startsAt: activeAt } : { startsAt: receivedAt, startsAtUnset: true as const }),
      source: 'prometheus',
      receivedAt,
    });
  }
  const events = [...firing.values()];
  for (const [fingerprint, event] of previous) {
    if (!firing.has(fingerprint))
      events.push({ ...event, status: 'resolved', endsAt: receivedAt, receivedAt });
  }
  return { events, firing, skipped };
}
