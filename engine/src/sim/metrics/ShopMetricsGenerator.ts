import type { Labels } from '../../sources/metrics/MetricsSource.js';
import type { Fault, FaultLedger } from '../faults.js';
import { SHOP_NAMESPACE, SHOP_SERVICES, type ShopService } from '../shop.js';
import { HEALTHY, MAX_ERROR_DELTA, podReady, podStates, type PodRef, type PodState } from './faultEffects.js';
import { hashString, unitNoise } from './hashNoise.js';
import { LATENCY, LATENCY_BUCKETS, logNormalCdf, logNormalMean } from './latencyModel.js';
import { LoadShape } from './LoadShape.js';
import { oomWorkingSet } from './oomWorkingSet.js';
import type { PodNameProvider, RosterPod } from './PodRoster.js';

export type SeriesKind =
  | 'requests'
  | 'bucket'
  | 'sum'
  | 'count'
  | 'cpu'
  | 'memory'
  | 'restarts'
  | 'client'
  | 'up'
  | 'replicas_ready'
  | 'constant';

export interface ShopPod {
  service: ShopService;
  name: string;
  node: string;
  index: number;
  /** Share of the service's traffic this pod serves; the pods of a service sum to 1. */
  weight: number;
}

/** One series the generator produces: its labels (with `__name__`) and what it measures. */
export interface SeriesDef {
  id: number;
  labels: Labels;
  kind: SeriesKind;
  type: 'counter' | 'gauge';
  service: ShopService;
  pod?: ShopPod;
  /** `ok` or `error` for request counters; the code label says which 5xx. */
  outcome?: 'ok' | 'error';
  /** Fraction of the outcome this code carries. */
  codeShare?: number;
  le?: number;
  /** For client requests: the callee and this caller's share of the callee's traffic. */
  target?: ShopService;
  callerShare?: number;
  /** Value of a `constant` series (resource requests, spec replicas, info metrics). */
  constant?: number;
  /** Made by Prometheus itself when it scrapes (`up`), so absent from the exposition. */
  scrapeGenerated?: boolean;
  key: number;
  /**
   * A series of a pod the cluster ran (options.roster): present during [start, end), its value made of the modelled
   * slots' series it carried (`def`), each for [from, to) at a share. Counters start at 0 when the pod starts
   * (counterOrigin: for a pod the cluster began with, at its creation).
   */
  life?: {
    start: number;
    end: number;
    parts: Array<{ def: SeriesDef; share: number; from: number; to: number }>;
    /** The cluster's pod, for what the cluster itself counts (restarts). */
    pod: RosterPod;
  };
}

export interface ShopMetricsGeneratorOptions {
  seed: number;
  ledger?: FaultLedger;
  services?: ShopService[];
  namespace?: string;
  /** Node a pod runs on, for node-not-ready faults; default (or undefined) spreads pods over sim-node-1..sim-node-3. */
  placement?: (service: string, podIndex: number) => string | undefined;
  /**
   * The pods a cluster runs (sim/metrics/PodRoster): series are then named after them, each carrying the modelled
   * replica slots it served, so `pod` labels join with the cluster's pods, events and logs. Without it pods get
   * stable made-up names (podName).
   */
  roster?: PodNameProvider;
  /** Spacing of the virtual scrapes the PromQL source reads (seconds). */
  scrapeIntervalSeconds?: number;
}

/** Error fraction at rest: a floor plus a part growing with load. */
export const ERRORS = { base: 0.001, perLoad: 0.004, serverErrorShare: 0.6 } as const;
/** Counter wobble between scrapes, as a fraction of the neighbouring increments (keeps counters monotonic). */
const JITTER = 0.35;
/** The simulated cluster's node names (sim/controller/seedShop.ts), so node-not-ready faults name the same nodes. */
const NODES = ['sim-node-1', 'sim-node-2', 'sim-node-3'];
const GiB = 1024 ** 3;

interface Epoch {
  start: number;
  end: number;
  active: Fault[];
  states: Map<string, PodState>;
  /** Mean error delta of each service's pods: what its callers' client counters see. */
  serviceError: Map<string, number>;
}

interface Integrated {
  signature: string;
  /** Per epoch: counter value at the epoch start, and the coefficients of (Δt, ΔΛ1, ΔΛ2) inside it. */
  prefix: Float64Array;
  c0: Float64Array;
  c1: Float64Array;
  c2: Float64Array;
  /** ∫L and ∫L² at each epoch's start. */
  startL1: Float64Array;
  startL2: Float64Array;
}

/**
 * The demo shop's metrics as a pure function of (time, seed, shop services, faults in the ledger). Counters are
 * closed-form integrals of their rates (see LoadShape), so they are monotonic at any resolution and `rate()` over
 * them recovers the modelled rate; gauges are evaluated directly.
 */
