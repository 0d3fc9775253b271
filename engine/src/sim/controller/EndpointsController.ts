import type { KubeObject } from '../apiserver/KubeObject.js';
import {
  PODS,
  SERVICES,
  isFinished,
  isPodReady,
  isTerminating,
  type ControllerContext,
} from './ControllerContext.js';

const ENDPOINTS = '/endpoints';

/**
 * The endpoints controller: each Service with a selector gets an Endpoints object listing the matching pods' IPs,
 * Ready ones under `addresses`, the others under `notReadyAddresses`. A selector that matches nothing leaves an
 * Endpoints without subsets, which is what a Service "with no endpoints" looks like.
 */
export class EndpointsController {
  reconcile(ctx: ControllerContext): void {
    const pods = ctx.store.view(PODS).filter((p) => !isTerminating(p) && !isFinished(p));
    for (const svc of ctx.store.view(SERVICES)) {
      const selector = (svc['spec'] as { selector?: Record<string, string> } | undefined)?.selector;
      if (!selector || Object.keys(selector).length === 0) continue;
      const namespace = svc.metadata.namespace!;
      const matched = pods.filter(
        (p) =>
          p.metadata.namespace === namespace &&
          Object.entries(selector).every(([k, v]) => p.metadata.labels?.[k] === v),
      );
      this.write(ctx, svc, matched);
    }
  }

  private write(ctx: ControllerContext, svc: KubeObject, pods: KubeObject[]): void {
    const address = (p: KubeObject) => ({
      ip: (p['status'] as { podIP?: string } | undefined)?.podIP ?? '',
      nodeName: (p['spec'] as { nodeName?: string }).nodeName,
      targetRef: { kind: 'Pod', namespace: p.metadata.namespace, name: p.metadata.name, uid: p.metadata.uid },
    });
    const placed = pods.filter((p) => (p['status'] as { podIP?: string } | undefined)?.podIP);
    const ready = placed.filter(isPodReady).map(address);
    const notReady = placed.filter((p) => !isPodReady(p)).map(address);
    const ports = (
      (
        svc['spec'] as {
          ports?: Array<{ name?: string; port: number; targetPort?: number | string; protocol?: string }>;
        }
      ).ports ?? []
    ).map((p) => ({
      ...(p.name ? { name: p.name } : {}),
      port: typeof p.targetPort === 'number' ? p.targetPort : p.port,
      protocol: p.protocol ?? 'TCP',
    }));
    const subsets =
      ready.length + notReady.length > 0
        ? [
            {
              ...(ready.length ? { addresses: ready } : {}),
              ...(notReady.length ? { notReadyAddresses: notReady } : {}),
              ports,
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
