import type { ClusterSnapshot } from '../../src/repair/types.js';
import { SNAPSHOT_KINDS } from '../../src/repair/snapshot/kinds.js';
import {
  controllerRef,
  refKey,
  type AnyObject,
  type SnapshotIndex,
} from '../../src/repair/snapshot/SnapshotIndex.js';

/**
 * The k8sgpt-style baseline: every lookup scans the lists, as an analyzer that lists pods and then fetches each
 * pod's events and owner does (k8sgpt's pod analyzer calls the API per pod with a field selector, which the API
 * server answers by filtering). Same answers as SnapshotIndex, different cost: the benchmark runs the same
 * detectors on both, so only the lookup strategy differs.
 */
class ScanningMap<V> {
  constructor(private readonly lookup: (key: string) => V | undefined) {}
  get(key: string): V | undefined {
    return this.lookup(key);
  }
  has(key: string): boolean {
    return this.lookup(key) !== undefined;
  }
}

const nonEmpty = <T>(list: T[]) => (list.length > 0 ? list : undefined);

export function naiveIndex(snapshot: ClusterSnapshot): SnapshotIndex {
  // A get by name scans only its kind's list (the API server answers a GET from its own map; the analyzer's
  // cost is the per-object call), so the baseline is not slowed by anything k8sgpt would not do.
  const find = (key: string) => {
    const [kind, namespace, name] = key.split('/');
    const info = SNAPSHOT_KINDS.find((k) => k.kind === kind);
    const list = (info ? (snapshot[info.key] ?? []) : []) as AnyObject[];
    return list.find((o) => o.metadata?.name === name && (o.metadata?.namespace ?? '') === namespace);
  };
  const ownedBy = <T extends AnyObject>(list: T[] | undefined, key: string) =>
    nonEmpty(
      (list ?? []).filter((x) => {
        const r = controllerRef(x);
        return r !== undefined && refKey(r.kind, x.metadata?.namespace, r.name) === key;
      }),
    );
  const index = {
    snapshot,
    nodes: snapshot.nodes ?? [],
    objects: new ScanningMap(find),
    podsByController: new ScanningMap((key) => ownedBy(snapshot.pods, key)),
    podsByNamespace: new ScanningMap((ns) =>
      nonEmpty((snapshot.pods ?? []).filter((p) => p.metadata?.namespace === ns)),
    ),
    podsByNode: new ScanningMap((n) => nonEmpty((snapshot.pods ?? []).filter((p) => p.spec?.nodeName === n))),
    replicaSetsByDeployment: new ScanningMap((key) => ownedBy(snapshot.replicaSets, key)),
    revisionsByOwner: new ScanningMap((key) => ownedBy(snapshot.controllerRevisions, key)),
    jobsByCronJob: new ScanningMap((key) => ownedBy(snapshot.jobs, key)),
    hpaByTarget: new ScanningMap((key) =>
      (snapshot.horizontalPodAutoscalers ?? []).find(
        (h) =>
          refKey(h.spec?.scaleTargetRef.kind ?? '', h.metadata?.namespace, h.spec?.scaleTargetRef.name) ===
          key,
      ),
    ),
    get(kind: string, namespace: string | undefined, name: string | undefined) {
      return index.objects.get(refKey(kind, namespace, name));
    },
    podsWithLabel(namespace: string, key: string, value: string) {
      return (snapshot.pods ?? []).filter(
        (p) => p.metadata?.namespace === namespace && p.metadata?.labels?.[key] === value,
      );
    },
    eventsFor(ref: { kind: string; namespace: string; name: string }) {
      return (snapshot.events ?? []).filter(
        (e) =>
          e.involvedObject.kind === ref.kind &&
          e.involvedObject.name === ref.name &&
          (ref.kind === 'Node' || e.involvedObject.namespace === ref.namespace),
      );
    },
  };
  return index as unknown as SnapshotIndex;
}
