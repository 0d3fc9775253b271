import type { AlertStage, LinkProposal, PipelineState } from './AlertStage.js';
import { KeyIndex } from './KeyIndex.js';
import { matchesAll, parseMatcher, type LabelMatcher } from '../matchers.js';
import type { TrackedAlert } from '../types.js';
import { sameNamespace } from '../AlertTopology.js';

/**
 * How much earlier a caller's alert may begin than its callee's and still be its echo: one rule-evaluation interval
 * (kube-prometheus evaluates every 30 s; rules in different groups set startsAt up to one interval apart). It was
 * 120 s; a caller failing a minute before its callee is a failure of its own, and across the 24 generated streams
 * (dev seeds 1–2, unseen seeds 3–4) that slack was what let concurrent failures of neighbours merge.
 */
const CAUSAL_SLACK_MS = 30_000;

/**
 * Grouping along the service graph: an alert joins an incident that has an active alert on the same service or on a
 * service one edge away (caller or callee), so a cascade along calls becomes one incident, reached hop by hop.
 *
 * Only alerts about a service cross an edge, in the direction failures travel, from a callee to its callers:
 * - a pod's alert (label `pod`) is about one replica, which the caller's load balancer routes around; it joins its
 *   own service's incident (same service, the Kubernetes chain), never a neighbour's, and bridges to none;
 * - a caller's alert joins a callee's that began before it (within CAUSAL_SLACK_MS); a callee's joins callers' that
 *   began after it;
 * - a service-down alert (`alerts.topology.serviceDownMatchers`) is a cause in the engine's own model (it mutes its
 *   callers): it crosses an edge only to a callee that is down too (readiness that checks dependencies), not to a
 *   callee that is merely slow or erroring, which would make two incidents with their own root one.
 */
export class ServiceGraphStage implements AlertStage {
  readonly name = 'service-graph';
  private readonly index = new KeyIndex();
  private readonly down: LabelMatcher[][];

  constructor(serviceDownMatchers: string[] = []) {
    this.down = serviceDownMatchers.map((m) => [parseMatcher(m)]);
  }

  observe: AlertStage['observe'] = (alert, _previous, state) => {
    const service = state.subjectOf(alert).service;
    this.index.set(alert.fingerprint, service ? [service] : []);
  };

  forget: AlertStage['forget'] = (alert) => this.index.remove(alert.fingerprint);

  link: AlertStage['link'] = (alert, state, now) => {
    const subject = state.subjectOf(alert);
    const service = subject.service;
    if (!service) return [];
    const proposals: LinkProposal[] = [];
    // A pod that joined through its failed node is explained by the node, not by its service: a sibling pod's alert
    // does not join through it (KubernetesChainStage holds the same for owner links); the service's own alerts do.
    // The same name in another namespace is another service (staging and production run the same names).
    const sameService = (member: string) => {
      const other = state.alerts.get(member);
      if (!other || !sameNamespace(subject, state.subjectOf(other))) return false;
      return !subject.pod || other.merge?.kind !== 'kubernetes-node';
    };
    const same = this.index.incidentThrough(
      service,
      alert.fingerprint,
      state,
      now,
      alert.startsAt,
      sameService,
    );
    if (same) {
      const how =
        subject.serviceFrom === 'owner-chain'
          ? `pod ${subject.pod} → ${subject.workload} → service ${service}`
          : `service ${service}`;
      proposals.push({
        incidentId: same.incident.id,
        reason: { kind: 'same-service', joinedTo: same.via, detail: `same ${how}` },
      });
    }
    if (subject.pod) return proposals;
    for (const neighbour of state.topology.neighboursOf(service, subject.namespace)) {
      const callsNeighbour = state.topology.calleesOf(service, subject.namespace).has(neighbour);
      const found = this.index.incidentThrough(
        neighbour,
        alert.fingerprint,
        state,
        now,
        alert.startsAt,
        (member) => this.bridges(alert, state.alerts.get(member), callsNeighbour, state),
      );
      if (!found) continue;
      const edge = callsNeighbour ? `${service} → ${neighbour}` : `${neighbour} → ${service}`;
      proposals.push({
        incidentId: found.incident.id,
        reason: { kind: 'service-graph', joinedTo: found.via, detail: `edge ${edge}` },
      });
    }
    return proposals;
  };

  /** Whether `member` on a neighbour explains `alert` (or `alert` explains it) across the edge between them. */
  private bridges(
    alert: TrackedAlert,
    member: TrackedAlert | undefined,
    alertIsCaller: boolean,
    state: PipelineState,
  ): boolean {
    if (!member) return false;
    const [a, m] = [state.subjectOf(alert), state.subjectOf(member)];
    if (m.pod || !(alertIsCaller ? state.topology.calls(a, m) : state.topology.calls(m, a))) return false;
    const [caller, callee] = alertIsCaller ? [alert, member] : [member, alert];
    if (callee.startsAt > caller.startsAt + CAUSAL_SLACK_MS) return false;
    return !this.isDown(caller) || this.isDown(callee);
  }

  private isDown(alert: TrackedAlert): boolean {
    return this.down.some((m) => matchesAll(m, alert.labels));
  }
}
