import type { AlertStage, LinkProposal } from './AlertStage.js';
import { KeyIndex } from './KeyIndex.js';

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
      const found = this.index.incidentThrough(neighbour, alert.fingerprint, state, now, alert.startsAt);
      if (!found) continue;
      const edge = state.topology.callersOf(neighbour).has(service) ? `${service} → ${neighbour}` : `${neighbour} → ${service}`;
      proposals.push({ incidentId: found.incident.id, reason: { kind: 'service-graph', joinedTo: found.via, detail: `edge ${edge}` } });
    }
    return proposals;
  };
}
