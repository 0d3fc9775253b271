import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { labelsFingerprint } from '../../src/alerts/fingerprint.js';
import { seededRandom } from '../../src/util/seededRandom.js';

/**
 * A seeded generator of recorded alert streams in the `alert-noise` benchmark format: `topology.json`
 * (`{"services": [...], "edges": [["caller", "callee"], ...]}`) and `alerts.jsonl` (one Alertmanager webhook v4 delivery
 * a line, in time order, with `truth` mapping each alert's fingerprint to its real incident id or null for noise).
 *
 * What it simulates: a layered service graph on Kubernetes (Deployments, pods placed on nodes); real incidents (a
 * service fault cascading to callers hop by hop, a node failing with its pods, a dependency going down, a lone slow
 * burn); noise (short blips, flapping alerts, long-lived warnings, a Watchdog, maintenance windows announced by a
 * `Maintenance` alert, alerts caused by the engine's own repairs); and an Alertmanager in front (group_by,
 * group_wait, group_interval, repeat_interval re-sends, resolved alerts sent once, max_alerts truncation, webhook
 * retries that re-deliver an older payload late).
 *
 * Usage: npx tsx bench/alerts/generateAlertStream.ts --seed 7 --shape default --out DIR
 *        npx tsx bench/alerts/generateAlertStream.ts --dev-set DIR          (the 16 development streams)
 *        npx tsx bench/alerts/generateAlertStream.ts --robustness-set DIR   (the 10 robustness streams, ROBUSTNESS_SET)
 */

type BaseShape =
  'small' | 'default' | 'large' | 'noisy' | 'coarse' | 'slow' | 'truncating' | 'hub' | 'concurrent';
type VariedShape = 'delayed' | 'relabelled' | 'mirrored' | 'resend' | 'mixed';
export type Shape = BaseShape | VariedShape;

/** The development set: every shape but `small` with seeds 1 and 2 (`--dev-set DIR` writes it). */
export const DEV_SET: Array<[Shape, number]> = (
  ['default', 'noisy', 'coarse', 'slow', 'truncating', 'large', 'hub', 'concurrent'] as Shape[]
).flatMap(
  (shape) =>
    [
      [shape, 1],
      [shape, 2],
    ] as Array<[Shape, number]>,
);

/**
 * The robustness set: families that vary what another team's Alertmanager setup plausibly varies and ours held fixed
 * (`--robustness-set DIR` writes seeds 1 and 2 of each). Each is built on a development family's world and incidents
 * (same seed, same base shape), so `delayed-1` against `default-1` isolates what the variation does.
 */
export const ROBUSTNESS_SET: Array<[Shape, number]> = (
  ['delayed', 'relabelled', 'mirrored', 'resend', 'mixed'] as Shape[]
).flatMap(
  (shape) =>
    [
      [shape, 1],
      [shape, 2],
    ] as Array<[Shape, number]>,
);

/** What a robustness family changes; everything it draws comes from its own random stream, so the base stays as it was. */
export interface Variation {
  /** The development family whose world, incidents and noise this one starts from. */
  base: BaseShape;
  /**
   * Rules with different `for:` durations (1m on a callee, 5m on its caller): a caller's alert begins 1–8 min after its
   * callee's (Prometheus sends `startsAt` = when `for` elapsed), not 30–150 s.
   */
  forDelays?: boolean;
  /**
   * Label conventions per service (teams differ): the service named by `service`, `app`, `app_kubernetes_io_name` or
   * `job`; every other alert carries the scrape job (`kube-state-metrics`, `node-exporter`), as Prometheus adds it; pod
   * alerts of some rules carry no `node` (kube-state-metrics' pod alerts do not).
   */
  labelStyles?: boolean;
  /** Rules aggregated without `namespace` (`sum by (service)`, blackbox probes): some service-level alerts lack it. */
  dropNamespace?: boolean;
  /** A `staging` copy of every namespace running the same service names (own pods and nodes), with half the incidents. */
  mirrorNamespaces?: boolean;
  /**
   * Alertmanager routes by severity, each with its own [group_wait, group_interval, repeat_interval] (s), as configs
   * often do (pages flushed fast, warnings at the defaults); the route shows in the groupKey (`{}/{severity="critical"}:{...}`).
   * The last route (severity '') takes the rest.
   */
  routes?: Route[];
}

interface Route {
  severity: string;
  timing: [number, number, number];
}

interface ShapeSettings {
  services: number;
  nodes: number;
  hours: number;
  incidents: number;
  /** Noise episodes per hour. */
  blipsPerHour: number;
  flappers: number;
  persistentWarnings: number;
  maintenances: number;
  repairs: number;
  groupBy: string[];
  groupWaitS: number;
  groupIntervalS: number;
  repeatIntervalS: number;
  maxAlerts: number;
  retryProbability: number;
  /**
   * `layered` (default): each service calls 1–3 services of later layers. `hub`: a few shared services (auth-like)
   * that most services call, so one hub's neighbours are much of the graph.
   */
  topology?: 'layered' | 'hub';
  /** Share of incidents that begin 0–5 min after another incident, on a service next to its root: independent failures next door. */
  concurrent?: number;
  /** Noise on shared Kubernetes nodes per hour: a node under pressure (a warning) with short pod blips of pods placed on it. */
  nodeNoisePerHour?: number;
  variation?: Variation;
}

