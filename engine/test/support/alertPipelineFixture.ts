import { AlertPipeline } from '../../src/alerts/AlertPipeline.js';
import { alertsConfigSchema } from '../../src/alerts/config.js';
import { labelsFingerprint } from '../../src/alerts/fingerprint.js';
import type { AlertEvent } from '../../src/alerts/types.js';

/** Small pipelines for the grouping stages' tests: alerts fed at their own start times over a given service graph. */
export const T0 = Date.UTC(2026, 0, 5, 10, 0, 0);
export const S = 1000;

export function firing(labels: Record<string, string>, startsAt: number): AlertEvent {
  return {
    fingerprint: labelsFingerprint(labels),
    status: 'firing',
    labels,
    annotations: {},
    startsAt,
    source: 'alertmanager',
    receivedAt: startsAt,
  };
}

export const pod = (name: string, node: string, alertname = 'KubePodNotReady') => ({
  alertname,
  severity: 'warning',
  namespace: 'shop',
  pod: name,
  node,
});

/** Feeds each alert at its own start time, in start order; returns the pipeline. */
export function feed(
  edges: Array<{ from: string; to: string; namespace?: string }>,
  alerts: AlertEvent[],
): AlertPipeline {
  const p = new AlertPipeline(alertsConfigSchema.parse({ autoRca: false }), edges);
  for (const a of [...alerts].sort((x, y) => x.startsAt - y.startsAt)) p.ingest([a], a.startsAt);
  return p;
}

export const incidentOf = (p: AlertPipeline, labels: Record<string, string>) =>
  p.alerts.get(labelsFingerprint(labels))!.incidentId;
export const mergeOf = (p: AlertPipeline, labels: Record<string, string>) =>
  p.alerts.get(labelsFingerprint(labels))!.merge;
