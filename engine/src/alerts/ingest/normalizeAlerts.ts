import { EngineError } from '../../errors.js';
import { labelsFingerprint } from '../fingerprint.js';
import type { AlertEvent, AlertSource } from '../types.js';
import type { z } from 'zod';
import {
  alertLabelsSchema,
  alertTime,
  MAX_FUTURE_SKEW_MS,
  type alertmanagerWebhookSchema,
  type genericAlertSchema,
  type prometheusAlertsResponseSchema,
} from '../schemas.js';

/** Go's zero time (`0001-01-01T00:00:00Z`) and anything before 1970 mean "not set". */
export const parseTime = alertTime;

/**
 * An alert's onset: the time it says, or, when it says none (Go's zero time, absent), the receipt time marked as unset,
 * so the pipeline keeps the onset it already knows for a firing alert (Alertmanager merges an alert with an unset
 * startsAt into the one it holds). A startsAt more than MAX_FUTURE_SKEW_MS ahead of receipt is refused naming `field`.
 */
function onset(
  value: string | undefined,
  receivedAt: number,
  field: string,
): Pick<AlertEvent, 'startsAt' | 'startsAtUnset'> {
  const startsAt = alertTime(value);
  if (startsAt === undefined) return { startsAt: receivedAt, startsAtUnset: true };
  if (startsAt > receivedAt + MAX_FUTURE_SKEW_MS) {
    const message = `startsAt ${value} is in the future (more than ${MAX_FUTURE_SKEW_MS / 60_000} minutes after receipt, ${new Date(receivedAt).toISOString()})`;
    throw new EngineError('INVALID_INPUT', `invalid alert payload: ${field}: ${message}`, {
      issues: [{ field, message }],
    });
  }
  return { startsAt };
}

/**
 * An Alertmanager webhook's alerts. Firing alerts' endsAt is ignored: Alertmanager itself sends the resolution, and
 * the endsAt it forwards from Prometheus is only a lease it renews. The identity is computed from the labels, as
 * Alertmanager computes it: the payload's `fingerprint` is not trusted (a made-up one would give the same labels a
 * second identity on another path).
 */
export function fromAlertmanager(
  body: z.output<typeof alertmanagerWebhookSchema>,
  receivedAt: number,
): AlertEvent[] {
  return body.alerts.map((a, i) => {
    const endsAt = a.status === 'resolved' ? (parseTime(a.endsAt) ?? receivedAt) : undefined;
    return {
      fingerprint: labelsFingerprint(a.labels),
      status: a.status,
      labels: a.labels,
      annotations: a.annotations,
      ...onset(a.startsAt, receivedAt, `body.alerts.${i}.startsAt`),
      ...(endsAt !== undefined ? { endsAt } : {}),
      source: 'alertmanager',
      groupKey: body.groupKey,
      ...(a.generatorURL ? { generatorURL: a.generatorURL } : {}),
      receivedAt,
    };
  });
}

/** The generic form: status from `status`, else resolved once endsAt has passed; firing ones expire at endsAt. */
export function fromGeneric(
  alerts: Array<z.output<typeof genericAlertSchema>>,
  receivedAt: number,
  source: AlertSource = 'generic',
): AlertEvent[] {
  return alerts.map((a, i) => {
    const endsAt = parseTime(a.endsAt);
    const status = a.status ?? (endsAt !== undefined && endsAt <= receivedAt ? 'resolved' : 'firing');
    return {
      fingerprint: labelsFingerprint(a.labels),
      status,
      labels: a.labels,
      annotations: a.annotations,
      ...onset(a.startsAt, receivedAt, `body.alerts.${i}.startsAt`),
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
        issues: labels.error.issues.map((issue) => ({
          field: ['response', 'data', 'alerts', index, 'labels', ...issue.path].join('.'),
          message: issue.message,
        })),
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