const SHAPES: Record<BaseShape, ShapeSettings> = {
  small: {
    services: 12,
    nodes: 4,
    hours: 3,
    incidents: 5,
    blipsPerHour: 8,
    flappers: 2,
    persistentWarnings: 2,
    maintenances: 1,
    repairs: 1,
    groupBy: ['alertname', 'namespace', 'service'],
    groupWaitS: 30,
    groupIntervalS: 120,
    repeatIntervalS: 1800,
    maxAlerts: 0,
    retryProbability: 0.02,
  },
  default: {
    services: 24,
    nodes: 8,
    hours: 8,
    incidents: 14,
    blipsPerHour: 10,
    flappers: 4,
    persistentWarnings: 4,
    maintenances: 2,
    repairs: 3,
    groupBy: ['alertname', 'namespace', 'service'],
    groupWaitS: 30,
    groupIntervalS: 120,
    repeatIntervalS: 1800,
    maxAlerts: 0,
    retryProbability: 0.02,
  },
  large: {
    services: 80,
    nodes: 24,
    hours: 16,
    incidents: 30,
    blipsPerHour: 25,
    flappers: 10,
    persistentWarnings: 12,
    maintenances: 4,
    repairs: 8,
    groupBy: ['alertname', 'namespace', 'service'],
    groupWaitS: 30,
    groupIntervalS: 300,
    repeatIntervalS: 3600,
    maxAlerts: 0,
    retryProbability: 0.01,
  },
  noisy: {
    services: 30,
    nodes: 10,
    hours: 8,
    incidents: 10,
    blipsPerHour: 40,
    flappers: 12,
    persistentWarnings: 10,
    maintenances: 3,
    repairs: 6,
    groupBy: ['alertname', 'namespace', 'service'],
    groupWaitS: 30,
    groupIntervalS: 60,
    repeatIntervalS: 900,
    maxAlerts: 0,
    retryProbability: 0.03,
  },
  coarse: {
    services: 24,
    nodes: 8,
    hours: 8,
    incidents: 14,
    blipsPerHour: 12,
    flappers: 4,
    persistentWarnings: 4,
    maintenances: 2,
    repairs: 3,
    groupBy: ['alertname'],
    groupWaitS: 30,
    groupIntervalS: 300,
    repeatIntervalS: 3600,
    maxAlerts: 0,
    retryProbability: 0.02,
  },
  slow: {
    services: 40,
    nodes: 12,
    hours: 12,
    incidents: 18,
    blipsPerHour: 12,
    flappers: 6,
    persistentWarnings: 6,
    maintenances: 2,
    repairs: 4,
    groupBy: ['namespace', 'service'],
    groupWaitS: 60,
    groupIntervalS: 300,
    repeatIntervalS: 7200,
    maxAlerts: 0,
    retryProbability: 0.02,
  },
  truncating: {
    services: 24,
    nodes: 8,
    hours: 8,
    incidents: 14,
    blipsPerHour: 10,
    flappers: 4,
    persistentWarnings: 4,
    maintenances: 2,
    repairs: 3,
    groupBy: ['alertname', 'namespace'],
    groupWaitS: 30,
    groupIntervalS: 120,
    repeatIntervalS: 1800,
    maxAlerts: 4,
    retryProbability: 0.02,
  },
  hub: {
    services: 30,
    nodes: 6,
    hours: 8,
    incidents: 14,
    blipsPerHour: 12,
    flappers: 4,
    persistentWarnings: 4,
    maintenances: 2,
    repairs: 3,
    groupBy: ['alertname', 'namespace', 'service'],
    groupWaitS: 30,
    groupIntervalS: 120,
    repeatIntervalS: 1800,
    maxAlerts: 0,
    retryProbability: 0.02,
    topology: 'hub',
    concurrent: 0.2,
    nodeNoisePerHour: 2,
  },
  concurrent: {
    services: 24,
    nodes: 8,
    hours: 8,
    incidents: 16,
    blipsPerHour: 10,
    flappers: 4,
    persistentWarnings: 4,
    maintenances: 2,
    repairs: 3,
    groupBy: ['alertname', 'namespace', 'service'],
    groupWaitS: 30,
    groupIntervalS: 120,
    repeatIntervalS: 1800,
    maxAlerts: 0,
    retryProbability: 0.02,
    concurrent: 0.5,
    nodeNoisePerHour: 1,
  },
};

const VARIATIONS: Record<VariedShape, Variation> = {
  delayed: { base: 'default', forDelays: true },
  relabelled: { base: 'slow', labelStyles: true, dropNamespace: true },
  mirrored: { base: 'concurrent', mirrorNamespaces: true },
  // A chatty page route; warnings at Alertmanager's defaults (group_wait 30 s, group_interval 5 min, repeat_interval
  // 4 h); the rest slower still.
  resend: {
    base: 'noisy',
    routes: [
      { severity: 'critical', timing: [10, 60, 900] },
      { severity: 'warning', timing: [30, 300, 14_400] },
      { severity: '', timing: [60, 600, 43_200] },
    ],
  },
  // Alertmanager's defaults for everything, page route included.
  mixed: {
    base: 'hub',
    forDelays: true,
    labelStyles: true,
    dropNamespace: true,
    mirrorNamespaces: true,
    routes: [{ severity: '', timing: [30, 300, 14_400] }],
  },
};

