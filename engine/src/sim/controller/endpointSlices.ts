import type { KubeObject } from '../apiserver/KubeObject.js';
import { NODES, isPodReady, isTerminating, type ControllerContext } from './ControllerContext.js';

export const ENDPOINT_SLICES = 'discovery.k8s.io/endpointslices';
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
export const MANAGED_BY = 'endpointslice-controller.k8s.io';

export interface ServicePort {
  name?: string;
  port: number;
  protocol: string;
}

export const podIp = (p: KubeObject): string | undefined =>
  (p['status'] as { podIP?: string } | undefined)?.podIP || undefined;

const SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/**
 * The name the real controller would get from `generateName: <service>-`, derived from the Service's uid instead of
 * random bytes so names are stable per seed.
 */
function sliceName(svc: KubeObject): string {
  let h = 0x811c9dc5;
  for (const ch of svc.metadata.uid ?? svc.metadata.name)
    h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  let suffix = '';
  for (let i = 0; i < 5; i++) {
    suffix += SUFFIX_ALPHABET[h % SUFFIX_ALPHABET.length];
    h = Math.floor(h / SUFFIX_ALPHABET.length);
  }
  return `${svc.metadata.name.slice(0, 57)}-${suffix}`;
}

const managedBy = (slice: KubeObject, svc?: string) =>
  slice.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY &&
  (svc === undefined || slice.metadata.labels?.[SERVICE_NAME_LABEL] === svc);

/**
 * The EndpointSlice controller's half of a Service: one IPv4 slice listing the pods the endpoints controller chose
 * (`pods` includes terminating ones), each with the ready/serving/terminating conditions kube-proxy reads. Written
 * only when it changes, like the Endpoints.
 */
export function writeEndpointSlice(
  ctx: ControllerContext,
  svc: KubeObject,
  pods: KubeObject[],
  ports: ServicePort[],
): void {
  const { namespace, name } = svc.metadata;
  const zones = new Map(
    ctx.store.view(NODES).map((n) => [n.metadata.name, n.metadata.labels?.['topology.kubernetes.io/zone']]),
  );
  const endpoints = [...pods]
    .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))
    .map((p) => {
      const nodeName = (p['spec'] as { nodeName?: string }).nodeName;
      const serving = isPodReady(p);
      const terminating = isTerminating(p);
      const zone = nodeName ? zones.get(nodeName) : undefined;
      return {
        addresses: [podIp(p)!],
        conditions: { ready: serving && !terminating, serving, terminating },
        ...(nodeName ? { nodeName } : {}),
        ...(zone ? { zone } : {}),
        targetRef: {
          kind: 'Pod',
          namespace: p.metadata.namespace,
          name: p.metadata.name,
          uid: p.metadata.uid,
        },
      };
    });
  // EndpointPort.name is set even when the Service port has none (to ""), unlike the Endpoints' ports.
  const slicePorts = ports.map((p) => ({ name: p.name ?? '', port: p.port, protocol: p.protocol }));
  const labels = { ...svc.metadata.labels, [SERVICE_NAME_LABEL]: name, [MANAGED_BY_LABEL]: MANAGED_BY };
  const current = ctx.store.view(ENDPOINT_SLICES, namespace).find((s) => managedBy(s, name));
  if (!current) {
    ctx.store.create(ENDPOINT_SLICES, {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: {
        name: sliceName(svc),
        generateName: `${name}-`,
        namespace,
        labels,
        ownerReferences: [
          {
            apiVersion: 'v1',
            kind: 'Service',
            name,
            uid: svc.metadata.uid!,
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      addressType: 'IPv4',
      endpoints,
      ports: slicePorts,
    });
    return;
  }
  const same =
    JSON.stringify(current['endpoints'] ?? []) === JSON.stringify(endpoints) &&
    JSON.stringify(current['ports'] ?? []) === JSON.stringify(slicePorts) &&
    JSON.stringify(current.metadata.labels ?? {}) === JSON.stringify(labels);
  if (same) return;
  ctx.store.update(ENDPOINT_SLICES, {
    ...current,
    metadata: { ...current.metadata, labels },
    endpoints,
    ports: slicePorts,
  });
}

/**
 * Deletes the slices this controller made for Services that are gone or no longer select pods; the garbage collector
 * does not follow Service owners, and the real controller removes such slices itself too.
 */
export function removeOrphanedSlices(ctx: ControllerContext, servedServiceUids: Set<string>): void {
  for (const slice of ctx.store.view(ENDPOINT_SLICES)) {
    if (!managedBy(slice)) continue;
    const owner = slice.metadata.ownerReferences?.find((o) => o.kind === 'Service');
    if (owner && servedServiceUids.has(owner.uid)) continue;
    ctx.store.delete(ENDPOINT_SLICES, slice.metadata.namespace, slice.metadata.name);
  }
}
