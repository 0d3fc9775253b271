import type { ServiceEdge } from '../topology/ConfiguredServiceGraph.js';

/** What an alert is about, read from its labels: the service, and where Kubernetes placed it. */
export interface AlertSubject {
  service?: string;
  /** How the service was found: `label` or the Kubernetes owner chain `pod → workload → service`. */
  serviceFrom?: 'label' | 'owner-chain';
  namespace?: string;
  pod?: string;
  workload?: string;
  node?: string;
}

const WORKLOAD_LABELS = ['deployment', 'statefulset', 'daemonset', 'workload'];
// Pod names Kubernetes generates: Deployment `name-<replicaset hash>-<5>`, StatefulSet `name-<ordinal>`, DaemonSet `name-<5>`.
const DEPLOYMENT_POD = /^(.+)-[a-z0-9]{5,10}-[a-z0-9]{5}$/;
const STATEFULSET_POD = /^(.+)-\d+$/;
const DAEMONSET_POD = /^(.+)-[a-z0-9]{5}$/;

/**
 * The topology alerts are grouped along: the service graph (configured or from RCA's graph) and the Kubernetes owner
 * and placement chain read from alert labels (Pod → workload → Service, Pod → Node).
 */
export class AlertTopology {
  private readonly neighbours = new Map<string, Set<string>>();
  private readonly callers = new Map<string, Set<string>>();
  private readonly callees = new Map<string, Set<string>>();
  private readonly services = new Set<string>();

  constructor(
    edges: ServiceEdge[],
    private readonly serviceLabels: string[],
  ) {
    for (const { from, to } of edges) {
      this.services.add(from).add(to);
      add(this.neighbours, from, to);
      add(this.neighbours, to, from);
      add(this.callers, to, from);
      add(this.callees, from, to);
    }
  }

  /** Services one edge away, either direction. */
  neighboursOf(service: string): ReadonlySet<string> {
    return this.neighbours.get(service) ?? EMPTY;
  }

  /** Services that call this one (edge caller → service). */
  callersOf(service: string): ReadonlySet<string> {
    return this.callers.get(service) ?? EMPTY;
  }

  /** Services this one calls (edges service → callee). */
  calleesOf(service: string): ReadonlySet<string> {
    return this.callees.get(service) ?? EMPTY;
  }

  subjectOf(labels: Record<string, string>): AlertSubject {
    const subject: AlertSubject = {};
    if (labels.namespace) subject.namespace = labels.namespace;
    const node = labels.node ?? labels.kubernetes_node;
    if (node) subject.node = node;
    if (labels.pod) subject.pod = labels.pod;
    const workload = WORKLOAD_LABELS.map((l) => labels[l]).find(Boolean) ?? (labels.pod ? workloadOfPod(labels.pod) : undefined);
    if (workload) subject.workload = workload;
    const service = this.serviceLabels.map((l) => labels[l]).find(Boolean);
    if (service) {
      subject.service = service;
      subject.serviceFrom = 'label';
    } else if (workload) {
      const owned = this.serviceOfWorkload(workload);
      if (owned) {
        subject.service = owned;
        subject.serviceFrom = 'owner-chain';
      }
    }
    return subject;
  }

  /** A workload's Service: the known service of the same name, or of the longest dash-separated prefix (`cart-v2` → `cart`). */
  private serviceOfWorkload(workload: string): string | undefined {
    let name = workload;
    for (;;) {
      if (this.services.has(name)) return name;
      const dash = name.lastIndexOf('-');
      if (dash <= 0) return this.services.size === 0 ? workload : undefined;
      name = name.slice(0, dash);
    }
  }
}

export function workloadOfPod(pod: string): string {
  return DEPLOYMENT_POD.exec(pod)?.[1] ?? STATEFULSET_POD.exec(pod)?.[1] ?? DAEMONSET_POD.exec(pod)?.[1] ?? pod;
}

const EMPTY: ReadonlySet<string> = new Set();

function add(map: Map<string, Set<string>>, key: string, value: string): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(value);
}