export const SHAPE_NAMES = [...Object.keys(SHAPES), ...Object.keys(VARIATIONS)] as Shape[];

/** A family's settings and the name its random stream is seeded with: a robustness family's base, varied. */
function settingsOf(shape: Shape): { settings: ShapeSettings; seedName: string } {
  if (shape in VARIATIONS) {
    const variation = VARIATIONS[shape as VariedShape];
    return { settings: { ...SHAPES[variation.base], variation }, seedName: variation.base };
  }
  return { settings: SHAPES[shape as BaseShape], seedName: shape };
}

interface Episode {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: number;
  endsAt: number;
  truth: string | null;
}

interface World {
  services: string[];
  edges: Array<[string, string]>;
  callers: Map<string, string[]>;
  namespaceOf: Map<string, string>;
  pods: Map<string, Array<{ pod: string; node: string }>>;
  nodes: string[];
}

export interface GeneratedStream {
  topology: { services: string[]; edges: Array<[string, string]> };
  deliveries: Array<{ at: string; payload: unknown; truth: Record<string, string | null> }>;
}

const NAMES = [
  'frontend',
  'gateway',
  'checkout',
  'cart',
  'catalog',
  'search',
  'payments',
  'shipping',
  'users',
  'auth',
  'orders',
  'inventory',
  'pricing',
  'reviews',
  'recommend',
  'email',
  'notify',
  'ledger',
  'fraud',
  'media',
  'session',
  'profile',
  'ads',
  'currency',
];
const BACKENDS = ['postgres', 'redis', 'kafka', 'mongo', 'elastic', 'mysql'];

export function generateAlertStream(seed: number, shape: Shape = 'default'): GeneratedStream {
  const { settings: s, seedName } = settingsOf(shape);
  const rand = seededRandom(seed * 7919 + seedName.length);
  const pick = <T>(items: T[]): T => items[Math.floor(rand() * items.length)]!;
  const world = buildWorld(s, rand, pick);
  const start = Date.UTC(2026, 0, 5, 8, 0, 0) + Math.floor(rand() * 1000) * 60_000;
  const end = start + s.hours * 3600_000;
  const v = s.variation;
  // The variation's own random stream: the base's draws (world, incidents, noise, Alertmanager) stay as they were.
  const vrand = seededRandom(seed * 104_729 + 31);
  const episodes = generateEpisodes(world, s, rand, start, end, {
    forDelays: v?.forDelays ? vrand : undefined,
  });
  if (v?.mirrorNamespaces) {
    const staging = mirrorWorld(world, s, vrand);
    const half = { ...s, incidents: Math.ceil(s.incidents / 2) };
    episodes.push(
      ...generateEpisodes(staging, half, vrand, start, end, {
        forDelays: v.forDelays ? vrand : undefined,
        idPrefix: 'S',
        watchdog: false,
      }),
    );
  }
  if (v?.labelStyles || v?.dropNamespace) relabel(episodes, v, vrand);
  return {
    topology: { services: world.services, edges: world.edges },
    deliveries: simulateAlertmanager(episodes, s, start, end, rand, v?.routes),
  };
}

interface EpisodeOptions {
  /** Draws a caller's `for:` delay (set by the `forDelays` variation). */
  forDelays?: () => number;
  /** Prefix of the real incidents' ids. */
  idPrefix?: string;
  watchdog?: boolean;
}