export class ShopMetricsGenerator {
  readonly namespace: string;
  readonly scrapeIntervalSeconds: number;
  readonly services: ShopService[];
  readonly pods: ShopPod[];
  private readonly seed: number;
  private readonly ledger: FaultLedger | undefined;
  private readonly shapes = new Map<string, LoadShape>();
  private readonly defs: SeriesDef[];
  private timeline: { signature: string; epochs: Epoch[] } | undefined;
  private readonly integrated = new Map<number, Integrated>();
  private readonly roster: PodNameProvider | undefined;
  private named: { version: number; defs: SeriesDef[] } | undefined;

  constructor(options: ShopMetricsGeneratorOptions) {
    this.seed = options.seed;
    this.ledger = options.ledger;
    this.services = options.services ?? SHOP_SERVICES;
    this.namespace = options.namespace ?? SHOP_NAMESPACE;
    this.scrapeIntervalSeconds = options.scrapeIntervalSeconds ?? 15;
    this.roster = options.roster;
    const placement = (service: string, i: number) =>
      options.placement?.(service, i) ?? defaultPlacement(this.services, service, i);
    for (const s of this.services) this.shapes.set(s.name, new LoadShape(this.seed, s.name));
    this.pods = this.services.flatMap((service) => {
      const raw = Array.from(
        { length: service.replicas },
        (_, i) => 1 + 0.15 * (unitNoise(hashString(service.name, this.seed), i) - 0.5),
      );
      const total = raw.reduce((a, b) => a + b, 0);
      return raw.map((w, index) => ({
        service,
        index,
        name: podName(service.name, index),
        node: placement(service.name, index),
        weight: w / total,
      }));
    });
    this.defs = this.buildCatalog();
  }

  /** Every series, in a stable order: with a roster, those of every pod it knows (running or gone). */
  series(): readonly SeriesDef[] {
    if (!this.roster) return this.defs;
    if (this.named?.version !== this.roster.version) {
      this.named = { version: this.roster.version, defs: this.namedCatalog(this.roster.pods()) };
    }
    return this.named.defs;
  }

  /** The slot catalog re-labelled per roster pod: same metrics, the pod's name and node, values from its slots. */
  private namedCatalog(pods: readonly RosterPod[]): SeriesDef[] {
    const perSlot = new Map<string, SeriesDef[]>();
    for (const def of this.defs) {
      if (!def.pod) continue;
      const key = `${def.service.name}#${def.pod.index}`;
      perSlot.set(key, [...(perSlot.get(key) ?? []), def]);
    }
    const out: SeriesDef[] = [];
    for (const pod of pods) {
      const slots = pod.parts.map((p) => perSlot.get(`${pod.service}#${p.slot}`));
      if (slots.length === 0 || slots.some((s) => !s)) continue;
      slots[0]!.forEach((template, m) => {
        const labels: Labels = { ...template.labels, pod: pod.name };
        if (labels.node !== undefined) labels.node = pod.node;
        if (labels.created_by_name !== undefined)
          labels.created_by_name = pod.name.slice(0, pod.name.lastIndexOf('-'));
        const parts = pod.parts.map((p, i) => ({
          def: slots[i]![m]!,
          share: p.share,
          from: p.from,
          to: p.to,
        }));
        out.push({
          ...template,
          id: -1 - out.length,
          labels,
          life: { start: pod.start, end: pod.end, parts, pod },
        });
      });
    }
    return [...out, ...this.defs.filter((d) => !d.pod)];
  }

  shape(service: string): LoadShape {
    return this.shapes.get(service)!;
  }

  /** Faults of this namespace active at a time. */
  activeFaults(time: number): Fault[] {
    return (this.ledger?.activeAt(time) ?? []).filter((f) => f.namespace === this.namespace);
  }

  /** Values at the scrape grid points k·interval for k in [kFrom, kTo]. */
  sampleGrid(def: SeriesDef, kFrom: number, kTo: number, snapshot = new SampleSnapshot()): Float64Array {
    const n = Math.max(0, kTo - kFrom + 1);
    const out = new Float64Array(n);
    const dt = this.scrapeIntervalSeconds;
    if (n === 0) return out;
    if (def.life) return this.sampleLife(def, kFrom, kTo, snapshot);
    if (def.kind === 'constant') return out.fill(def.constant!);
    if (def.type === 'gauge' || def.kind === 'restarts') {
      for (let i = 0; i < n; i++) out[i] = this.gaugeOrStep(def, (kFrom + i) * dt, snapshot);
      return out;
    }
    // A few points (a sparse selector asks one at a time): exact trigonometry beats building a grid.
    const smooth =
      n <= 4
        ? Float64Array.from({ length: n + 2 }, (_, i) => this.integral(def, (kFrom - 1 + i) * dt, snapshot))
        : this.integralOnGrid(def, kFrom - 1, kTo + 1, snapshot);
    const jitter = jitters(def);
    for (let i = 0; i < n; i++) {
      const s = smooth[i + 1]!;
      out[i] = jitter ? s + JITTER * noise(def, kFrom + i) * Math.min(s - smooth[i]!, smooth[i + 2]! - s) : s;
    }
    return out;
  }

