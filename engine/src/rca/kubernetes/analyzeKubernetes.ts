import type { RcaConfig } from '../config.js';
import type { ChangeEvidence, IncidentWindow, KubeEventEvidence } from '../types.js';
import type { ChangeEvidenceOut, EventEvidence } from '../schemas.js';

export type KubernetesSettings = RcaConfig['kubernetes'];

export interface ServiceKubernetesResult {
  score: number;
  faultType?: string;
  events: EventEvidence[];
  changes: ChangeEvidenceOut[];
}

/**
 * Kubernetes evidence per service: events whose reason names a fault (OOMKilled, BackOff, FailedScheduling,
 * Unhealthy...) or any Warning, and changes (rollouts, image/config changes, restarts) shortly before or during the
 * incident. A change right before the onset weighs most; its weight halves every `changeLookbackSeconds / 4`.
 */
export function analyzeKubernetes(
  events: KubeEventEvidence[],
  changes: ChangeEvidence[],
  window: IncidentWindow,
  settings: KubernetesSettings,
): Map<string, ServiceKubernetesResult> {
  const results = new Map<string, ServiceKubernetesResult>();
  const entry = (service: string) => {
    let e = results.get(service);
    if (!e) results.set(service, (e = { score: 0, events: [], changes: [] }));
    return e;
  };
  const from = window.start - settings.changeLookbackSeconds;
  const bestReason = new Map<string, number>();

  for (const event of events) {
    if (event.time < from || event.time > window.end) continue;
    const faultType = settings.eventReasons[event.reason];
    const weight = faultType ? settings.faultEventScore : event.type === 'Warning' ? settings.warningEventScore : 0;
    if (weight === 0) continue;
    const e = entry(event.service);
    const score = weight * (1 + Math.log10(Math.max(1, event.count)));
    e.score = Math.max(e.score, score);
    e.events.push({
      time: event.time,
      type: event.type,
      reason: event.reason,
      message: event.message,
      count: event.count,
      object: event.object,
    });
    if (faultType && score > (bestReason.get(event.service) ?? 0)) {
      bestReason.set(event.service, score);
      e.faultType = faultType;
    }
  }

  const halfLife = settings.changeLookbackSeconds / 4;
  for (const change of changes) {
    if (change.time < from || change.time > window.end) continue;
    const age = Math.max(0, window.start - change.time);
    const score = settings.changeScore * Math.pow(0.5, age / halfLife);
    const e = entry(change.service);
    e.score = Math.max(e.score, score);
    e.changes.push({ time: change.time, kind: change.kind, description: change.description });
    if (!e.faultType && change.kind !== 'restart' && change.kind !== 'scale') e.faultType = 'bad-rollout';
  }

  for (const e of results.values()) {
    e.events.sort((a, b) => b.time - a.time);
    e.changes.sort((a, b) => b.time - a.time);
    e.events = e.events.slice(0, 10);
    e.changes = e.changes.slice(0, 10);
  }
  return results;
}