/** Every alert episode of one world: real incidents, then noise. */
function generateEpisodes(
  world: World,
  s: ShapeSettings,
  rand: () => number,
  start: number,
  end: number,
  options: EpisodeOptions = {},
): Episode[] {
  const pick = <T>(items: T[]): T => items[Math.floor(rand() * items.length)]!;
  const between = (lo: number, hi: number) => lo + rand() * (hi - lo);
  const episodes: Episode[] = [];
  // One alert (label set) has one episode at a time, as in Prometheus: an episode overlapping an earlier one of the
  // same labels (with a 10-minute gap) is not added, so a fingerprint never means two things at once.
  const busy = new Map<string, Array<[number, number]>>();
  const add = (
    labels: Record<string, string>,
    startsAt: number,
    endsAt: number,
    truth: string | null,
    summary = '',
  ) => {
    const key = labelsFingerprint(labels);
    const spans = busy.get(key) ?? [];
    if (spans.some(([a, b]) => startsAt < b + 600_000 && endsAt > a - 600_000)) return;
    busy.set(key, [...spans, [startsAt, endsAt]]);
    episodes.push({
      labels,
      annotations: summary ? { summary } : {},
      startsAt: Math.round(startsAt),
      endsAt: Math.round(Math.min(endsAt, end + 3600_000)),
      truth,
    });
  };
  const svcLabels = (service: string) => ({ namespace: world.namespaceOf.get(service)!, service });

  // Real incidents, spread over the stream, each with its own onset; some (`concurrent`) begin shortly after another
  // one on a service next to its root: an independent failure next door, which only its own root explains.
  const roots: Array<{ service: string; t0: number }> = [];
  for (let i = 0; i < s.incidents; i++) {
    const id = `${options.idPrefix ?? 'I'}${i + 1}`;
    // A neighbour already failing in the other incident is not a new root: its alerts are already firing.
    const concurrent = s.concurrent && roots.length > 0 && rand() < s.concurrent;
    const spread = () => start + between(0.03, 0.9) * (end - start);
    let t0 = concurrent ? 0 : spread();
    const duration = between(8, 50) * 60_000;
    const free = (service: string, t: number) =>
      ['critical', 'warning'].every(
        (severity) =>
          !(
            busy.get(labelsFingerprint({ alertname: 'HighErrorRate', severity, ...svcLabels(service) })) ?? []
          ).some(([a, b]) => t < b + 600_000 && t + duration > a - 600_000),
      );
    const besides = concurrent ? neighbourOf(world, pick(roots), rand, pick, free) : undefined;
    if (concurrent) t0 = besides?.t0 ?? spread();
    const kind = rand();
    let root: string | undefined = besides?.service;
    if (kind < 0.5)
      root = cascade(world, id, t0, duration, add, rand, pick, svcLabels, false, root, options.forDelays);
    else if (kind < 0.68 && !besides) nodeFailure(world, id, t0, duration, add, rand, pick, svcLabels);
    else if (kind < 0.86 || besides)
      root = cascade(world, id, t0, duration, add, rand, pick, svcLabels, true, root, options.forDelays);
    else
      add(
        { alertname: 'HighLatency', severity: 'critical', ...svcLabels((root = pick(world.services))) },
        t0,
        t0 + duration,
        id,
        'p99 latency above SLO',
      );
    if (root) roots.push({ service: root, t0 });
  }

  // Noise: blips, flapping, long warnings, a Watchdog, maintenance, repair side effects.
  const noiseAlerts = [
    'HighLatency',
    'HighErrorRate',
    'CPUThrottlingHigh',
    'KubePodNotReady',
    'KubeContainerWaiting',
    'DiskPressure',
  ];
  for (let n = Math.round(s.blipsPerHour * s.hours), i = 0; i < n; i++) {
    const t = start + rand() * (end - start);
    const alertname = pick(noiseAlerts);
    const service = pick(world.services);
    const critical = rand() < 0.25;
    const labels =
      alertname === 'KubePodNotReady' || alertname === 'KubeContainerWaiting'
        ? podLabels(world, service, pick)
        : svcLabels(service);
    add(
      { alertname, severity: critical ? 'critical' : 'warning', ...labels },
      t,
      t + between(20, critical ? 100 : 400) * 1000,
      null,
    );
  }
  // Noise on shared nodes: a node warning that harms nothing (pressure that the kubelet handles), and, at unrelated
  // times, blips of pods that share one busy node. Pods a node's trouble really evicts would be an incident of the
  // node, not noise, so these blips are independent of the node warnings.
  for (let n = Math.round((s.nodeNoisePerHour ?? 0) * s.hours), i = 0; i < n; i++) {
    const node = pick(world.nodes);
    const t = start + rand() * (end - start);
    add(
      {
        alertname: pick(['NodeMemoryPressure', 'NodeFilesystemSpaceFillingUp', 'KubeletTooManyPods']),
        severity: 'warning',
        node,
      },
      t,
      t + between(5, 30) * 60_000,
      null,
    );
    const placed = [...world.pods].flatMap(([service, pods]) =>
      pods.filter((p) => p.node === node).map((p) => ({ service, ...p })),
    );
    for (const p of placed.filter(() => rand() < 0.4)) {
      const at = start + rand() * (end - start);
      const critical = rand() < 0.2;
      // Lengths as the other blips: a critical that fires for minutes is a failure, not noise.
      add(
        {
          alertname: pick(['KubePodNotReady', 'KubeContainerWaiting']),
          severity: critical ? 'critical' : 'warning',
          namespace: world.namespaceOf.get(p.service)!,
          pod: p.pod,
          node,
        },
        at,
        at + between(20, critical ? 100 : 400) * 1000,
        null,
      );
    }
  }
  for (let i = 0; i < s.flappers; i++) {
    const labels = {
      alertname: pick(['HighLatency', 'HighErrorRate', 'QueueBacklog']),
      severity: rand() < 0.5 ? 'critical' : 'warning',
      ...svcLabels(pick(world.services)),
    };
    let t = start + rand() * (end - start) * 0.8;
    const until = t + between(20, 90) * 60_000;
    if ((busy.get(labelsFingerprint(labels)) ?? []).some(([a, b]) => t < b + 600_000 && until > a - 600_000))
      continue;
    busy.set(labelsFingerprint(labels), [[t, until]]);
    while (t < until) {
      const on = between(40, 100) * 1000;
      episodes.push({
        labels,
        annotations: {},
        startsAt: Math.round(t),
        endsAt: Math.round(t + on),
        truth: null,
      });
      t += on + between(60, 300) * 1000;
    }
  }
  for (let i = 0; i < s.persistentWarnings; i++) {
    const t = start + rand() * (end - start) * 0.5;
    add(
      {
        alertname: pick(['CPUThrottlingHigh', 'KubeHpaMaxedOut', 'MemoryNearLimit']),
        severity: pick(['warning', 'info']),
        ...svcLabels(pick(world.services)),
      },
      t,
      t + between(1, 6) * 3600_000,
      null,
    );
  }
  if (options.watchdog !== false)
    add(
      { alertname: 'Watchdog', severity: 'none' },
      start - 3600_000,
      end + 3600_000,
      null,
      'always firing: the alerting pipeline works',
    );
  for (let i = 0; i < s.maintenances; i++) {
    const service = pick(world.services);
    const t = start + rand() * (end - start) * 0.85;
    const length = between(20, 60) * 60_000;
    add(
      { alertname: 'Maintenance', severity: 'none', ...svcLabels(service) },
      t,
      t + length,
      null,
      'planned maintenance',
    );
    add(
      { alertname: 'HighErrorRate', severity: 'critical', ...svcLabels(service) },
      t + between(2, 8) * 60_000,
      t + length - between(1, 5) * 60_000,
      null,
    );
    for (const p of (world.pods.get(service) ?? []).slice(0, 2)) {
      add(
        {
          alertname: 'KubePodNotReady',
          severity: 'warning',
          namespace: world.namespaceOf.get(service)!,
          pod: p.pod,
          node: p.node,
        },
        t + between(1, 5) * 60_000,
        t + between(10, 18) * 60_000,
        null,
      );
    }
  }
  for (let i = 0; i < s.repairs; i++) {
    const service = pick(world.services);
    const t = start + rand() * (end - start);
    const repair = `rep-${Math.floor(rand() * 1e6)}`;
    for (const p of (world.pods.get(service) ?? []).slice(0, 3)) {
      add(
        {
          alertname: 'KubePodNotReady',
          severity: rand() < 0.5 ? 'critical' : 'warning',
          namespace: world.namespaceOf.get(service)!,
          pod: p.pod,
          node: p.node,
          aicloudops_repair_id: repair,
        },
        t,
        t + between(3, 9) * 60_000,
        null,
      );
    }
  }
  return episodes;
}