  /** The value at any time (between scrape points counters move smoothly); NaN when a roster pod is not running. */
  valueAt(def: SeriesDef, t: number, snapshot = new SampleSnapshot()): number {
    if (def.life) {
      if (!alive(def, t)) return NaN;
      return counts(def) ? this.lifeCounter(def, t, snapshot) : this.lifeGauge(def, t, snapshot);
    }
    if (def.kind === 'constant') return def.constant!;
    if (def.type === 'gauge' || def.kind === 'restarts') return this.gaugeOrStep(def, t, snapshot);
    const s = this.integral(def, t, snapshot);
    if (!jitters(def)) return s;
    const dt = this.scrapeIntervalSeconds;
    const k = Math.floor(t / dt);
    const frac = t / dt - k;
    const grid = [k - 1, k, k + 1, k + 2].map((j) => this.integral(def, j * dt, snapshot));
    const d = (j: number) =>
      JITTER * noise(def, k + j) * Math.min(grid[j + 1]! - grid[j]!, grid[j + 2]! - grid[j + 1]!);
    return s + (1 - frac) * d(0) + (frac > 0 ? frac * d(1) : 0);
  }

  /** The modelled per-second rate of a counter at a time, before scrape jitter: what rate() should approximate. */
  rateAt(def: SeriesDef, t: number): number {
    if (def.type !== 'counter' || def.kind === 'restarts')
      throw new Error(`${def.labels.__name__} has no modelled rate`);
    if (def.life) {
      if (!alive(def, t)) return 0;
      return def.life.parts
        .filter((p) => p.from <= t && t < p.to)
        .reduce((sum, p) => sum + p.share * this.rateAt(p.def, t), 0);
    }
    const epochs = this.epochs();
    const e = epochIndex(epochs, t);
    const [c0, c1, c2] = this.coefficients(def, epochs[e]!);
    const l = this.shape(loadOf(def)).value(t);
    return c0 + c1 * l + c2 * l * l;
  }

  /** Prometheus text exposition format 0.0.4 of every series at a time (for a real Prometheus to scrape). */
  renderExposition(time: number): string {
    const snapshot = new SampleSnapshot();
    const families = new Map<string, { type: string; help: string; lines: string[] }>();
    // series(), not the slot catalog: with a roster the scrape names the cluster's pods, as the PromQL source does.
    for (const def of this.series()) {
      if (def.scrapeGenerated || (def.life && !alive(def, time))) continue;
      const name = def.labels.__name__!;
      const family =
        def.kind === 'bucket' || def.kind === 'sum' || def.kind === 'count'
          ? 'http_request_duration_seconds'
          : name;
      let entry = families.get(family);
      if (!entry) {
        entry = {
          type: def.kind === 'bucket' || def.kind === 'sum' || def.kind === 'count' ? 'histogram' : def.type,
          help: HELP[family] ?? family,
          lines: [],
        };
        families.set(family, entry);
      }
      const { __name__: _, ...labels } = def.labels;
      entry.lines.push(`${name}${renderLabels(labels)} ${renderNumber(this.valueAt(def, time, snapshot))}`);
    }
    const out: string[] = [];
    for (const [family, { type, help, lines }] of families) {
      out.push(`# HELP ${family} ${help}`, `# TYPE ${family} ${type}`, ...lines);
    }
    return out.join('\n') + '\n';
  }

