import type { KubeObject } from '../apiserver/KubeObject.js';
import type { ObjectStore } from '../apiserver/ObjectStore.js';
import type { StoredEvent } from '../apiserver/WatchHub.js';
import type { RestartBook } from '../controller/RestartBook.js';

/** A pod serving `share` of one modelled replica slot's traffic during [from, to) (unix seconds). */
export interface SlotPart {
  slot: number;
  share: number;
  from: number;
  to: number;
}

/** A pod the cluster ran: its name, node and life, and which modelled slots it served when. */
export interface RosterPod {
  name: string;
  uid: string;
  service: string;
  node: string;
  /** When it started running (−Infinity for the pods running when the roster began: their history goes back). */
  start: number;
  /**
   * For a pod running when the roster began: when it was created (unix s, its creationTimestamp) and how old it was
   * then (s). Its counters start at 0 at its creation; the history it carries from before is its predecessors',
   * each as long-lived as it (ShopMetricsGenerator.counterOrigin).
   */
  created?: { at: number; age: number };
  /** When it stopped (Infinity while it runs). */
  end: number;
  parts: SlotPart[];
}

/** What the metrics generator asks for pod names: the pods a cluster ran, changing `version` whenever they change. */
export interface PodNameProvider {
  readonly version: number;
  pods(): readonly RosterPod[];
  /** Restarts of a pod's container by a time (unix s), as its status counts them; absent: the generator models them. */
  restartsAt?(pod: RosterPod, container: string, at: number): number;
  /** When a pod's container restarted (unix s, ascending), as its kubelet recorded the kills; absent: modelled. */
  restartTimes?(pod: RosterPod, container: string): readonly number[];
}

interface Live {
  name: string;
  uid: string;
  node: string;
  start: number;
  created?: { at: number; age: number };
  end: number;
  closed: SlotPart[];
  /** Slot → the part open since `from`. */
  open: Map<number, { share: number; from: number }>;
}

/**
 * The pods the simulated cluster runs, from its store's watch, mapped onto the metrics generator's fixed replica
 * slots. The generator's values stay a function of (time, faults) per slot; the roster only says which pod carries a
 * slot when. Assignment is sticky (a pod keeps its slot until it stops), every slot has a holder while the service
 * has a running pod, and pods sharing a slot split it evenly, so a service's totals do not change when pods do
 * (HPA scale-ups, surge pods of a rollout, reschedules).
 */
export class PodRoster implements PodNameProvider {
  private revision = 0;
  private readonly byService = new Map<string, Live[]>();
  private readonly ended: Array<Live & { service: string }> = [];
  private cache: { revision: number; pods: RosterPod[] } | undefined;
  private readonly unsubscribe: () => void;
  readonly restartsAt?: (pod: RosterPod, container: string, at: number) => number;
  readonly restartTimes?: (pod: RosterPod, container: string) => readonly number[];

