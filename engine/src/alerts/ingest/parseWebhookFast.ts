import type { z } from 'zod';
import { ALERTMANAGER_FINGERPRINT, MAX_DELIVERY_ALERTS, type alertmanagerWebhookSchema } from '../schemas.js';

type Webhook = z.output<typeof alertmanagerWebhookSchema>;
/** An alert as sent: annotations may be absent (the schema defaults them to {}). */
type WebhookAlert = Omit<Webhook['alerts'][number], 'annotations'> & { annotations?: Record<string, string> };

const WEBHOOK_KEYS = new Set([
  'version',
  'groupKey',
  'truncatedAlerts',
  'status',
  'receiver',
  'groupLabels',
  'commonLabels',
  'commonAnnotations',
  'externalURL',
  'alerts',
]);
const ALERT_KEYS = new Set([
  'status',
  'labels',
  'annotations',
  'startsAt',
  'endsAt',
  'generatorURL',
  'fingerprint',
]);

/**
 * The Alertmanager webhook body as `alertmanagerWebhookSchema` would parse it, or undefined when this check is not sure
 * (anything invalid, unusual or with keys the schema would strip): the caller then parses with zod, which names the
 * failing fields. Why by hand: zod's general machinery was the largest per-delivery cost we could remove from the ingest
 * path (3.6% of the engine's samples in an alert-noise storm, ~6% of its CPU); a body that passes here is returned
 * as it came (records and strings not copied), with the schema's defaults filled in. test/alerts/parseWebhookFast.test.ts holds it
 * to zod's answer on every delivery of the committed streams and on invalid variants of them.
 */
export function parseWebhookFast(body: unknown): Webhook | undefined {
  if (!isObject(body) || !onlyKeys(body, WEBHOOK_KEYS)) return undefined;
  const {
    version,
    groupKey,
    truncatedAlerts = 0,
    status,
    receiver,
    groupLabels = {},
    commonLabels = {},
    commonAnnotations = {},
    externalURL = '',
    alerts,
  } = body;
  if (
    version !== '4' ||
    typeof groupKey !== 'string' ||
    typeof receiver !== 'string' ||
    typeof externalURL !== 'string'
  )
    return undefined;
  if (!isStatus(status) || !Number.isSafeInteger(truncatedAlerts) || (truncatedAlerts as number) < 0)
    return undefined;
  if (!isStringRecord(groupLabels) || !isStringRecord(commonLabels) || !isStringRecord(commonAnnotations))
    return undefined;
  if (!Array.isArray(alerts) || alerts.length > MAX_DELIVERY_ALERTS || !alerts.every(isWebhookAlert))
    return undefined;
  const parsed = alerts.map((a) =>
    a.annotations ? (a as Webhook['alerts'][number]) : { ...a, annotations: {} },
  );
  return {
    version,
    groupKey,
    truncatedAlerts: truncatedAlerts as number,
    status,
    receiver,
    groupLabels,
    commonLabels,
    commonAnnotations,
    externalURL,
    alerts: parsed,
  };
}

function isWebhookAlert(alert: unknown): alert is WebhookAlert {
  if (!isObject(alert) || !onlyKeys(alert, ALERT_KEYS)) return false;
  const { status, labels, annotations, startsAt, endsAt, generatorURL, fingerprint } = alert;
  return (
    isStatus(status) &&
    // The limits (label names, count, lengths) are the normaliser's per-alert check, as with zod's parse.
    isStringRecord(labels) &&
    (annotations === undefined || isStringRecord(annotations)) &&
    timesValid(startsAt, endsAt) &&
    (generatorURL === undefined || typeof generatorURL === 'string') &&
    (fingerprint === undefined ||
      (typeof fingerprint === 'string' && ALERTMANAGER_FINGERPRINT.test(fingerprint)))
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function onlyKeys(value: Record<string, unknown>, allowed: Set<string>): boolean {
  for (const key in value) if (!allowed.has(key)) return false;
  return true;
}

function isStatus(value: unknown): value is 'firing' | 'resolved' {
  return value === 'firing' || value === 'resolved';
}

function isStringRecord(value: unknown): value is Record<string, string> {
  if (!isObject(value)) return false;
  for (const key in value) if (typeof value[key] !== 'string') return false;
  return true;
}

/**
 * startsAt a time, endsAt absent or a time not before it when both are set (the schema's refinement; Go's zero time and
 * anything before 1970 are unset, as `alertTime` reads them). Each string is parsed once here, not again for the
 * refinement: Date.parse (~170 ns) ran four times per alert on this check, and with the normaliser's own parse it
 * was most of isTime's and alertTime's 1.4% of the engine's samples in alert-noise's storm.
 */
function timesValid(startsAt: unknown, endsAt: unknown): boolean {
  const start = timeOf(startsAt);
  if (Number.isNaN(start)) return false;
  if (endsAt === undefined) return true;
  const end = timeOf(endsAt);
  return !Number.isNaN(end) && !(isSet(start) && isSet(end) && end < start);
}

/** Date.parse of a string, NaN for anything else. */
function timeOf(value: unknown): number {
  return typeof value === 'string' ? Date.parse(value) : NaN;
}

/** As `alertTime`: a parsed time counts when it is finite and after 1970 (a string that parsed is not empty). */
function isSet(ms: number): boolean {
  return Number.isFinite(ms) && ms > 0;
}