type Add = (
  labels: Record<string, string>,
  startsAt: number,
  endsAt: number,
  truth: string | null,
  summary?: string,
) => void;

/** A service next to `of.service` (a caller or a callee), failing 0–5 min after it. */
function neighbourOf(
  world: World,
  of: { service: string; t0: number },
  rand: () => number,
  pick: <T>(x: T[]) => T,
  free: (service: string, t: number) => boolean,
): { service: string; t0: number } | undefined {
  const t0 = of.t0 + rand() * 5 * 60_000;
  const next = world.edges
    .flatMap(([from, to]) => (from === of.service ? [to] : to === of.service ? [from] : []))
    .filter((n) => free(n, t0));
  return next.length > 0 ? { service: pick(next), t0 } : undefined;
}

function cascade(
  world: World,
  id: string,
  t0: number,
  duration: number,
  add: Add,
  rand: () => number,
  pick: <T>(x: T[]) => T,
  svc: (s: string) => Record<string, string>,
  down: boolean,
  fixedRoot?: string,
  forDelays?: () => number,
): string {
  const candidates = world.services.filter((s) => (world.callers.get(s)?.length ?? 0) > 0);
  const root = fixedRoot ?? pick(candidates.length > 0 ? candidates : world.services);
  const rootLabels = svc(root);
  if (down)
    add(
      { alertname: 'ServiceDown', severity: 'critical', ...rootLabels },
      t0,
      t0 + duration,
      id,
      `${root} is not answering`,
    );
  add(
    { alertname: 'HighErrorRate', severity: 'critical', ...rootLabels },
    t0 + rand() * 30_000,
    t0 + duration,
    id,
    'error ratio above 5%',
  );
  if (rand() < 0.7)
    add(
      { alertname: 'HighLatency', severity: 'warning', ...rootLabels },
      t0 + rand() * 60_000,
      t0 + duration * 0.9,
      id,
    );
  for (const p of (world.pods.get(root) ?? []).filter(() => rand() < 0.6)) {
    add(
      {
        alertname: 'KubePodCrashLooping',
        severity: 'warning',
        namespace: rootLabels.namespace!,
        pod: p.pod,
        node: p.node,
      },
      t0 + rand() * 90_000,
      t0 + duration * between(rand, 0.5, 1),
      id,
    );
  }
  // Hop by hop to callers, each hop later and less likely.
  let frontier = [root];
  let at = t0;
  const seen = new Set([root]);
  // With `for:` delays a caller's rule fires 1–8 min after its callee's (each hop from the callee's own onset).
  const onsetOf = new Map([[root, t0]]);
  for (let depth = 1; depth <= 3 && frontier.length > 0; depth++) {
    const next: string[] = [];
    at += between(rand, 30, 150) * 1000;
    for (const callee of frontier) {
      for (const caller of world.callers.get(callee) ?? []) {
        if (seen.has(caller) || rand() > 0.75 / depth) continue;
        seen.add(caller);
        next.push(caller);
        const evaluated = at + rand() * 60_000;
        const onset = forDelays ? onsetOf.get(callee)! + (60 + forDelays() * 420) * 1000 : evaluated;
        onsetOf.set(caller, onset);
        // A delayed caller still fires for a few minutes (it ends with its incident, or 4–8 min after its onset).
        const until = (end: number) =>
          forDelays ? Math.max(end, onset + (4 + forDelays() * 4) * 60_000) : end;
        add(
          { alertname: 'HighErrorRate', severity: rand() < 0.6 ? 'critical' : 'warning', ...svc(caller) },
          onset,
          until(t0 + duration + between(rand, 0, 4) * 60_000),
          id,
        );
        if (rand() < 0.4)
          add(
            { alertname: 'HighLatency', severity: 'warning', ...svc(caller) },
            onset + rand() * 60_000,
            until(t0 + duration),
            id,
          );
      }
    }
    frontier = next;
  }
  return root;
}