  /**
   * A roster pod's samples: NaN (no sample) outside its life; counters sum their slots' increments since the pod
   * started, at its shares, with the same bounded scrape jitter as the slots' own series.
   */
  private sampleLife(def: SeriesDef, kFrom: number, kTo: number, snapshot: SampleSnapshot): Float64Array {
    const n = kTo - kFrom + 1;
    const dt = this.scrapeIntervalSeconds;
    const out = new Float64Array(n);
    // A pod gone before the range (or started after it) costs nothing: the roster keeps every pod it saw.
    if (def.life!.end <= (kFrom - 1) * dt || def.life!.start > (kTo + 1) * dt) return out.fill(NaN);
    if (!counts(def)) {
      for (let i = 0; i < n; i++) {
        const t = (kFrom + i) * dt;
        out[i] = alive(def, t) ? this.lifeGauge(def, t, snapshot) : NaN;
      }
      return out;
    }
    const smooth = new Float64Array(n + 2);
    const origins = Float64Array.from({ length: n + 2 }, (_, i) =>
      counterOrigin(def.life!.pod, (kFrom - 1 + i) * dt),
    );
    for (const part of def.life!.parts) {
      const slot =
        n + 2 <= 6
          ? Float64Array.from({ length: n + 2 }, (_, i) =>
              this.integral(part.def, (kFrom - 1 + i) * dt, snapshot),
            )
          : this.integralOnGrid(part.def, kFrom - 1, kTo + 1, snapshot);
      const atTo = part.to === Infinity ? 0 : this.integral(part.def, part.to, snapshot);
      // The counter's value where it counts from (the part's start, or the pod's creation if later); few distinct.
      const bases = new Map<number, number>();
      const base = (from: number) => {
        let value = bases.get(from);
        if (value === undefined) {
          value = from === -Infinity ? 0 : this.integral(part.def, from, snapshot);
          bases.set(from, value);
        }
        return value;
      };
      for (let i = 0; i < n + 2; i++) {
        const t = (kFrom - 1 + i) * dt;
        const from = Math.max(part.from, origins[i]!);
        if (Math.min(t, part.to) <= from) continue;
        smooth[i] = smooth[i]! + part.share * ((t >= part.to ? atTo : slot[i]!) - base(from));
      }
    }
    for (let i = 0; i < n + 2; i++) if (!alive(def, (kFrom - 1 + i) * dt)) smooth[i] = NaN;
    for (let i = 0; i < n; i++) {
      const [prev, s, next] = [smooth[i]!, smooth[i + 1]!, smooth[i + 2]!];
      // No jitter beside a gap or a counter reset (where a carried predecessor's life ends).
      const edge = Number.isNaN(prev) || Number.isNaN(next) || s < prev || next < s;
      out[i] = jitters(def) && !edge ? s + JITTER * noise(def, kFrom + i) * Math.min(s - prev, next - s) : s;
    }
    return out;
  }

  private lifeCounter(def: SeriesDef, t: number, snapshot: SampleSnapshot): number {
    const origin = counterOrigin(def.life!.pod, t);
    let sum = 0;
    for (const part of def.life!.parts) {
      const from = Math.max(part.from, origin);
      const to = Math.min(t, part.to);
      if (to <= from) continue;
      const atFrom = from === -Infinity ? 0 : this.integral(part.def, from, snapshot);
      sum += part.share * (this.integral(part.def, to, snapshot) - atFrom);
    }
    return sum;
  }

  /**
   * Gauges follow the slot the pod carries at t. Restarts are what the cluster counted for the pod when it keeps
   * count (roster.restartsAt: its kubelet's record, so the metric equals the pod's restartCount at every tick);
   * otherwise the slot's modelled restarts since the pod's start.
   */
  private lifeGauge(def: SeriesDef, t: number, snapshot: SampleSnapshot): number {
    if (def.kind === 'constant') return def.constant!;
    const { start, parts, pod } = def.life!;
    if (def.kind === 'restarts' && this.roster?.restartsAt)
      return this.roster.restartsAt(pod, def.labels.container!, t);
    const part = parts.find((p) => p.from <= t && t < p.to) ?? parts.at(-1)!;
    if (def.kind === 'memory' && this.roster?.restartTimes)
      return this.rosterMemory(def, part.def, t, snapshot);
    const value = this.gaugeOrStep(part.def, t, snapshot);
    if (def.kind !== 'restarts' || start === -Infinity) return value;
    return value - this.gaugeOrStep(part.def, start, snapshot);
  }

  /**
   * A roster pod's working set: under an oom-killed fault, the saw-tooth of the kills its kubelet recorded (the same
   * times as its restartCount and lastState), so the drops are where the cluster says the container died; otherwise,
   * or when the kubelet does not kill it (a limit raised enough), its slot's baseline.
   */
  private rosterMemory(def: SeriesDef, slot: SeriesDef, t: number, snapshot: SampleSnapshot): number {
    const oom = this.faultsOf(snapshot).find(
      (f) =>
        f.type === 'oom-killed' &&
        f.service === def.service.name &&
        f.startedAt <= t &&
        (f.endedAt === undefined || f.endedAt > t),
    );
    const { pod } = def.life!;
    const kills = oom ? this.roster!.restartTimes!(pod, def.labels.container!) : [];
    const since = Math.max(oom?.startedAt ?? t, pod.start);
    const bytes = oom && oomWorkingSet(def.service.memoryLimitBytes, t, since, kills);
    return bytes ?? this.baselineMemory(slot, t);
  }

