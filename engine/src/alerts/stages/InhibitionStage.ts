import type { AlertStage, PipelineState } from './AlertStage.js';
import type { InhibitRuleConfig } from '../config.js';
import { matchesAll, parseMatcher, type LabelMatcher } from '../matchers.js';
import type { TrackedAlert } from '../types.js';

interface Rule {
  name: string;
  source: LabelMatcher[];
  target: LabelMatcher[];
  equal: string[];
  /** Firing alerts matching the source matchers. */
  sources: Set<string>;
}

/**
 * Inhibition as Alertmanager does it: a firing alert matching a rule's source matchers mutes the alerts matching its
 * target matchers whose `equal` labels have the same values (a missing label equals a missing label). The maintenance
 * alert pattern (an always-firing `Maintenance` alert scoped by a label) is one of the default rules.
 */
export class InhibitionStage implements AlertStage {
  readonly name = 'inhibition';
  private readonly rules: Rule[];

  constructor(rules: InhibitRuleConfig[]) {
    this.rules = rules.map((r) => ({
      name: r.name,
      source: r.sourceMatchers.map(parseMatcher),
      target: r.targetMatchers.map(parseMatcher),
      equal: r.equal,
      sources: new Set(),
    }));
  }

  observe: AlertStage['observe'] = (alert, _previous, state) => {
    const labels = labelsOf(alert, state);
    for (const rule of this.rules) {
      if (alert.status === 'firing' && matchesAll(rule.source, labels)) rule.sources.add(alert.fingerprint);
      else rule.sources.delete(alert.fingerprint);
    }
  };

  forget: AlertStage['forget'] = (alert) => {
    for (const rule of this.rules) rule.sources.delete(alert.fingerprint);
  };

  mute: AlertStage['mute'] = (alert, state) => {
    const labels = labelsOf(alert, state);
    for (const rule of this.rules) {
      if (rule.sources.size === 0 || !matchesAll(rule.target, labels)) continue;
      for (const fingerprint of rule.sources) {
        if (fingerprint === alert.fingerprint) continue;
        const source = state.alerts.get(fingerprint);
        if (source && equalLabels(rule.equal, labelsOf(source, state), labels)) {
          return {
            kind: 'inhibited',
            detail: `${rule.name}: ${source.labels.alertname ?? fingerprint} (${fingerprint})`,
          };
        }
      }
    }
    return undefined;
  };
}

function equalLabels(names: string[], a: Record<string, string>, b: Record<string, string>): boolean {
  for (const name of names) if ((a[name] ?? '') !== (b[name] ?? '')) return false;
  return true;
}

/**
 * The labels rules are judged on: an alert that names its service by another convention (`app`, `job`, ...: see
 * `alerts.serviceLabels`) also has it as `service`, so the default rules (`equal: [service]`) hold whatever the
 * convention; without it, `equal` found two services' alerts equal (both lack `service`) and a critical alert muted
 * another service's warnings, and a `Maintenance` alert scoped by `app` muted nothing (robustness streams relabelled-1/2:
 * noise paged 0.077 / 0.083 → 0 with `job` read as a service; development streams identical).
 */
function labelsOf(alert: TrackedAlert, state: PipelineState): Record<string, string> {
  if (alert.labels.service !== undefined) return alert.labels;
  const subject = state.subjectOf(alert);
  return subject.serviceFrom === 'label' && subject.service
    ? { ...alert.labels, service: subject.service }
    : alert.labels;
}
