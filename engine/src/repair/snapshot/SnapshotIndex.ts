import type {
  CoreV1Event,
  V1ControllerRevision,
  V1Job,
  V1Node,
  V1ObjectMeta,
  V1Pod,
  V1ReplicaSet,
  V2HorizontalPodAutoscaler,
} from '@kubernetes/client-node';
import type { ClusterSnapshot, ObjectRef } from '../types.js';
import { SNAPSHOT_KINDS } from './kinds.js';

export interface AnyObject {
  kind?: string;
  metadata?: V1ObjectMeta;
}

export const refKey = (kind: string, namespace: string | undefined, name: string | undefined): string =>
  `${kind}/${namespace ?? ''}/${name ?? ''}`;

export const refOf = (kind: string, obj: AnyObject): ObjectRef => ({
  kind,
  namespace: obj.metadata?.namespace ?? '',
  name: obj.metadata?.name ?? '',
  ...(obj.metadata?.uid ? { uid: obj.metadata.uid } : {}),
});

/** The controller owner reference (or the only owner when none is marked controller, as some tools write it). */
export function controllerRef(obj: AnyObject) {
  const refs = obj.metadata?.ownerReferences ?? [];
  return refs.find((r) => r.controller) ?? (refs.length === 1 ? refs[0] : undefined);
}

const push = <K, V>(map: Map<K, V[]>, key: K, value: V) => {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
};

/**
 * One pass over a snapshot building every lookup the detectors and the planner need, so a scan is linear in the
 * snapshot's size: a k8sgpt-style pass re-lists and filters pods for every analyzer and every workload instead
 * (bench/repair-scan.bench.ts measures both). Owners are looked up by kind/namespace/name rather than uid: a
 * snapshot loaded into another API server gets new uids, names stay unique per kind and namespace.
 */
export class SnapshotIndex {
  /** `Kind/namespace/name` → object, for every kind. */
  readonly objects = new Map<string, AnyObject>();
  /** Pods by the key of their controller (ReplicaSet, StatefulSet, DaemonSet, Job). */
  readonly podsByController = new Map<string, V1Pod[]>();
  readonly podsByNamespace = new Map<string, V1Pod[]>();
  readonly podsByNode = new Map<string, V1Pod[]>();
  readonly replicaSetsByDeployment = new Map<string, V1ReplicaSet[]>();
  readonly revisionsByOwner = new Map<string, V1ControllerRevision[]>();
  readonly jobsByCronJob = new Map<string, V1Job[]>();
  /** Events by the key of their involved object (Node events under `Node//name`). */
  readonly eventsByObject = new Map<string, CoreV1Event[]>();
  readonly hpaByTarget = new Map<string, V2HorizontalPodAutoscaler>();
  readonly nodes: V1Node[];

  constructor(readonly snapshot: ClusterSnapshot) {
    this.nodes = snapshot.nodes ?? [];
    for (const info of SNAPSHOT_KINDS) {
      // Events are looked up by the object they involve, never by their own name: 15,000 of them in the
      // 5,000-pod benchmark made a third of the index build time.
      if (info.kind === 'Event') continue;
      for (const obj of (snapshot[info.key] ?? []) as AnyObject[]) {
        this.objects.set(refKey(info.kind, obj.metadata?.namespace, obj.metadata?.name), obj);
      }
    }
    this.indexPods(snapshot.pods ?? []);
    this.indexOwned(snapshot);
    for (const event of snapshot.events ?? []) {
      const o = event.involvedObject;
      const namespaced = o.kind !== 'Node' && o.kind !== 'StorageClass' && o.kind !== 'Namespace';
      push(this.eventsByObject, refKey(o.kind ?? '', namespaced ? o.namespace : '', o.name), event);
    }
    for (const hpa of snapshot.horizontalPodAutoscalers ?? []) {
      const t = hpa.spec?.scaleTargetRef;
      if (t) this.hpaByTarget.set(refKey(t.kind, hpa.metadata?.namespace, t.name), hpa);
    }
  }

  private indexPods(pods: V1Pod[]): void {
    for (const pod of pods) {
      const ns = pod.metadata?.namespace ?? '';
      push(this.podsByNamespace, ns, pod);
      if (pod.spec?.nodeName) push(this.podsByNode, pod.spec.nodeName, pod);
      const owner = controllerRef(pod);
      if (owner) push(this.podsByController, refKey(owner.kind, ns, owner.name), pod);
    }
  }

  private indexOwned(snapshot: ClusterSnapshot): void {
    for (const rs of snapshot.replicaSets ?? []) {
      const owner = controllerRef(rs);
      if (owner?.kind === 'Deployment')
        push(this.replicaSetsByDeployment, refKey('Deployment', rs.metadata?.namespace, owner.name), rs);
    }
    for (const cr of snapshot.controllerRevisions ?? []) {
      const owner = controllerRef(cr);
      if (owner) push(this.revisionsByOwner, refKey(owner.kind, cr.metadata?.namespace, owner.name), cr);
    }
    for (const job of snapshot.jobs ?? []) {
      const owner = controllerRef(job);
      if (owner?.kind === 'CronJob')
        push(this.jobsByCronJob, refKey('CronJob', job.metadata?.namespace, owner.name), job);
    }
  }

  private labelIndex?: Map<string, V1Pod[]>;

  /** Pods of a namespace carrying `key=value`, built on first use (Service selectors). */
  podsWithLabel(namespace: string, key: string, value: string): V1Pod[] {
    if (!this.labelIndex) {
      this.labelIndex = new Map();
      for (const pod of this.snapshot.pods ?? []) {
        for (const [k, v] of Object.entries(pod.metadata?.labels ?? {}))
          push(this.labelIndex, `${pod.metadata?.namespace}/${k}=${v}`, pod);
      }
    }
    return this.labelIndex.get(`${namespace}/${key}=${value}`) ?? [];
  }

  get<T extends AnyObject = AnyObject>(
    kind: string,
    namespace: string | undefined,
    name: string | undefined,
  ): T | undefined {
    return this.objects.get(refKey(kind, namespace, name)) as T | undefined;
  }

  eventsFor(ref: ObjectRef): CoreV1Event[] {
    return this.eventsByObject.get(refKey(ref.kind, ref.namespace, ref.name)) ?? [];
  }
}

const cache = new WeakMap<ClusterSnapshot, SnapshotIndex>();

/**
 * Supplies the index of a snapshot instead of building it: for an index kept current from watches, or another
 * lookup strategy (the repair-scan benchmark's k8sgpt-style baseline).
 */
export function provideIndex(snapshot: ClusterSnapshot, index: SnapshotIndex): void {
  cache.set(snapshot, index);
}

/**
 * The index of a snapshot, built on first use and shared by every detector of the scan and by the planner.
 * Snapshots are treated as immutable: a changed cluster is a new snapshot object.
 */
export function indexSnapshot(snapshot: ClusterSnapshot): SnapshotIndex {
  let index = cache.get(snapshot);
  if (!index) {
    index = new SnapshotIndex(snapshot);
    cache.set(snapshot, index);
  }
  return index;
}
