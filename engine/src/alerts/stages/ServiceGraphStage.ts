import type { AlertStage, LinkProposal } from './AlertStage.js';
import { KeyIndex } from './KeyIndex.js';

/** How much earlier a caller's alert may begin than its callee's and still be its echo (rule `for` and scrape jitter). */
const CAUSAL_SLACK_MS = 120_000;

/**
 * Grouping along the service graph: an alert joins an incident that has an active alert on the same service or on a
 * service one edge away (caller or callee), so a cascade along calls becomes one incident, reached hop by hop.
 */
export class ServiceGraphStage implements AlertStage {
  readonly name = 'service-graph';
  private readonly index = new KeyIndex();

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
    const same = this.index.incidentThrough(service, alert.fingerprint, state, now, alert.startsAt);
    if (same) {
      const how = subject.serviceFrom === 'owner-chain' ? `pod ${subject.pod} → ${subject.workload} → service ${service}` : `service ${service}`;
      proposals.push({ incidentId: same.incident.id, reason: { kind: 'same-service', joinedTo: same.via, detail: `same ${how}` } });
    }
    for (const neighbour of state.topology.neighboursOf(service)) {
      // Failures travel from a callee to its callers: a caller's alert joins a callee's that began before it (give or
      // take CAUSAL_SLACK_MS), and a callee's alert joins callers' alerts that began after it.
      const callsNeighbour = state.topology.callersOf(neighbour).has(service);
      const startedOf = (f: string) => state.alerts.get(f)?.startsAt ?? 0;
      const causal = callsNeighbour
        ? (member: string) => startedOf(member) <= alert.startsAt + CAUSAL_SLACK_MS
        : (member: string) => alert.startsAt <= startedOf(member) + CAUSAL_SLACK_MS;
      const found = this.index.incidentThrough(neighbour, alert.fingerprint, state, now, alert.startsAt, causal);
      if (!found) continue;
      const edge = callsNeighbour ? `${service} → ${neighbour}` : `${neighbour} → ${service}`;
      proposals.push({ incidentId: found.incident.id, reason: { kind: 'service-graph', joinedTo: found.via, detail: `edge ${edge}` } });
    }
    return proposals;
  };
}
