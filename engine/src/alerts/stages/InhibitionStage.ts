import type { AlertStage } from './AlertStage.js';
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

  observe: AlertStage['observe'] = (alert) => {
    for (const rule of this.rules) {
      if (alert.status === 'firing' && matchesAll(rule.source, alert.labels)) rule.sources.add(alert.fingerprint);
      else rule.sources.delete(alert.fingerprint);
    }
  };

  forget: AlertStage['forget'] = (alert) => {
    for (const rule of this.rules) rule.sources.delete(alert.fingerprint);
  };

  mute: AlertStage['mute'] = (alert, state) => {
    for (const rule of this.rules) {
      if (rule.sources.size === 0 || !matchesAll(rule.target, alert.labels)) continue;
      for (const fingerprint of rule.sources) {
        if (fingerprint === alert.fingerprint) continue;
        const source = state.alerts.get(fingerprint);
        if (source && equalLabels(rule.equal, source, alert)) {
          return { kind: 'inhibited', detail: `${rule.name}: ${source.labels.alertname ?? fingerprint} (${fingerprint})` };
        }
      }
    }
    return undefined;
  };
}

function equalLabels(names: string[], a: TrackedAlert, b: TrackedAlert): boolean {
  for (const name of names) if ((a.labels[name] ?? '') !== (b.labels[name] ?? '')) return false;
  return true;
}
