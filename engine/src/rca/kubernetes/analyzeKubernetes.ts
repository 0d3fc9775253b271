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
 * incident. `window.start` is the incident's onset: events and restarts whose last occurrence is more than
 * `onsetSlackSeconds` before it are history (a fault that healed) and weigh `historyWeight` as much, naming no fault
 * type. A rollout right before the onset weighs most; its weight halves every `changeLookbackSeconds / 4`.
 * The fault type comes from the evidence that names the cause: a cause reason (OOMKilled, ErrImagePull,
 * FailedScheduling) first, then a rollout or image change at the onset (bad-rollout), then a symptom reason (BackOff).
 */
export function analyzeKubernetes(
  events: KubeEventEvidence[],
  changes: ChangeEvidence[],
  window: IncidentWindow,
  settings: KubernetesSettings,
): Map<string, ServiceKubernetesResult> {
  const results = new Map<string, ServiceKubernetesResult>();
  const typed = new Map<string, { cause?: Typed; rollout?: boolean; symptom?: Typed }>();
  const entry = (service: string) => {
    let e = results.get(service);
    if (!e) results.set(service, (e = { score: 0, events: [], changes: [] }));
    if (!typed.has(service)) typed.set(service, {});
    return e;
  };
  const from = window.start - settings.changeLookbackSeconds;
  const current = (time: number) => time >= window.start - settings.onsetSlackSeconds;
  const symptoms = new Set(settings.symptomReasons);

  for (const event of events) {
    if (event.time < from || event.time > window.end) continue;
    const faultType = settings.eventReasons[event.reason];
    const weight = faultType
      ? settings.faultEventScore
      : event.type === 'Warning'
        ? settings.warningEventScore
        : 0;
    if (weight === 0) continue;
    const e = entry(event.service);
    const live = current(event.time);
    const score = weight * (1 + Math.log10(Math.max(1, event.count))) * (live ? 1 : settings.historyWeight);
    e.score = Math.max(e.score, score);
    e.events.push({
      time: event.time,
      type: event.type,
      reason: event.reason,
      message: event.message,
      count: event.count,
      object: event.object,
    });
    if (!faultType || !live) continue;
    const t = typed.get(event.service)!;
    const slot = symptoms.has(event.reason) ? 'symptom' : 'cause';
    if (score > (t[slot]?.score ?? 0)) t[slot] = { type: faultType, score };
  }

  const halfLife = settings.changeLookbackSeconds / 4;
  for (const change of changes) {
    if (change.time < from || change.time > window.end) continue;
    const age = Math.max(0, window.start - change.time);
    const ended = change.kind === 'restart' && !current(change.time);
    const score = settings.changeScore * Math.pow(0.5, age / halfLife) * (ended ? settings.historyWeight : 1);
    const e = entry(change.service);
    e.score = Math.max(e.score, score);
    e.changes.push({ time: change.time, kind: change.kind, description: change.description });
    if (change.kind !== 'restart' && change.kind !== 'scale' && current(change.time))
      typed.get(change.service)!.rollout = true;
  }

  for (const [service, e] of results) {
    const t = typed.get(service)!;
    const faultType = t.cause?.type ?? (t.rollout ? 'bad-rollout' : t.symptom?.type);
    if (faultType) e.faultType = faultType;
    e.events.sort((a, b) => b.time - a.time);
    e.changes.sort((a, b) => b.time - a.time);
    e.events = e.events.slice(0, 10);
    e.changes = e.changes.slice(0, 10);
  }
  return results;
}

interface Typed {
  type: string;
  score: number;
}
