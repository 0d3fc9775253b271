import type { AlertStage } from './AlertStage.js';
import type { AlertsConfig } from '../config.js';
import { matchesAll, parseMatcher, type LabelMatcher } from '../matchers.js';

/**
 * Inhibition derived from topology rather than written as rules: a node that is down mutes the alerts of pods placed
 * on it (label `node`), and a service that is down mutes its callers' alerts (service-graph edges caller → callee).
 * The muted alerts still join the incident (through the same edges), so the page names the cause, not the echoes.
 */
export class TopologyInhibitionStage implements AlertStage {
  readonly name = 'topology-inhibition';
  private readonly nodeDown: LabelMatcher[][];
  private readonly serviceDown: LabelMatcher[][];
  /** node → firing node-down alerts; service → firing service-down alerts. */
  private readonly downNodes = new Map<string, Set<string>>();
  private readonly downServices = new Map<string, Set<string>>();

  constructor(config: AlertsConfig['topology']) {
    this.nodeDown = config.nodeDownMatchers.map((m) => [parseMatcher(m)]);
    this.serviceDown = config.serviceDownMatchers.map((m) => [parseMatcher(m)]);
  }

  observe: AlertStage['observe'] = (alert, _previous, state) => {
    const subject = state.subjectOf(alert);
    const firing = alert.status === 'firing';
    if (subject.node && !subject.pod)
      track(
        this.downNodes,
        subject.node,
        alert.fingerprint,
        firing && this.nodeDown.some((m) => matchesAll(m, alert.labels)),
      );
    if (subject.service)
      track(
        this.downServices,
        subject.service,
        alert.fingerprint,
        firing && this.serviceDown.some((m) => matchesAll(m, alert.labels)),
      );
  };

  forget: AlertStage['forget'] = (alert) => {
    for (const map of [this.downNodes, this.downServices])
      for (const set of map.values()) set.delete(alert.fingerprint);
  };

  mute: AlertStage['mute'] = (alert, state) => {
    const subject = state.subjectOf(alert);
    if (subject.pod && subject.node && (this.downNodes.get(subject.node)?.size ?? 0) > 0) {
      return {
        kind: 'topology-inhibited',
        detail: `node ${subject.node} is down; pod ${subject.pod} runs on it`,
      };
    }
    if (!subject.service || this.downServices.size === 0) return undefined;
    if (this.downServices.get(subject.service)?.has(alert.fingerprint)) return undefined;
    for (const down of state.topology.calleesOf(subject.service, subject.namespace)) {
      if (down === subject.service) continue;
      // Only along an edge that holds for these two alerts (one the metrics saw in another namespace does not).
      for (const fingerprint of this.downServices.get(down) ?? []) {
        const other = state.alerts.get(fingerprint);
        if (!other || !state.topology.calls(subject, state.subjectOf(other))) continue;
        return {
          kind: 'topology-inhibited',
          detail: `its dependency ${down} is down (edge ${subject.service} → ${down})`,
        };
      }
    }
    return undefined;
  };
}

function track(map: Map<string, Set<string>>, key: string, fingerprint: string, on: boolean): void {
  let set = map.get(key);
  if (on) {
    if (!set) map.set(key, (set = new Set()));
    set.add(fingerprint);
  } else {
    set?.delete(fingerprint);
    if (set?.size === 0) map.delete(key);
  }
}