function nodeFailure(
  world: World,
  id: string,
  t0: number,
  duration: number,
  add: Add,
  rand: () => number,
  pick: <T>(x: T[]) => T,
  svc: (s: string) => Record<string, string>,
): void {
  const node = pick(world.nodes);
  add(
    { alertname: 'KubeNodeNotReady', severity: 'critical', node },
    t0,
    t0 + duration,
    id,
    `node ${node} is NotReady`,
  );
  for (const [service, pods] of world.pods) {
    for (const p of pods.filter((x) => x.node === node)) {
      add(
        {
          alertname: 'KubePodNotReady',
          severity: 'warning',
          namespace: world.namespaceOf.get(service)!,
          pod: p.pod,
          node,
        },
        t0 + between(rand, 30, 120) * 1000,
        t0 + duration,
        id,
      );
      if (rand() < 0.3)
        add(
          { alertname: 'HighErrorRate', severity: 'warning', ...svc(service) },
          t0 + between(rand, 60, 240) * 1000,
          t0 + duration * 0.8,
          id,
        );
    }
  }
}

function between(rand: () => number, lo: number, hi: number): number {
  return lo + rand() * (hi - lo);
}

function podLabels(world: World, service: string, pick: <T>(x: T[]) => T): Record<string, string> {
  const p = pick(world.pods.get(service) ?? [{ pod: `${service}-0`, node: world.nodes[0]! }]);
  return { namespace: world.namespaceOf.get(service)!, pod: p.pod, node: p.node };
}

function buildWorld(s: ShapeSettings, rand: () => number, pick: <T>(x: T[]) => T): World {
  const services: string[] = [];
  for (let i = 0; services.length < s.services; i++) {
    const base = i < NAMES.length ? NAMES[i]! : `${pick(NAMES)}-${i}`;
    if (!services.includes(base)) services.push(base);
  }
  const backends = BACKENDS.slice(0, Math.max(2, Math.round(s.services / 8)));
  services.push(...backends);
  // Layers: the first two are entry points; each service calls 1–3 services of later layers, apps call backends.
  const apps = services.filter((x) => !backends.includes(x));
  const edges: Array<[string, string]> = [];
  if (s.topology === 'hub') return hubWorld(s, services, apps, backends, rand, pick);
  apps.forEach((caller, i) => {
    const later = apps.slice(Math.max(i + 1, 2));
    const calls = new Set<string>();
    for (let k = 0, n = 1 + Math.floor(rand() * 3); k < n && later.length > 0; k++)
      calls.add(pick(later.slice(0, 8)));
    if (rand() < 0.6 || later.length === 0) calls.add(pick(backends));
    for (const callee of calls) edges.push([caller, callee]);
  });
  return placeWorld(s, services, backends, edges, rand, pick);
}

/** A graph around 3 shared services (the last apps): every other app calls 1–3 of them, maybe one more app, maybe a backend. */
function hubWorld(
  s: ShapeSettings,
  services: string[],
  apps: string[],
  backends: string[],
  rand: () => number,
  pick: <T>(x: T[]) => T,
): World {
  const hubs = apps.slice(-3);
  const edges: Array<[string, string]> = [];
  apps.forEach((caller, i) => {
    const calls = new Set<string>();
    if (hubs.includes(caller)) calls.add(pick(backends));
    else {
      for (const hub of hubs) if (rand() < 0.5) calls.add(hub);
      if (calls.size === 0) calls.add(pick(hubs));
      const later = apps.slice(Math.max(i + 1, 2)).filter((x) => !hubs.includes(x));
      if (later.length > 0 && rand() < 0.5) calls.add(pick(later.slice(0, 6)));
      if (rand() < 0.4) calls.add(pick(backends));
    }
    for (const callee of calls) edges.push([caller, callee]);
  });
  return placeWorld(s, services, backends, edges, rand, pick);
}

/** Namespaces, nodes and pods (placed on random nodes) for a service graph. */
function placeWorld(
  s: ShapeSettings,
  services: string[],
  backends: string[],
  edges: Array<[string, string]>,
  rand: () => number,
  pick: <T>(x: T[]) => T,
): World {
  const callers = new Map<string, string[]>();
  for (const [from, to] of edges) callers.set(to, [...(callers.get(to) ?? []), from]);
  const namespaces = s.services > 40 ? ['shop', 'payments', 'platform'] : ['shop', 'platform'];
  const namespaceOf = new Map(
    services.map((x) => [
      x,
      backends.includes(x)
        ? 'platform'
        : pick(namespaces.slice(0, -1).length ? namespaces.slice(0, -1) : namespaces),
    ]),
  );
  const nodes = Array.from(
    { length: s.nodes },
    (_, i) => `node-${String.fromCharCode(97 + (i % 26))}${Math.floor(i / 26) || ''}`,
  );
  const token = (n: number) =>
    Array.from({ length: n }, () => 'bcdfghjklmnpqrstvwxz2456789'[Math.floor(rand() * 27)]).join('');
  const pods = new Map(
    services.map((x) => {
      const rs = token(9);
      const stateful = backends.includes(x);
      return [
        x,
        Array.from({ length: 2 + Math.floor(rand() * 3) }, (_, i) => ({
          pod: stateful ? `${x}-${i}` : `${x}-${rs}-${token(5)}`,
          node: pick(nodes),
        })),
      ];
    }),
  );
  return { services, edges, callers, namespaceOf, pods, nodes };
}

