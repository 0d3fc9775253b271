import type { KubeObject } from '../apiserver/KubeObject.js';
import {
  PODS,
  SERVICES,
  isFinished,
  isPodReady,
  isTerminating,
  type ControllerContext,
} from './ControllerContext.js';
import { podIp, removeOrphanedSlices, writeEndpointSlice, type ServicePort } from './endpointSlices.js';

const ENDPOINTS = '/endpoints';

/**
 * The endpoints controller: each Service with a selector gets an Endpoints object listing the matching pods' IPs,
 * Ready ones under `addresses`, the others under `notReadyAddresses`. A selector that matches nothing leaves an
 * Endpoints without subsets, which is what a Service "with no endpoints" looks like. The same selection feeds the
 * Service's EndpointSlice (endpointSlices.ts), so the two never disagree about which pods back a Service.
 */
export class EndpointsController {
  reconcile(ctx: ControllerContext): void {
    const pods = ctx.store.view(PODS).filter((p) => !isFinished(p) && podIp(p));
    const served = new Set<string>();
    for (const svc of ctx.store.view(SERVICES)) {
      const selector = (svc['spec'] as { selector?: Record<string, string> } | undefined)?.selector;
      if (!selector || Object.keys(selector).length === 0) continue;
      const namespace = svc.metadata.namespace!;
      const backing = pods.filter(
        (p) =>
          p.metadata.namespace === namespace &&
          Object.entries(selector).every(([k, v]) => p.metadata.labels?.[k] === v),
      );
      const ports = servicePorts(svc);
      // Terminating pods leave the Endpoints at once; the slice keeps them, marked terminating, as the real
      // EndpointSlice controller does so proxies can drain them.
      this.write(
        ctx,
        svc,
        backing.filter((p) => !isTerminating(p)),
        ports,
      );
      writeEndpointSlice(ctx, svc, backing, ports);
      served.add(svc.metadata.uid ?? '');
    }
    removeOrphanedSlices(ctx, served);
  }

  private write(ctx: ControllerContext, svc: KubeObject, pods: KubeObject[], ports: ServicePort[]): void {
    const address = (p: KubeObject) => ({
      ip: podIp(p)!,
      nodeName: (p['spec'] as { nodeName?: string }).nodeName,
      targetRef: { kind: 'Pod', namespace: p.metadata.namespace, name: p.metadata.name, uid: p.metadata.uid },
    });
    const ready = pods.filter(isPodReady).map(address);
    const notReady = pods.filter((p) => !isPodReady(p)).map(address);
    const subsets =
      ready.length + notReady.length > 0
        ? [
            {
              ...(ready.length ? { addresses: ready } : {}),
              ...(notReady.length ? { notReadyAddresses: notReady } : {}),
              ports: ports.map((p) => ({
                ...(p.name ? { name: p.name } : {}),
                port: p.port,
                protocol: p.protocol,
              })),
            },
          ]
        : [];
    const { namespace, name } = svc.metadata;
    const current = ctx.store.get(ENDPOINTS, namespace, name);
    if (!current) {
      ctx.store.create(ENDPOINTS, {
        apiVersion: 'v1',
        kind: 'Endpoints',
        metadata: { name, namespace, labels: { ...svc.metadata.labels } },
        subsets,
      });
      return;
    }
    if (JSON.stringify(current['subsets'] ?? []) === JSON.stringify(subsets)) return;
    ctx.store.update(ENDPOINTS, { ...current, subsets });
  }
}

/** The ports traffic reaches on the pods: a numeric targetPort, else the Service port. */
function servicePorts(svc: KubeObject): ServicePort[] {
  const ports =
    (
      svc['spec'] as {
        ports?: Array<{ name?: string; port: number; targetPort?: number | string; protocol?: string }>;
      }
    ).ports ?? [];
  return ports.map((p) => ({
    ...(p.name ? { name: p.name } : {}),
    port: typeof p.targetPort === 'number' ? p.targetPort : p.port,
    protocol: p.protocol ?? 'TCP',
  }));
}
