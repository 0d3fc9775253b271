import type { AlertStage, LinkProposal } from './AlertStage.js';
import { KeyIndex } from './KeyIndex.js';

/** Clock skew between a node's alert and its pods' alerts that still counts as "after". */
const NODE_SLACK_MS = 60_000;

/**
 * Grouping along the Kubernetes owner and placement chain read from alert labels: pods of one workload join
 * (Pod → workload), a pod's alert joins its node's (Pod → Node) and a node's alert joins the alerts of pods on it.
 */
export class KubernetesChainStage implements AlertStage {
  readonly name = 'kubernetes-chain';
  private readonly workloads = new KeyIndex();
  private readonly nodes = new KeyIndex();
  private readonly podsOnNodes = new KeyIndex();

  observe: AlertStage['observe'] = (alert, _previous, state) => {
    const s = state.subjectOf(alert);
    this.workloads.set(alert.fingerprint, s.workload ? [`${s.namespace ?? ''}/${s.workload}`] : []);
    this.nodes.set(alert.fingerprint, s.node && !s.pod ? [s.node] : []);
    this.podsOnNodes.set(alert.fingerprint, s.node && s.pod ? [s.node] : []);
  };

  forget: AlertStage['forget'] = (alert) => {
    for (const index of [this.workloads, this.nodes, this.podsOnNodes]) index.remove(alert.fingerprint);
  };

  link: AlertStage['link'] = (alert, state, now) => {
    const s = state.subjectOf(alert);
    const proposals: LinkProposal[] = [];
    const add = (
      index: KeyIndex,
      key: string,
      kind: string,
      detail: string,
      accept?: (member: string) => boolean,
    ) => {
      const found = index.incidentThrough(key, alert.fingerprint, state, now, alert.startsAt, accept);
      if (found)
        proposals.push({ incidentId: found.incident.id, reason: { kind, joinedTo: found.via, detail } });
    };
    // A pod that joined through its failed node is explained by the node: it says nothing of its siblings on other
    // nodes (a crash loop there is another failure), so it bridges no owner link.
    const notNodeExplained = (f: string) => state.alerts.get(f)?.merge?.kind !== 'kubernetes-node';
    if (s.workload)
      add(
        this.workloads,
        `${s.namespace ?? ''}/${s.workload}`,
        'kubernetes-owner',
        `pod ${s.pod ?? '?'} → workload ${s.workload}`,
        notNodeExplained,
      );
    // A node failure explains the pod alerts that began after it, not those already failing before (another cause).
    const startedOf = (f: string) => state.alerts.get(f)?.startsAt ?? 0;
    if (s.node && s.pod)
      add(
        this.nodes,
        s.node,
        'kubernetes-node',
        `pod ${s.pod} → node ${s.node}`,
        (node) => alert.startsAt >= startedOf(node) - NODE_SLACK_MS,
      );
    if (s.node && !s.pod)
      add(
        this.podsOnNodes,
        s.node,
        'kubernetes-node',
        `node ${s.node} ← pods placed on it`,
        (pod) => startedOf(pod) >= alert.startsAt - NODE_SLACK_MS,
      );
    return proposals;
  };
}