/**
 * A staging copy of a world: the same services and calls in `<namespace>-staging`, with its own pods on its own nodes
 * (a separate node pool), so the same service name means two services.
 */
function mirrorWorld(world: World, s: ShapeSettings, rand: () => number): World {
  const pick = <T>(items: T[]): T => items[Math.floor(rand() * items.length)]!;
  const backends = world.services.filter((x) => world.namespaceOf.get(x) === 'platform');
  const copy = placeWorld(s, world.services, backends, world.edges, rand, pick);
  const node = new Map(copy.nodes.map((n) => [n, `stg-${n}`]));
  return {
    ...copy,
    namespaceOf: new Map(world.services.map((x) => [x, `${world.namespaceOf.get(x)!}-staging`])),
    pods: new Map(
      [...copy.pods].map(([x, pods]) => [x, pods.map((p) => ({ pod: p.pod, node: node.get(p.node)! }))]),
    ),
    nodes: copy.nodes.map((n) => node.get(n)!),
  };
}

const SERVICE_STYLES = ['service', 'service', 'app', 'app_kubernetes_io_name', 'job'];
const POD_ALERTS = ['KubePodNotReady', 'KubePodCrashLooping', 'KubeContainerWaiting'];
const SERVICE_ALERTS = ['HighErrorRate', 'HighLatency', 'ServiceDown', 'QueueBacklog'];

/**
 * Label conventions of another setup, in place: each service's label (`service`, `app`, `app_kubernetes_io_name`,
 * `job`), the scrape job on alerts about no service, `node` missing from some pod rules, `namespace` from some service
 * rules. Decided per service and per rule (alertname), as a team's conventions and rule files would be.
 */
function relabel(episodes: Episode[], v: Variation, rand: () => number): void {
  const memo = new Map<string, number>();
  const draw = (key: string) => {
    if (!memo.has(key)) memo.set(key, rand());
    return memo.get(key)!;
  };
  for (const e of episodes) {
    const labels = { ...e.labels };
    if (v.labelStyles) {
      const service = labels.service;
      if (service !== undefined) {
        const style = SERVICE_STYLES[Math.floor(draw(`style ${service}`) * SERVICE_STYLES.length)]!;
        delete labels.service;
        labels[style] = service;
      } else if (labels.pod) labels.job = 'kube-state-metrics';
      else if (labels.node) labels.job = 'node-exporter';
      if (labels.pod && POD_ALERTS.includes(labels.alertname!) && draw(`pod rule ${labels.alertname}`) < 0.5)
        delete labels.node;
    }
    if (
      v.dropNamespace &&
      SERVICE_ALERTS.includes(labels.alertname!) &&
      !labels.pod &&
      draw(`namespace rule ${labels.alertname}`) < 0.5
    )
      delete labels.namespace;
    e.labels = labels;
  }
}

