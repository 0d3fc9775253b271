import type { KubeObject } from '../apiserver/KubeObject.js';
import type { ObjectStore } from '../apiserver/ObjectStore.js';
import { clusterIpFor } from '../apiserver/groups/core.js';
import { SHOP_NAMESPACE, SHOP_SERVICES, type ShopService } from '../shop.js';

export const SIM_NODES = ['sim-node-1', 'sim-node-2', 'sim-node-3'];

const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/** HPAs the demo shop has: the two services whose load swings most. */
const AUTOSCALED: Record<string, { min: number; max: number }> = {
  frontend: { min: 3, max: 10 },
  checkout: { min: 2, max: 6 },
};

/**
 * The demo shop as a real cluster would hold it: namespace, three nodes, and a Deployment + Service per shop
 * service, labelled the way Backstage's Kubernetes plugin and kube-state-metrics expect. `createdAt` dates them all
 * (SimulatedCluster: settledSince, when the shop it settles has been running since); default the time of the call.
 */
export function seedShop(store: ObjectStore, namespace = SHOP_NAMESPACE, createdAt?: string): void {
  const now = new Date().toISOString();
  const create = (resource: string, obj: KubeObject) =>
    store.create(
      resource,
      createdAt ? { ...obj, metadata: { ...obj.metadata, creationTimestamp: createdAt } } : obj,
    );
  // The namespaces every cluster has (node events live in `default`), then the shop's.
  for (const name of [...SYSTEM_NAMESPACES, namespace]) {
    if (store.has('/namespaces', undefined, name)) continue;
    create('/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name, labels: { 'kubernetes.io/metadata.name': name } },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    });
  }
  SIM_NODES.forEach((name, i) => {
    if (store.has('/nodes', undefined, name)) return;
    create('/nodes', {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name,
        labels: {
          'kubernetes.io/hostname': name,
          'kubernetes.io/os': 'linux',
          'kubernetes.io/arch': 'amd64',
          'node.kubernetes.io/instance-type': 'sim.large',
          'topology.kubernetes.io/zone': `sim-zone-${String.fromCharCode(97 + i)}`,
        },
      },
      spec: { podCIDR: `10.244.${i}.0/24` },
      status: {
        capacity: { cpu: '8', memory: '32Gi', pods: '110', 'ephemeral-storage': '100Gi' },
        allocatable: { cpu: '7800m', memory: '31Gi', pods: '110', 'ephemeral-storage': '95Gi' },
        conditions: [
          cond(
            'MemoryPressure',
            'False',
            'KubeletHasSufficientMemory',
            'kubelet has sufficient memory available',
            now,
          ),
          cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure', now),
          cond(
            'PIDPressure',
            'False',
            'KubeletHasSufficientPID',
            'kubelet has sufficient PID available',
            now,
          ),
          cond('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status', now),
        ],
        addresses: [
          { type: 'InternalIP', address: `10.0.0.${11 + i}` },
          { type: 'Hostname', address: name },
        ],
        nodeInfo: {
          kubeletVersion: 'v1.31.0',
          kubeProxyVersion: 'v1.31.0',
          containerRuntimeVersion: 'containerd://1.7.22',
          osImage: 'Debian GNU/Linux 12 (bookworm)',
          kernelVersion: '6.1.0-sim',
          operatingSystem: 'linux',
          architecture: 'amd64',
        },
      },
    });
  });
  for (const service of SHOP_SERVICES) {
    if (!store.has('apps/deployments', namespace, service.name))
      create('apps/deployments', deploymentFor(service, namespace));
    if (!store.has('/services', namespace, service.name)) create('/services', serviceFor(service, namespace));
    const hpa = AUTOSCALED[service.name];
    if (hpa && !store.has('autoscaling/horizontalpodautoscalers', namespace, service.name)) {
      create('autoscaling/horizontalpodautoscalers', {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: service.name, namespace, labels: labelsFor(service.name), generation: 1 },
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: service.name },
          minReplicas: hpa.min,
          maxReplicas: hpa.max,
          metrics: [
            {
              type: 'Resource',
              resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } },
            },
          ],
        },
        status: { currentReplicas: 0, desiredReplicas: 0 },
      });
    }
  }
}

function cond(type: string, status: string, reason: string, message: string, time: string) {
  return { type, status, reason, message, lastHeartbeatTime: time, lastTransitionTime: time };
}

export function labelsFor(name: string): Record<string, string> {
  return {
    app: name,
    'app.kubernetes.io/name': name,
    'app.kubernetes.io/part-of': 'shop',
    'backstage.io/kubernetes-id': name,
  };
}

function deploymentFor(service: ShopService, namespace: string) {
  const labels = labelsFor(service.name);
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: service.name,
      namespace,
      labels,
      annotations: {
        'backstage.io/kubernetes-id': service.name,
        'kubernetes.io/change-cause': `deploy ${service.name} 1.4.2`,
      },
      generation: 1,
    },
    spec: {
      replicas: service.replicas,
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      selector: { matchLabels: { app: service.name } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: {
        metadata: { labels },
        spec: {
          containers: [
            {
              name: service.name,
              image: service.image,
              ports: [
                {
                  name: service.port === 8080 ? 'http' : 'redis',
                  containerPort: service.port,
                  protocol: 'TCP',
                },
              ],
              resources: {
                requests: {
                  cpu: `${Math.round(service.cpuRequestCores * 1000)}m`,
                  memory: `${Math.round(service.memoryLimitBytes / 2 / 1024 / 1024)}Mi`,
                },
                limits: { memory: `${Math.round(service.memoryLimitBytes / 1024 / 1024)}Mi` },
              },
              readinessProbe: {
                httpGet: { path: '/ready', port: service.port, scheme: 'HTTP' },
                timeoutSeconds: 1,
                successThreshold: 1,
                periodSeconds: 5,
                failureThreshold: 3,
              },
              livenessProbe: {
                httpGet: { path: '/healthz', port: service.port, scheme: 'HTTP' },
                timeoutSeconds: 1,
                successThreshold: 1,
                periodSeconds: 10,
                failureThreshold: 3,
              },
              env: [{ name: 'SERVICE_NAME', value: service.name }],
            },
          ],
          restartPolicy: 'Always',
          terminationGracePeriodSeconds: 30,
          dnsPolicy: 'ClusterFirst',
          schedulerName: 'default-scheduler',
        },
      },
    },
    status: {},
  };
}

function serviceFor(service: ShopService, namespace: string) {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: service.name,
      namespace,
      labels: labelsFor(service.name),
      annotations: { 'backstage.io/kubernetes-id': service.name },
    },
    spec: {
      type: 'ClusterIP',
      clusterIP: clusterIpFor(namespace, service.name),
      selector: { app: service.name },
      ports: [
        {
          name: service.port === 8080 ? 'http' : 'redis',
          port: service.port,
          targetPort: service.port,
          protocol: 'TCP',
        },
      ],
    },
  };
}
