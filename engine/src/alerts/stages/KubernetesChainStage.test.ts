import { describe, expect, it } from 'vitest';
import { AlertPipeline } from '../AlertPipeline.js';
import { alertsConfigSchema } from '../config.js';
import { labelsFingerprint } from '../fingerprint.js';
import type { AlertEvent } from '../types.js';

const T0 = Date.UTC(2026, 0, 5, 10, 0, 0);
const S = 1000;
const EDGES = [{ from: 'checkout', to: 'cart' }];

function firing(labels: Record<string, string>, startsAt: number): AlertEvent {
  return { fingerprint: labelsFingerprint(labels), status: 'firing', labels, annotations: {}, startsAt, source: 'alertmanager', receivedAt: startsAt };
}

const pod = (name: string, node: string, alertname = 'KubePodNotReady') => ({ alertname, severity: 'warning', namespace: 'shop', pod: name, node });

/** Feeds each alert at its own start time; returns the pipeline. */
function feed(alerts: AlertEvent[]): AlertPipeline {
  const p = new AlertPipeline(alertsConfigSchema.parse({ autoRca: false }), EDGES);
  for (const a of [...alerts].sort((x, y) => x.startsAt - y.startsAt)) p.ingest([a], a.startsAt);
  return p;
}

const incidentOf = (p: AlertPipeline, labels: Record<string, string>) => p.alerts.get(labelsFingerprint(labels))!.incidentId;
const mergeOf = (p: AlertPipeline, labels: Record<string, string>) => p.alerts.get(labelsFingerprint(labels))!.merge;

describe('KubernetesChainStage', () => {
  it('joins pods to their failed node, but a node-explained pod bridges no sibling on another node', () => {
    const node = { alertname: 'KubeNodeNotReady', severity: 'critical', node: 'node-a' };
    const onNode = pod('cart-6c8d7f9b4-aaaaa', 'node-a');
    const sibling = pod('cart-6c8d7f9b4-bbbbb', 'node-b', 'KubePodCrashLooping');
    const p = feed([firing(node, T0), firing(onNode, T0 + 40 * S), firing(sibling, T0 + 4 * 60 * S)]);
    expect(mergeOf(p, onNode)).toMatchObject({ kind: 'kubernetes-node', detail: 'pod cart-6c8d7f9b4-aaaaa → node node-a' });
    expect(incidentOf(p, sibling)).not.toBe(incidentOf(p, node));

    // Without the node failure the two pods of one workload are one incident.
    const q = feed([firing(pod('cart-6c8d7f9b4-aaaaa', 'node-a', 'KubePodCrashLooping'), T0), firing(sibling, T0 + 60 * S)]);
    expect(mergeOf(q, sibling)).toMatchObject({ kind: 'kubernetes-owner', detail: 'pod cart-6c8d7f9b4-bbbbb → workload cart' });
  });
});
