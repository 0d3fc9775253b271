import type { AlertStage } from './AlertStage.js';
import { matchesAll, parseMatcher, type LabelMatcher } from '../matchers.js';

/**
 * Informational alerts are context, not failures: an alert matching `alerts.contextMatchers` (by default severity
 * `info` or `none`, and the maintenance and watchdog markers) joins incidents like any other, but it pages no one, it
 * is no bridge for other alerts to join through, it corroborates nothing and a page does not list it.
 *
 * Why (bench/alerts/diagnoseStream.ts on the 16 development streams): 14 alerts of real incidents joined through such
 * an alert (a long-lived `CPUThrottlingHigh` at severity info, a `Maintenance` marker) and no join through one connected
 * two alerts of one real incident; the failure joined the marker's incident and its page carried the marker (the
 * costliest single join: 3 of a page's alerts made impure).
 */
export class ContextAlertStage implements AlertStage {
  readonly name = 'context';
  private readonly matchers: LabelMatcher[][];

  constructor(contextMatchers: string[]) {
    this.matchers = contextMatchers.map((m) => [parseMatcher(m)]);
  }

  mute: AlertStage['mute'] = (alert) => {
    const matched = this.matchers.findIndex((m) => matchesAll(m, alert.labels));
    return matched >= 0
      ? { kind: 'context', detail: `informational (${describe(alert.labels)}): context, not a failure` }
      : undefined;
  };
}

function describe(labels: Record<string, string>): string {
  return labels.severity !== undefined ? `severity ${labels.severity}` : (labels.alertname ?? 'alert');
}
