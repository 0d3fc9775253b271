import type { AlertStage, PipelineState } from './AlertStage.js';
import type { InhibitRuleConfig } from '../config.js';
import { KeyIndex } from './KeyIndex.js';
import { matchesAll, parseMatcher, type LabelMatcher } from '../matchers.js';
import type { TrackedAlert } from '../types.js';

interface Rule {
  name: string;
  source: LabelMatcher[];
  target: LabelMatcher[];
  equal: string[];
  /** Firing alerts matching the source matchers, in the order they began to match: a mute names the first equal one. */
  sources: Set<string>;
  /**
   * The same alerts by their `equal` values (equalKey), each key's in that order: a target meets only the sources it
   * is equal to. Scanning every source was quadratic in a storm of criticals: with 4,000 firing and 8,000 warnings
   * (a synthetic stream) the scan was ~80% of the pipeline's CPU, which fell 5.1 s → 0.48 s (1,000: 0.95 → 0.22 s).
   */
  byEqual: KeyIndex;
}

/**
 * Inhibition as Alertmanager does it: a firing alert matching a rule's source matchers mutes the alerts matching its
 * target matchers whose `equal` labels have the same values (a missing label equals a missing label). The maintenance
 * alert pattern (an always-firing `Maintenance` alert scoped by a label) is one of the default rules.
 */
export class InhibitionStage implements AlertStage {
  readonly name = 'inhibition';
  private readonly rules: Rule[];
  /** The graph the keys were read under: a `service` read from a label (labelsOf) may change with it. */
  private keyedUnder: PipelineState['topology'] | undefined;

  constructor(rules: InhibitRuleConfig[]) {
    this.rules = rules.map((r) => ({
      name: r.name,
      source: r.sourceMatchers.map(parseMatcher),
      target: r.targetMatchers.map(parseMatcher),
      equal: r.equal,
      sources: new Set(),
      byEqual: new KeyIndex(),
    }));
  }

  observe: AlertStage['observe'] = (alert, _previous, state) => {
    this.rekeyOnNewTopology(state);
    const labels = labelsOf(alert, state);
    for (const rule of this.rules) {
      if (alert.status === 'firing' && matchesAll(rule.source, labels)) {
        // A source firing again keeps its place, as it did when this was one set.
        if (rule.sources.has(alert.fingerprint)) continue;
        rule.sources.add(alert.fingerprint);
        rule.byEqual.set(alert.fingerprint, [equalKey(rule.equal, labels)]);
      } else if (rule.sources.delete(alert.fingerprint)) rule.byEqual.remove(alert.fingerprint);
    }
  };

  forget: AlertStage['forget'] = (alert) => {
    for (const rule of this.rules) {
      rule.sources.delete(alert.fingerprint);
      rule.byEqual.remove(alert.fingerprint);
    }
  };

  mute: AlertStage['mute'] = (alert, state) => {
    this.rekeyOnNewTopology(state);
    const labels = labelsOf(alert, state);
    for (const rule of this.rules) {
      if (rule.sources.size === 0 || !matchesAll(rule.target, labels)) continue;
      // Alertmanager's two-sided rule (inhibit.go, excludeTwoSidedMatch): an alert that is a source too is not muted
      // by a source that is a target too, so two `Maintenance` alerts of one service do not mute each other.
      const twoSided = matchesAll(rule.source, labels);
      for (const fingerprint of rule.byEqual.members(equalKey(rule.equal, labels))) {
        if (fingerprint === alert.fingerprint) continue;
        const source = state.alerts.get(fingerprint);
        if (source && twoSided && matchesAll(rule.target, labelsOf(source, state))) continue;
        if (source) {
          return {
            kind: 'inhibited',
            detail: `${rule.name}: ${source.labels.alertname ?? fingerprint} (${fingerprint})`,
          };
        }
      }
    }
    return undefined;
  };

  /**
   * A new service graph may name a source's service differently (a `job` that is now a known service: labelsOf), and a
   * mute compares a source's labels as read under the graph in force: the sources are keyed again, in their order.
   */
  private rekeyOnNewTopology(state: PipelineState): void {
    if (state.topology === this.keyedUnder) return;
    this.keyedUnder = state.topology;
    for (const rule of this.rules) {
      if (rule.sources.size === 0) continue;
      rule.byEqual = new KeyIndex();
      for (const fingerprint of rule.sources) {
        const source = state.alerts.get(fingerprint);
        if (source) rule.byEqual.set(fingerprint, [equalKey(rule.equal, labelsOf(source, state))]);
      }
    }
  }
}

/**
 * The values of a rule's `equal` labels as one key: a missing label is the empty string, as in Alertmanager (its
 * index hashes `lset[n]` for every equal name, and Prometheus drops a label whose value is empty). Each value is
 * prefixed by its length, so two different value lists never make one key whatever characters they hold. A JSON key
 * did the same and made large-1's replay slower than the scan it replaced: CPU medians 131 and 92 ms against 123 and
 * 80 ms with this one (alternating runs).
 */
function equalKey(names: string[], labels: Record<string, string>): string {
  let key = '';
  for (const name of names) {
    const value = labels[name] ?? '';
    key += `${value.length}:${value}`;
  }
  return key;
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
