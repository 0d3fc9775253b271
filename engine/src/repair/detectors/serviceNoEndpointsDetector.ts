import type { V1Endpoints, V1Service } from '@kubernetes/client-node';
import type { Detector, Finding } from '../types.js';
import { indexSnapshot, refOf, type SnapshotIndex } from '../snapshot/SnapshotIndex.js';
import { isTerminal, selectorMatches } from '../snapshot/podStatus.js';
import { toMillis } from '../snapshot/time.js';
import { createFinding } from './createFinding.js';

/**
 * Services whose selector matches no pod at all, for five minutes, so traffic goes nowhere. A selector that
 * matches pods that are merely not Ready is those pods' finding; a selector matching a workload scaled to zero on
 * purpose is intended; Services without a selector (endpoints managed by hand) and ExternalName are skipped.
 */
const MIN_SECONDS = 300;

function selectsScaledToZero(index: SnapshotIndex, ns: string, selector: Record<string, string>): boolean {
  const s = index.snapshot;
  return [...(s.deployments ?? []), ...(s.statefulSets ?? [])].some(
    (w) =>
      w.metadata?.namespace === ns &&
      w.spec?.replicas === 0 &&
      selectorMatches(selector, w.spec?.template?.metadata?.labels),
  );
}

const hasAddresses = (ep: V1Endpoints | undefined) =>
  (ep?.subsets ?? []).some((s) => (s.addresses?.length ?? 0) + (s.notReadyAddresses?.length ?? 0) > 0);

function findingFor(index: SnapshotIndex, svc: V1Service, now: Date): Finding | undefined {
  const selector = svc.spec?.selector;
  if (!selector || Object.keys(selector).length === 0 || svc.spec?.type === 'ExternalName') return undefined;
  const ns = svc.metadata?.namespace ?? '';
  const sinceMs = toMillis(svc.metadata?.creationTimestamp) ?? now.getTime();
  if (now.getTime() - sinceMs < MIN_SECONDS * 1000) return undefined;
  // Candidates share the selector's first label; checking the rest on them avoids a pods × services pass.
  const [firstKey, firstValue] = Object.entries(selector)[0]!;
  const candidates = index.podsWithLabel(ns, firstKey, firstValue);
  if (candidates.some((p) => !isTerminal(p) && selectorMatches(selector, p.metadata?.labels)))
    return undefined;
  const object = refOf('Service', svc);
  const endpoints = index.get<V1Endpoints>('Endpoints', ns, object.name);
  if (hasAddresses(endpoints) || selectsScaledToZero(index, ns, selector)) return undefined;
  const text = Object.entries(selector)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  return createFinding({
    type: 'ServiceNoEndpoints',
    object,
    owners: [],
    statuses: [
      `${object.name}: selector ${text} matches no pod; Endpoints ${endpoints ? 'empty' : 'missing'}`,
    ],
    events: index.eventsFor(object),
    sinceMs,
    now,
    severity: 'warning',
    message: `Service ${ns}/${object.name}: selector ${text} matches no pod`,
    details: { reason: 'SelectorMatchesNothing', selector: text },
  });
}

export const serviceNoEndpointsDetector: Detector = {
  name: 'service-no-endpoints',
  types: ['ServiceNoEndpoints'],
  detect(snapshot, now) {
    const index = indexSnapshot(snapshot);
    return (snapshot.services ?? []).flatMap((svc) => findingFor(index, svc, now) ?? []);
  },
};
