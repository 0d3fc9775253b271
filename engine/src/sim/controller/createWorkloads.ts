import type { ObjectStore } from '../apiserver/ObjectStore.js';
import { CRON_JOBS } from './CronJobController.js';
import { DAEMON_SETS } from './DaemonSetController.js';
import { JOB_OUTCOME } from './JobController.js';
import { STATEFUL_SETS } from './StatefulSetController.js';

/** The pod template the simulated workloads below share: one container labelled `app`, as the shop's are. */
function podTemplate(name: string, image: string, memory = '256Mi') {
  return {
    metadata: { labels: { app: name } },
    spec: {
      containers: [
        {
          name,
          image,
          ports: [{ containerPort: 8080 }],
          resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory } },
          readinessProbe: { httpGet: { path: '/ready', port: 8080 }, periodSeconds: 10 },
        },
      ],
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
    },
  };
}

/** A StatefulSet (`<name>-0…`) with its headless Service, as a database or queue would run. */
export function createStatefulSet(store: ObjectStore, namespace: string, name: string, replicas = 3): void {
  store.create('/services', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace, labels: { app: name } },
    spec: { clusterIP: 'None', selector: { app: name }, ports: [{ name: 'tcp', port: 8080 }] },
  });
  store.create(STATEFUL_SETS, {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name, namespace, labels: { app: name }, generation: 1 },
    spec: {
      replicas,
      serviceName: name,
      selector: { matchLabels: { app: name } },
      podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      revisionHistoryLimit: 10,
      template: podTemplate(name, `ghcr.io/ai-cloudops/${name}:2.1.0`),
    },
    status: { replicas: 0 },
  });
}

/** A DaemonSet running one agent pod on every node. */
export function createDaemonSet(store: ObjectStore, namespace: string, name: string): void {
  store.create(DAEMON_SETS, {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace, labels: { app: name }, generation: 1 },
    spec: {
      selector: { matchLabels: { app: name } },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
      template: podTemplate(name, `ghcr.io/ai-cloudops/${name}:0.9.3`, '128Mi'),
    },
    status: {},
  });
}

/** A CronJob whose runs end as `outcome` says (the Job controller reads `sim.aicloudops.io/outcome`). */
export function createCronJob(
  store: ObjectStore,
  namespace: string,
  name: string,
  schedule: string,
  outcome: 'succeed' | 'fail' | 'oom',
  backoffLimit = 1,
): void {
  const template = podTemplate(name, `registry.sim.local/batch/${name}:1.0.0`, '128Mi');
  template.spec.restartPolicy = 'Never';
  store.create(CRON_JOBS, {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name, namespace, labels: { app: name }, generation: 1 },
    spec: {
      schedule,
      concurrencyPolicy: 'Forbid',
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
      jobTemplate: {
        metadata: { labels: { app: name }, annotations: { [JOB_OUTCOME]: outcome } },
        spec: { backoffLimit, template },
      },
    },
    status: {},
  });
}