  private buildCatalog(): SeriesDef[] {
    const defs: SeriesDef[] = [];
    const ns = this.namespace;
    const add = (
      labels: Labels,
      kind: SeriesKind,
      type: 'counter' | 'gauge',
      service: ShopService,
      extra: Partial<SeriesDef> = {},
    ) => {
      defs.push({
        id: defs.length,
        labels,
        kind,
        type,
        service,
        key: hashString(JSON.stringify(labels), this.seed),
        ...extra,
      });
    };
    for (const pod of this.pods) {
      const s = pod.service;
      const base = { namespace: ns, service: s.name, pod: pod.name };
      add({ __name__: 'http_requests_total', ...base, code: '200' }, 'requests', 'counter', s, {
        pod,
        outcome: 'ok',
        codeShare: 1,
      });
      add({ __name__: 'http_requests_total', ...base, code: '500' }, 'requests', 'counter', s, {
        pod,
        outcome: 'error',
        codeShare: ERRORS.serverErrorShare,
      });
      add({ __name__: 'http_requests_total', ...base, code: '503' }, 'requests', 'counter', s, {
        pod,
        outcome: 'error',
        codeShare: 1 - ERRORS.serverErrorShare,
      });
      for (const le of LATENCY_BUCKETS) {
        add(
          {
            __name__: 'http_request_duration_seconds_bucket',
            ...base,
            le: le === Infinity ? '+Inf' : String(le),
          },
          'bucket',
          'counter',
          s,
          { pod, le },
        );
      }
      add({ __name__: 'http_request_duration_seconds_sum', ...base }, 'sum', 'counter', s, { pod });
      add({ __name__: 'http_request_duration_seconds_count', ...base }, 'count', 'counter', s, { pod });
      const container = { namespace: ns, pod: pod.name, container: s.name, service: s.name };
      add({ __name__: 'container_cpu_usage_seconds_total', ...container }, 'cpu', 'counter', s, { pod });
      add({ __name__: 'container_memory_working_set_bytes', ...container }, 'memory', 'gauge', s, { pod });
      add({ __name__: 'kube_pod_container_status_restarts_total', ...container }, 'restarts', 'counter', s, {
        pod,
      });
      add({ __name__: 'up', job: ns, ...base }, 'up', 'gauge', s, { pod, scrapeGenerated: true });
      // kube-state-metrics' view of the pod (its labels, not the app's: no `service`).
      const ksm = { namespace: ns, pod: pod.name };
      const owner = pod.name.slice(0, pod.name.lastIndexOf('-'));
      add(
        {
          __name__: 'kube_pod_info',
          ...ksm,
          node: pod.node,
          created_by_kind: 'ReplicaSet',
          created_by_name: owner,
        },
        'constant',
        'gauge',
        s,
        { pod, constant: 1 },
      );
      const resource = { ...ksm, container: s.name };
      add(
        { __name__: 'kube_pod_container_resource_requests', ...resource, resource: 'cpu', unit: 'core' },
        'constant',
        'gauge',
        s,
        { pod, constant: s.cpuRequestCores },
      );
      add(
        { __name__: 'kube_pod_container_resource_requests', ...resource, resource: 'memory', unit: 'byte' },
        'constant',
        'gauge',
        s,
        { pod, constant: s.memoryLimitBytes / 2 },
      );
      add(
        { __name__: 'kube_pod_container_resource_limits', ...resource, resource: 'memory', unit: 'byte' },
        'constant',
        'gauge',
        s,
        { pod, constant: s.memoryLimitBytes },
      );
    }
    for (const s of this.services) {
      const deployment = { namespace: ns, deployment: s.name };
      add({ __name__: 'kube_deployment_spec_replicas', ...deployment }, 'constant', 'gauge', s, {
        constant: s.replicas,
      });
      add({ __name__: 'kube_deployment_status_replicas_ready', ...deployment }, 'replicas_ready', 'gauge', s);
    }
    for (const caller of this.services) {
      for (const calleeName of caller.calls) {
        const callee = this.services.find((s) => s.name === calleeName);
        if (!callee) continue;
        const callers = this.services.filter((s) => s.calls.includes(callee.name));
        const share = caller.peakRps / callers.reduce((sum, c) => sum + c.peakRps, 0);
        const base = { namespace: ns, service: caller.name, target: callee.name };
        add({ __name__: 'http_client_requests_total', ...base, code: '200' }, 'client', 'counter', caller, {
          target: callee,
          callerShare: share,
          outcome: 'ok',
          codeShare: 1,
        });
        add({ __name__: 'http_client_requests_total', ...base, code: '500' }, 'client', 'counter', caller, {
          target: callee,
          callerShare: share,
          outcome: 'error',
          codeShare: 1,
        });
      }
    }
    return defs;
  }

