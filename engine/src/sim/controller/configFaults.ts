import { clone, type KubeObject } from '../apiserver/KubeObject.js';
import type { ObjectStore } from '../apiserver/ObjectStore.js';
import { DEPLOYMENTS, SERVICES } from './ControllerContext.js';

/**
 * Faults of configuration, applied the way a person's bad change would be: through the objects themselves, so the
 * repair loop sees an ordinary revision, Service or claim and no fault ledger entry.
 */

/** A new revision of the Deployment whose first container reads a ConfigMap or Secret that does not exist. */
export function rolloutMissingReference(
  store: ObjectStore,
  namespace: string,
  service: string,
  kind: 'ConfigMap' | 'Secret',
  name: string,
): void {
  const deployment = mustGet(store, DEPLOYMENTS, namespace, service);
  const next = clone(deployment);
  const containers = (next['spec'] as { template: { spec: { containers: Array<Record<string, unknown>> } } })
    .template.spec.containers;
  const ref = kind === 'ConfigMap' ? { configMapRef: { name } } : { secretRef: { name } };
  containers[0]!['envFrom'] = [...((containers[0]!['envFrom'] as unknown[]) ?? []), ref];
  next.metadata.annotations = {
    ...next.metadata.annotations,
    'kubernetes.io/change-cause': `deploy ${service} reading ${kind} ${name}`,
  };
  next.metadata.generation = (deployment.metadata.generation ?? 1) + 1;
  store.update(DEPLOYMENTS, next);
}

/**
 * A new revision of the Deployment with a pod readiness gate nothing will ever satisfy (say, a load balancer
 * controller's target-health gate on a cluster without that controller): its pods run and pass their probes but never
 * turn Ready, so the rollout stalls until its progress deadline (RolloutStuck) without crash, probe or pull errors.
 */
export function rolloutWithReadinessGate(store: ObjectStore, namespace: string, service: string): void {
  const deployment = mustGet(store, DEPLOYMENTS, namespace, service);
  const next = clone(deployment);
  const podSpec = (next['spec'] as { template: { spec: Record<string, unknown> } }).template.spec;
  const gate = { conditionType: `target-health.elbv2.k8s.aws/${service}` };
  podSpec['readinessGates'] = [...((podSpec['readinessGates'] as unknown[]) ?? []), gate];
  next.metadata.annotations = {
    ...next.metadata.annotations,
    'kubernetes.io/change-cause': `deploy ${service} behind the ALB target group`,
  };
  next.metadata.generation = (deployment.metadata.generation ?? 1) + 1;
  store.update(DEPLOYMENTS, next);
}

/** Points a Service's selector at a label no pod carries (a typo in a deploy). */
export function breakServiceSelector(store: ObjectStore, namespace: string, service: string): void {
  const svc = mustGet(store, SERVICES, namespace, service);
  const next = clone(svc);
  const spec = next['spec'] as { selector?: Record<string, string> };
  spec.selector = { ...spec.selector, app: `${service}-typo` };
  store.update(SERVICES, next);
}

/** A claim on a StorageClass (created when `createClass`), as a StatefulSet's volumeClaimTemplate would make. */
export function createClaim(
  store: ObjectStore,
  namespace: string,
  name: string,
  storageClassName: string,
  createClass = false,
): void {
  if (createClass && !store.has('storage.k8s.io/storageclasses', undefined, storageClassName)) {
    store.create('storage.k8s.io/storageclasses', {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: storageClassName },
      provisioner: 'sim.csi.aicloudops.io',
      reclaimPolicy: 'Delete',
      volumeBindingMode: 'Immediate',
    });
  }
  store.create('/persistentvolumeclaims', {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, namespace },
    spec: {
      accessModes: ['ReadWriteOnce'],
      storageClassName,
      resources: { requests: { storage: '1Gi' } },
      volumeMode: 'Filesystem',
    },
    status: { phase: 'Pending' },
  });
}

function mustGet(store: ObjectStore, resource: string, namespace: string, name: string): KubeObject {
  const found = store.get(resource, namespace, name);
  if (!found) throw new Error(`no ${resource} ${namespace}/${name} in the simulated cluster`);
  return found;
}

/** A Job whose pods end as `outcome` says (`sim.aicloudops.io/outcome`), retried up to `backoffLimit` times. */
export function createJob(
  store: ObjectStore,
  namespace: string,
  name: string,
  outcome: 'succeed' | 'fail' | 'oom',
  backoffLimit = 1,
): void {
  store.create('batch/jobs', {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name,
      namespace,
      annotations: { 'sim.aicloudops.io/outcome': outcome },
      labels: { app: name },
    },
    spec: {
      backoffLimit,
      completions: 1,
      parallelism: 1,
      template: {
        metadata: { labels: { app: name } },
        spec: {
          restartPolicy: 'Never',
          containers: [
            {
              name,
              image: 'registry.sim.local/batch/report:1.4.2',
              resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: '128Mi' } },
            },
          ],
        },
      },
    },
    status: {},
  });
}