  constructor(
    private readonly options: {
      store: ObjectStore;
      namespace: string;
      services: ReadonlyArray<{ name: string; replicas: number }>;
      /** The cluster's clock, unix seconds. */
      now: () => number;
      /** The cluster's record of container restarts (its kubelet writes it): the restart and OOM memory metrics read it. */
      restarts?: Pick<RestartBook, 'countAt' | 'times'>;
    },
  ) {
    const initial = options.store
      .view('/pods', options.namespace)
      .filter(isRunning)
      .sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));
    for (const pod of initial) this.arrive(pod, -Infinity);
    const book = options.restarts;
    if (book) {
      this.restartsAt = (pod, container, at) => book.countAt(pod.uid, container, at);
      this.restartTimes = (pod, container) => book.times(pod.uid, container);
    }
    this.unsubscribe = options.store.hub.subscribe((event) => this.onEvent(event));
  }

  get version(): number {
    return this.revision;
  }

  /** The node of the pod that carried a slot when the roster began (the generator's placement for fault effects). */
  placement = (service: string, slot: number): string | undefined =>
    this.pods().find(
      (p) => p.service === service && p.start === -Infinity && p.parts.some((x) => x.slot === slot),
    )?.node;

  pods(): readonly RosterPod[] {
    if (this.cache?.revision === this.revision) return this.cache.pods;
    const snapshot = (service: string, p: Live): RosterPod => ({
      name: p.name,
      uid: p.uid,
      service,
      node: p.node,
      start: p.start,
      ...(p.created ? { created: p.created } : {}),
      end: p.end,
      parts: [
        ...p.closed,
        ...[...p.open].map(([slot, o]) => ({ slot, share: o.share, from: o.from, to: Infinity })),
      ],
    });
    const pods = [
      ...this.ended.map((p) => snapshot(p.service, p)),
      ...[...this.byService].flatMap(([service, live]) => live.map((p) => snapshot(service, p))),
    ];
    this.cache = { revision: this.revision, pods };
    return pods;
  }

  stop(): void {
    this.unsubscribe();
  }

  private onEvent(event: StoredEvent): void {
    if (event.resource !== '/pods' || event.object.metadata.namespace !== this.options.namespace) return;
    const was = event.previous ? isRunning(event.previous) : false;
    const is = event.type !== 'DELETED' && isRunning(event.object);
    if (was === is) return;
    const t = this.options.now();
    if (is) this.arrive(event.object, t);
    else this.leave(event.object, t);
  }

  private arrive(pod: KubeObject, t: number): void {
    const service = serviceOf(pod);
    const slots = this.options.services.find((s) => s.name === service)?.replicas;
    if (!service || !slots) return;
    const live = this.byService.get(service) ?? [];
    this.byService.set(service, live);
    const node = (pod['spec'] as { nodeName?: string }).nodeName!;
    const now = this.options.now();
    const created = Date.parse(pod.metadata.creationTimestamp ?? '') / 1000;
    live.push({
      name: pod.metadata.name!,
      uid: pod.metadata.uid!,
      node,
      start: t,
      ...(t === -Infinity && created < now ? { created: { at: created, age: now - created } } : {}),
      end: Infinity,
      closed: [],
      open: new Map(),
    });
    this.rebalance(live, slots, t);
  }

  private leave(pod: KubeObject, t: number): void {
    const service = serviceOf(pod);
    const live = service ? this.byService.get(service) : undefined;
    const i = live?.findIndex((p) => p.name === pod.metadata.name) ?? -1;
    if (!live || i < 0) return;
    const [gone] = live.splice(i, 1);
    closeAll(gone!, t);
    gone!.end = t;
    this.ended.push({ ...gone!, service: service! });
    const slots = this.options.services.find((s) => s.name === service)!.replicas;
    this.rebalance(live, slots, t);
  }

  /** Every slot held while a pod runs, every running pod holding a slot; only pods whose holding changed get new parts. */
  private rebalance(live: Live[], slots: number, t: number): void {
    this.revision++;
    if (live.length === 0) return;
    const holding = new Map(live.map((p) => [p, new Set(p.open.keys())]));
    const holders = (slot: number) => live.filter((p) => holding.get(p)!.has(slot));
    const bySlotCount = () => [...live].sort((a, b) => holding.get(a)!.size - holding.get(b)!.size);
    for (let slot = 0; slot < slots; slot++) {
      if (holders(slot).length === 0) holding.get(bySlotCount()[0]!)!.add(slot);
    }
    for (const pod of live) {
      if (holding.get(pod)!.size > 0) continue;
      const richest = bySlotCount().at(-1)!;
      const theirs = [...holding.get(richest)!];
      if (theirs.length > 1) {
        const moved = theirs.at(-1)!;
        holding.get(richest)!.delete(moved);
        holding.get(pod)!.add(moved);
      } else {
        const leastShared = [...Array(slots).keys()].sort(
          (a, b) => holders(a).length - holders(b).length,
        )[0]!;
        holding.get(pod)!.add(leastShared);
      }
    }
    for (const pod of live) {
      const want = new Map([...holding.get(pod)!].map((slot) => [slot, 1 / holders(slot).length]));
      const same =
        want.size === pod.open.size &&
        [...want].every(([slot, share]) => pod.open.get(slot)?.share === share);
      if (same) continue;
      closeAll(pod, t);
      for (const [slot, share] of want) pod.open.set(slot, { share, from: t });
    }
  }
}

function closeAll(pod: Live, t: number): void {
  for (const [slot, o] of pod.open)
    if (o.from < t) pod.closed.push({ slot, share: o.share, from: o.from, to: t });
  pod.open.clear();
}

/** Running for the metrics: placed on a node and neither finished nor failed (a Pending pod has no container yet). */
function isRunning(pod: KubeObject): boolean {
  const node = (pod['spec'] as { nodeName?: string } | undefined)?.nodeName;
  const phase = (pod['status'] as { phase?: string } | undefined)?.phase;
  return Boolean(node) && phase !== 'Succeeded' && phase !== 'Failed';
}

function serviceOf(pod: KubeObject): string | undefined {
  return pod.metadata.labels?.['app'];
}