  /** Fault boundaries split time into epochs of constant pod states; recomputed when the ledger changes. */
  private epochs(): Epoch[] {
    const faults = (this.ledger?.all() ?? []).filter((f) => f.namespace === this.namespace);
    const signature = faults
      .map((f) => `${f.id}:${f.type}:${f.service}:${f.node ?? ''}:${f.startedAt}:${f.endedAt ?? ''}`)
      .join('|');
    if (this.timeline?.signature === signature) return this.timeline.epochs;
    const bounds = [
      ...new Set(faults.flatMap((f) => (f.endedAt === undefined ? [f.startedAt] : [f.startedAt, f.endedAt]))),
    ]
      .filter((b) => b > 0)
      .sort((a, b) => a - b);
    const starts = [0, ...bounds];
    const refs: PodRef[] = this.pods.map((p) => ({ service: p.service.name, pod: p.name, node: p.node }));
    const epochs = starts.map((start, i): Epoch => {
      const end = starts[i + 1] ?? Infinity;
      const active = faults.filter(
        (f) => f.startedAt <= start && (f.endedAt === undefined || f.endedAt > start),
      );
      const states = podStates(active, this.services, refs);
      const serviceError = new Map<string, number>();
      for (const s of this.services) {
        const own = this.pods.filter((p) => p.service === s);
        serviceError.set(
          s.name,
          own.reduce(
            (sum, p) => sum + p.weight * Math.min(states.get(p.name)!.errorDelta, MAX_ERROR_DELTA),
            0,
          ),
        );
      }
      return { start, end, active, states, serviceError };
    });
    this.timeline = { signature, epochs };
    this.integrated.clear();
    return epochs;
  }

  /** Rate = c0 + c1·L(t) + c2·L(t)² inside an epoch, L being the load shape of loadOf(def). */
  private coefficients(def: SeriesDef, epoch: Epoch): [number, number, number] {
    const s = def.service;
    const state = def.pod ? (epoch.states.get(def.pod.name) ?? HEALTHY) : HEALTHY;
    const errorDelta = Math.min(state.errorDelta, MAX_ERROR_DELTA);
    switch (def.kind) {
      case 'requests': {
        const scale = s.peakRps * def.pod!.weight;
        if (def.outcome === 'ok') return [0, scale * (1 - ERRORS.base - errorDelta), -scale * ERRORS.perLoad];
        return [
          0,
          scale * def.codeShare! * (ERRORS.base + errorDelta),
          scale * def.codeShare! * ERRORS.perLoad,
        ];
      }
      case 'client': {
        const callee = def.target!;
        const scale = callee.peakRps * def.callerShare!;
        const calleeError = epoch.serviceError.get(callee.name) ?? 0;
        if (def.outcome === 'ok')
          return [0, scale * (1 - ERRORS.base - calleeError), -scale * ERRORS.perLoad];
        return [0, scale * (ERRORS.base + calleeError), scale * ERRORS.perLoad];
      }
      case 'count':
        return [0, s.peakRps * def.pod!.weight, 0];
      case 'bucket':
      case 'sum': {
        const scale = s.peakRps * def.pod!.weight;
        const median = s.baseLatencySeconds * state.latencyFactor;
        const slowMedian = median * LATENCY.slowFactor;
        const queued = Math.min(
          LATENCY.queuedPerLoad * state.congestionFactor,
          LATENCY.maxQueued / this.shape(s.name).max,
        );
        const [fast, slow] =
          def.kind === 'bucket'
            ? [
                logNormalCdf(def.le!, median, LATENCY.sigma),
                logNormalCdf(def.le!, slowMedian, LATENCY.slowSigma),
              ]
            : [logNormalMean(median, LATENCY.sigma), logNormalMean(slowMedian, LATENCY.slowSigma)];
        return [0, scale * fast, scale * queued * (slow - fast)];
      }
      case 'cpu': {
        const perLoad = s.cpuRequestCores * (1.2 + unitNoise(def.key, 7));
        return [0.01 + state.cpuExtraCores, perLoad * state.cpuFactor, 0];
      }
      default:
        return [0, 0, 0];
    }
  }

  /** Per-epoch prefix values and coefficients of a counter, rebuilt when the fault timeline changes. */
  private table(
    def: SeriesDef,
    snapshot: SampleSnapshot,
  ): { epochs: Epoch[]; table: Integrated; shape: LoadShape } {
    // One view of the ledger per snapshot (one query, one exposition): cheap, and consistent within the answer.
    const epochs = (snapshot.epochs ??= this.epochs()) as Epoch[];
    const signature = this.timeline!.signature;
    const shape = this.shape(loadOf(def));
    let table = this.integrated.get(def.id);
    if (!table || table.signature !== signature) {
      const n = epochs.length;
      table = {
        signature,
        prefix: new Float64Array(n),
        c0: new Float64Array(n),
        c1: new Float64Array(n),
        c2: new Float64Array(n),
        startL1: new Float64Array(n),
        startL2: new Float64Array(n),
      };
      let value = 0;
      for (let e = 0; e < n; e++) {
        const epoch = epochs[e]!;
        const [c0, c1, c2] = this.coefficients(def, epoch);
        const [a1, a2] = shape.integrals(epoch.start);
        table.prefix[e] = value;
        table.c0[e] = c0;
        table.c1[e] = c1;
        table.c2[e] = c2;
        table.startL1[e] = a1;
        table.startL2[e] = a2;
        if (epoch.end !== Infinity) {
          const [b1, b2] = shape.integrals(epoch.end);
          value += c0 * (epoch.end - epoch.start) + c1 * (b1 - a1) + c2 * (b2 - a2);
        }
      }
      this.integrated.set(def.id, table);
    }
    return { epochs, table, shape };
  }