/** Alertmanager's dispatcher in 5 s steps: group_wait, group_interval, repeat_interval, resolved sent once, max_alerts. */
function simulateAlertmanager(
  episodes: Episode[],
  s: ShapeSettings,
  start: number,
  end: number,
  rand: () => number,
  routes?: Route[],
): GeneratedStream['deliveries'] {
  interface Group {
    key: string;
    labels: Record<string, string>;
    members: Set<Episode>;
    lastSent?: number;
    firstAt?: number;
    sentState?: string;
    timing: [number, number, number];
  }
  const ownTiming: [number, number, number] = [s.groupWaitS, s.groupIntervalS, s.repeatIntervalS];
  const groups = new Map<string, Group>();
  const fp = new Map<Episode, string>();
  for (const e of episodes) fp.set(e, labelsFingerprint(e.labels));
  const sorted = [...episodes].sort((a, b) => a.startsAt - b.startsAt);
  let next = 0;
  const out: GeneratedStream['deliveries'] = [];
  const retries: GeneratedStream['deliveries'] = [];
  const step = 5_000;
  for (let t = start; t <= end; t += step) {
    while (next < sorted.length && sorted[next]!.startsAt <= t) {
      const e = sorted[next++]!;
      if (e.endsAt <= start) continue;
      const groupLabels = Object.fromEntries(
        s.groupBy.map((l) => [l, e.labels[l] ?? '']).filter(([, v]) => v !== ''),
      );
      const route = routes?.find((r) => r.severity === '' || r.severity === e.labels.severity);
      const key = `{}${route?.severity ? `/{severity="${route.severity}"}` : ''}:{${Object.entries(
        groupLabels,
      )
        .map(([k, v]) => `${k}="${v}"`)
        .join(', ')}}`;
      let g = groups.get(key);
      if (!g)
        groups.set(
          key,
          (g = { key, labels: groupLabels, members: new Set(), timing: route?.timing ?? ownTiming }),
        );
      // A new episode of the same alert replaces the old one in Alertmanager.
      for (const m of g.members) if (fp.get(m) === fp.get(e)) g.members.delete(m);
      g.members.add(e);
      g.firstAt ??= Math.max(t, e.startsAt);
    }
    for (const g of groups.values()) {
      if (g.members.size === 0) continue;
      const state = [...g.members]
        .map((m) => `${fp.get(m)}:${m.endsAt <= t ? 'r' : 'f'}`)
        .sort()
        .join(',');
      const firing = [...g.members].some((m) => m.endsAt > t);
      let due = false;
      const [groupWaitS, groupIntervalS, repeatIntervalS] = g.timing;
      if (g.lastSent === undefined) due = firing && t >= g.firstAt! + groupWaitS * 1000;
      else if (state !== g.sentState) due = t >= g.lastSent + groupIntervalS * 1000;
      else due = firing && t >= g.lastSent + repeatIntervalS * 1000;
      if (!due) {
        if (!firing && g.lastSent === undefined) g.members.clear();
        continue;
      }
      const delivery = payload(g, t, fp, s.maxAlerts, s.groupBy);
      out.push(delivery);
      if (rand() < s.retryProbability)
        retries.push({ ...delivery, at: new Date(t + (30 + rand() * 150) * 1000).toISOString() });
      g.lastSent = t;
      g.sentState = state;
      for (const m of [...g.members]) if (m.endsAt <= t) g.members.delete(m);
      if (g.members.size === 0) {
        delete g.lastSent;
        delete g.firstAt;
        delete g.sentState;
      } else
        g.sentState = [...g.members]
          .map((m) => `${fp.get(m)}:f`)
          .sort()
          .join(',');
    }
  }
  // Webhook retries re-deliver an older payload late: out of order on purpose.
  return [...out, ...retries].sort((a, b) => a.at.localeCompare(b.at));
}

function payload(
  g: { key: string; labels: Record<string, string>; members: Set<Episode> },
  t: number,
  fp: Map<Episode, string>,
  maxAlerts: number,
  groupBy: string[],
): GeneratedStream['deliveries'][number] {
  const members = [...g.members].sort((a, b) => a.startsAt - b.startsAt);
  const shown = maxAlerts > 0 ? members.slice(0, maxAlerts) : members;
  const alerts = shown.map((m) => {
    const resolved = m.endsAt <= t;
    return {
      status: resolved ? 'resolved' : 'firing',
      labels: m.labels,
      annotations: m.annotations,
      startsAt: new Date(m.startsAt).toISOString(),
      endsAt: resolved ? new Date(m.endsAt).toISOString() : '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus:9090/graph',
      fingerprint: fp.get(m)!,
    };
  });
  const common = (pick: (m: Episode) => Record<string, string>) =>
    Object.fromEntries(
      Object.entries(pick(members[0]!)).filter(([k, v]) => members.every((m) => pick(m)[k] === v)),
    );
  return {
    at: new Date(t).toISOString(),
    payload: {
      version: '4',
      groupKey: g.key,
      truncatedAlerts: members.length - shown.length,
      status: alerts.some((a) => a.status === 'firing') ? 'firing' : 'resolved',
      receiver: 'aicloudops',
      groupLabels: Object.fromEntries(groupBy.filter((l) => g.labels[l]).map((l) => [l, g.labels[l]!])),
      commonLabels: common((m) => m.labels),
      commonAnnotations: common((m) => m.annotations),
      externalURL: 'http://alertmanager:9093',
      alerts,
    },
    truth: Object.fromEntries(shown.map((m) => [fp.get(m)!, m.truth])),
  };
}

export function writeAlertStream(dir: string, stream: GeneratedStream): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(resolve(dir, 'topology.json'), JSON.stringify(stream.topology, null, 1) + '\n');
  writeFileSync(
    resolve(dir, 'alerts.jsonl'),
    stream.deliveries.map((d) => JSON.stringify(d)).join('\n') + '\n',
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const get = (name: string, fallback: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
  };
  const base = process.env.INIT_CWD ?? process.cwd();
  const devSet = get('dev-set', '');
  const robustnessSet = get('robustness-set', '');
  const jobs: Array<[Shape, number, string]> = devSet
    ? DEV_SET.map(([shape, seed]) => [shape, seed, resolve(base, devSet, `${shape}-${seed}`)])
    : robustnessSet
      ? ROBUSTNESS_SET.map(([shape, seed]) => [shape, seed, resolve(base, robustnessSet, `${shape}-${seed}`)])
      : [
          [
            get('shape', 'default') as Shape,
            Number(get('seed', '1')),
            resolve(base, get('out', 'alert-stream')),
          ],
        ];
  for (const [shape, seed, out] of jobs) {
    if (!SHAPE_NAMES.includes(shape)) throw new Error(`--shape must be one of ${SHAPE_NAMES.join(', ')}`);
    const stream = generateAlertStream(seed, shape);
    writeAlertStream(out, stream);
    console.log(
      `${out}: ${stream.deliveries.length} deliveries, ${stream.topology.services.length} services, ${stream.topology.edges.length} edges`,
    );
  }
}
