import type { V1Service } from '@kubernetes/client-node';
import type { ClusterSnapshot } from '../../src/repair/types.js';
import {
  deployment,
  event,
  node,
  replicaSet,
  rsPod,
  type PodOptions,
} from '../../test/fixtures/repair/kubeObjects.js';

/**
 * A large cluster for the scan benchmark: `pods` pods in Deployments of five replicas (two ReplicaSets each, the
 * old one scaled to 0), three events per pod, a Service per Deployment, 50 workers, and a fault mix on roughly
 * 4 % of the workloads: crash loops (every 50th), OOM kills (every 97th), image pulls (every 89th), Pending pods
 * (every 83rd), Evicted pods (every 71st), a Service selecting nothing (every 61st), two NotReady nodes.
 */
export function syntheticCluster(pods: number): ClusterSnapshot {
  const snapshot: Required<
    Pick<ClusterSnapshot, 'nodes' | 'deployments' | 'replicaSets' | 'pods' | 'events' | 'services'>
  > = {
    nodes: Array.from({ length: 50 }, (_, i) =>
      node(`worker-${i + 1}`, i < 2 ? { ready: 'Unknown', readySince: 900 } : {}),
    ),
    deployments: [],
    replicaSets: [],
    pods: [],
    events: [],
    services: [],
  };
  const workloads = Math.ceil(pods / 5);
  for (let w = 0; w < workloads; w++) {
    const ns = `team-${w % 20}`;
    const dep = deployment(ns, `svc-${w}`, { replicas: 5, revision: 2 });
    const old = replicaSet(dep, `old${w}`, { revision: 1, replicas: 0, available: 0 });
    const rs = replicaSet(dep, `cur${w}`, { revision: 2, replicas: 5, available: 5, createdAgo: 1800 });
    snapshot.deployments.push(dep);
    snapshot.replicaSets.push(old, rs);
    const fault = faultFor(w);
    for (let p = 0; p < 5 && snapshot.pods.length < pods; p++) {
      const name = `p${p}`;
      const pod = rsPod(rs, name, { node: `worker-${((w * 5 + p) % 50) + 1}`, ...(p < 2 ? fault : {}) });
      snapshot.pods.push(pod);
      const ref = { kind: 'Pod', namespace: ns, name: pod.metadata!.name! };
      snapshot.events.push(
        event(ref, 'Scheduled', 'Successfully assigned', { type: 'Normal' }),
        event(ref, 'Pulled', 'Container image already present', { type: 'Normal' }),
        event(ref, p < 2 && fault.restarts ? 'BackOff' : 'Started', 'container event', {
          type: p < 2 && fault.restarts ? 'Warning' : 'Normal',
          firstAgo: 1500,
        }),
      );
    }
    const selector = w % 61 === 0 ? { app: `gone-${w}` } : { app: `svc-${w}` };
    const service = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: `svc-${w}`, namespace: ns, creationTimestamp: '2024-01-01T00:00:00Z' },
      spec: { selector, ports: [{ port: 80 }] },
    };
    snapshot.services.push(service as unknown as V1Service);
  }
  return snapshot;
}

function faultFor(w: number): PodOptions {
  if (w % 50 === 0)
    return {
      state: { waiting: 'CrashLoopBackOff' },
      restarts: 9,
      lastTerminated: { reason: 'Error', exitCode: 1, finishedAgo: 40 },
    };
  if (w % 97 === 0)
    return {
      restarts: 4,
      lastTerminated: { reason: 'OOMKilled', exitCode: 137, finishedAgo: 300 },
      container: { memoryLimit: '256Mi' },
    };
  if (w % 89 === 0) return { state: { waiting: 'ImagePullBackOff' }, createdAgo: 900 };
  if (w % 83 === 0)
    return { unschedulable: '0/50 nodes are available: 50 Insufficient memory.', createdAgo: 900 };
  if (w % 71 === 0) return { phase: 'Failed', reason: 'Evicted' };
  return {};
}