  private integral(def: SeriesDef, t: number, snapshot: SampleSnapshot): number {
    if (t <= 0) return 0;
    const { epochs, table, shape } = this.table(def, snapshot);
    const [t1, t2] = shape.integrals(t);
    return valueIn(table, epochIndex(epochs, t), epochs, t, t1, t2);
  }

  /** The smooth counter at grid points kFrom..kTo, walking the epochs in step with time. */
  private integralOnGrid(def: SeriesDef, kFrom: number, kTo: number, snapshot: SampleSnapshot): Float64Array {
    const { epochs, table, shape } = this.table(def, snapshot);
    const dt = this.scrapeIntervalSeconds;
    const grid = snapshot.grid(shape, kFrom, kTo, dt);
    const out = new Float64Array(kTo - kFrom + 1);
    let e = epochIndex(epochs, kFrom * dt);
    for (let x = 0; x < out.length; x++) {
      const t = (kFrom + x) * dt;
      if (t <= 0) continue;
      while (e + 1 < epochs.length && epochs[e + 1]!.start <= t) e++;
      const g = x + kFrom - grid.kFrom;
      out[x] = valueIn(table, e, epochs, t, grid.l1[g]!, grid.l2[g]!);
    }
    return out;
  }

  /** This namespace's faults, read once per snapshot. */
  private faultsOf(snapshot: SampleSnapshot): Fault[] {
    return (snapshot.faults ??= (this.ledger?.all() ?? []).filter((f) => f.namespace === this.namespace));
  }

  private gaugeOrStep(def: SeriesDef, t: number, snapshot: SampleSnapshot): number {
    const all = this.faultsOf(snapshot);
    if (def.kind === 'up' || def.kind === 'replicas_ready') {
      const active = all.filter((f) => f.startedAt <= t && (f.endedAt === undefined || f.endedAt > t));
      const refs = (snapshot.podRefs ??= this.pods.map((p) => ({
        service: p.service.name,
        pod: p.name,
        node: p.node,
      })));
      const ready = (p: ShopPod) =>
        podReady(
          {
            service: p.service.name,
            pod: p.name,
            node: p.node,
            index: p.index,
            replicas: p.service.replicas,
          },
          active,
          refs,
        );
      if (def.kind === 'up') return ready(def.pod!) ? 1 : 0;
      return this.pods.filter((p) => p.service === def.service && ready(p)).length;
    }
    const faults = all.filter((f) => f.service === def.service.name && f.startedAt <= t);
    if (def.kind === 'restarts') {
      let restarts = 0;
      for (const f of faults) {
        const since = Math.min(t, f.endedAt ?? Infinity) - f.startedAt;
        if (f.type === 'crash-loop' || f.type === 'bad-rollout')
          restarts += crashLoopRestarts(since - 5 * podPhase(def));
        else if (f.type === 'oom-killed' && since > 0)
          restarts += Math.floor((since + oomPhase(def)) / OOM_PERIOD);
      }
      return restarts;
    }
    const oom = faults.find(
      (f) => f.type === 'oom-killed' && f.startedAt <= t && (f.endedAt === undefined || f.endedAt > t),
    );
    if (!oom) return this.baselineMemory(def, t);
    // Without a cluster to say when the container died, a modelled leak climbs to the limit, the container is
    // OOM-killed and starts again: a sawtooth under the limit, its drops where the modelled restart counter steps.
    const since = t - oom.startedAt;
    const bytes =
      def.service.memoryLimitBytes * (0.5 + 0.49 * (((since + oomPhase(def)) % OOM_PERIOD) / OOM_PERIOD));
    return Math.min(bytes, 64 * GiB);
  }

  /** A baseline share of the memory limit that follows load, with scrape-to-scrape noise. */
  private baselineMemory(def: SeriesDef, t: number): number {
    const l = this.shape(def.service.name).value(t);
    const k = Math.floor(t / this.scrapeIntervalSeconds);
    const bytes = def.service.memoryLimitBytes * (0.35 + 0.18 * l + 0.01 * (unitNoise(def.key, k) - 0.5));
    return Math.min(bytes, 64 * GiB);
  }
}

/** Seconds from the start of an OOM leak to the kill. */
const OOM_PERIOD = 150;

/** Per-pod phase in [0, 1): pods of one Deployment do not crash in lockstep. Keyed by pod so memory and restarts agree. */
function podPhase(def: SeriesDef): number {
  return unitNoise(hashString(def.pod?.name ?? def.service.name), 11);
}

