import { labelsFingerprint } from '../fingerprint.js';
import type { AlertEvent, AlertSource } from '../types.js';
import type { z } from 'zod';
import type {
  alertmanagerWebhookSchema,
  genericAlertSchema,
  prometheusAlertsResponseSchema,
} from '../schemas.js';

/** Go's zero time (`0001-01-01T00:00:00Z`) and anything before 1970 mean "not set". */
export function parseTime(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) && ms > 0 ? ms : undefined;
}

/**
 * An Alertmanager webhook's alerts. Firing alerts' endsAt is ignored: Alertmanager itself sends the resolution, and
 * the endsAt it forwards from Prometheus is only a lease it renews.
 */
export function fromAlertmanager(
  body: z.output<typeof alertmanagerWebhookSchema>,
  receivedAt: number,
): AlertEvent[] {
  return body.alerts.map((a) => {
    const endsAt = a.status === 'resolved' ? (parseTime(a.endsAt) ?? receivedAt) : undefined;
    return {
      fingerprint: a.fingerprint ?? labelsFingerprint(a.labels),
      status: a.status,
      labels: a.labels,
      annotations: a.annotations,
      startsAt: parseTime(a.startsAt) ?? receivedAt,
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
  return alerts.map((a) => {
    const endsAt = parseTime(a.endsAt);
    const status = a.status ?? (endsAt !== undefined && endsAt <= receivedAt ? 'resolved' : 'firing');
    return {
      fingerprint: a.fingerprint ?? labelsFingerprint(a.labels),
      status,
      labels: a.labels,
      annotations: a.annotations,
      startsAt: parseTime(a.startsAt) ?? receivedAt,
      ...(endsAt !== undefined ? { endsAt } : status === 'resolved' ? { endsAt: receivedAt } : {}),
      source,
      ...(a.generatorURL ? { generatorURL: a.generatorURL } : {}),
      receivedAt,
    };
  });
}

/**
 * One poll of Prometheus `/api/v1/alerts`: firing alerts as they are, and a resolution for every alert that was
 * firing at the previous poll and is gone now (`previous` maps fingerprint → its firing event).
 */
export function fromPrometheus(
  response: z.output<typeof prometheusAlertsResponseSchema>,
  previous: ReadonlyMap<string, AlertEvent>,
  receivedAt: number,
): { events: AlertEvent[]; firing: Map<string, AlertEvent> } {
  const firing = new Map<string, AlertEvent>();
  for (const a of response.data.alerts) {
    if (a.state !== 'firing') continue;
    const fingerprint = labelsFingerprint(a.labels);
    firing.set(fingerprint, {
      fingerprint,
      status: 'firing',
      labels: a.labels,
      annotations: a.annotations,
      startsAt: parseTime(a.activeAt) ?? receivedAt,
      source: 'prometheus',
      receivedAt,
    });
  }
  const events = [...firing.values()];
  for (const [fingerprint, event] of previous) {
    if (!firing.has(fingerprint))
      events.push({ ...event, status: 'resolved', endsAt: receivedAt, receivedAt });
  }
  return { events, firing };
}