/** Where in its leak cycle a pod is when an OOM fault starts (seconds). */
function oomPhase(def: SeriesDef): number {
  return podPhase(def) * OOM_PERIOD * 0.8;
}

/** CrashLoopBackOff: restarts after 10 s, then back-offs doubling to a 5 min ceiling. */
export function crashLoopRestarts(seconds: number): number {
  if (seconds <= 0) return 0;
  let at = 5;
  let delay = 10;
  let count = 0;
  while (at <= seconds && delay < 300) {
    count++;
    at += delay;
    delay *= 2;
  }
  if (at <= seconds) count += 1 + Math.floor((seconds - at) / 300);
  return count;
}

/**
 * What one query (or one exposition) reads consistently: a snapshot of the fault timeline, taken on first use.
 * The integrals themselves are memoised by the load shapes, across queries.
 */
export class SampleSnapshot {
  epochs: unknown[] | undefined;
  faults: Fault[] | undefined;
  podRefs: PodRef[] | undefined;

  /** Grid integrals of a shape covering [kFrom, kTo] (memoised by the shape itself, across queries). */
  grid(shape: LoadShape, kFrom: number, kTo: number, dt: number) {
    return shape.gridIntegrals(kFrom, kTo, dt);
  }
}

function valueIn(table: Integrated, e: number, epochs: Epoch[], t: number, l1: number, l2: number): number {
  return (
    table.prefix[e]! +
    table.c0[e]! * (t - epochs[e]!.start) +
    table.c1[e]! * (l1 - table.startL1[e]!) +
    table.c2[e]! * (l2 - table.startL2[e]!)
  );
}

function loadOf(def: SeriesDef): string {
  return def.kind === 'client' ? def.target!.name : def.service.name;
}

/**
 * Where a roster pod's counters count from at t: a pod's counters start at 0 when it starts, so for a pod the cluster
 * began with, its creation (not the epoch: a two-day-old pod read ~39 years of requests); before that, the history it
 * carries is its predecessors', each living as long as it had when the roster began, so counters reset between
 * them (rate() and increase() see an ordinary counter reset). −Infinity: from each slot part's start.
 */
export function counterOrigin(pod: RosterPod, t: number): number {
  const created = pod.created;
  if (!created || !(created.age > 0)) return -Infinity;
  if (t >= created.at) return created.at;
  return created.at - created.age * Math.ceil((created.at - t) / created.age);
}

function alive(def: SeriesDef, t: number): boolean {
  return t >= def.life!.start && t < def.life!.end;
}

/** Counters read as integrals of their rate (restarts are a step function, read like a gauge). */
function counts(def: SeriesDef): boolean {
  return def.type === 'counter' && def.kind !== 'restarts';
}

function jitters(def: SeriesDef): boolean {
  return def.kind === 'requests' || def.kind === 'client' || def.kind === 'cpu';
}

function noise(def: SeriesDef, k: number): number {
  return 2 * unitNoise(def.key, k) - 1;
}

function epochIndex(epochs: Epoch[], t: number): number {
  let lo = 0;
  let hi = epochs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (epochs[mid]!.start <= t) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** A Deployment-style pod name (`cart-5d8f7c9b4-k2x9q`), stable for a service and replica index. */
export function podName(service: string, index: number): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  const h = hashString(service);
  const template = (h >>> 0).toString(16).padStart(8, '0').slice(0, 9);
  let suffix = '';
  for (let i = 0; i < 5; i++) suffix += alphabet[Math.floor(unitNoise(h, index * 5 + i) * alphabet.length)];
  return `${service}-${template}-${suffix}`;
}

function defaultPlacement(services: ShopService[], service: string, index: number): string {
  const offset = services.findIndex((s) => s.name === service);
  return NODES[(Math.max(0, offset) + index) % NODES.length]!;
}

const HELP: Record<string, string> = {
  http_requests_total: 'HTTP requests served, by status code.',
  http_request_duration_seconds: 'HTTP request latency.',
  container_cpu_usage_seconds_total: 'Cumulative CPU time consumed by the container.',
  container_memory_working_set_bytes: 'Current working set of the container.',
  kube_pod_container_status_restarts_total: 'Restarts of the container.',
  http_client_requests_total: 'HTTP requests this service made to another, by status code.',
  kube_pod_info: 'Information about pod.',
  kube_pod_container_resource_requests: 'The number of requested resource by a container.',
  kube_pod_container_resource_limits: 'The number of requested limit resource by a container.',
  kube_deployment_spec_replicas: 'Number of desired pods for a deployment.',
  kube_deployment_status_replicas_ready: 'The number of ready replicas per deployment.',
};

export function renderLabels(labels: Labels): string {
  const parts = Object.entries(labels).map(
    ([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`,
  );
  return parts.length ? `{${parts.join(',')}}` : '';
}

export function renderNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}
