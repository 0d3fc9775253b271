import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import os from 'node:os';
import { resolve } from 'node:path';
import pino from 'pino';
import { alertsOf } from '../src/alerts/alertsOf.js';
import { labelsFingerprint } from '../src/alerts/fingerprint.js';
import type { Notification } from '../src/alerts/types.js';
import { configSchema } from '../src/config/schema.js';
import { createEngine } from '../src/engine.js';
import { buildApp } from '../src/server/app.js';
import type { ChildProcess } from 'node:child_process';
import { startServer } from '../src/server/startServer.js';
import { spawnEngineProcess, startRedis } from '../test/support/index.js';
import { printTable, repoRoot, type BenchMain, type BenchResults } from './lib.js';

export interface Delivery {
  at: string;
  payload: {
    alerts: Array<{ status: string; labels: Record<string, string>; startsAt: string; fingerprint?: string }>;
  };
  truth?: Record<string, string | null>;
}

export interface Sent {
  incident: string;
  fingerprints: string[];
  at: number;
}

/** Virtual-clock step between deliveries: held incidents are released at most this late. */
const TICK_MS = 5_000;
/** After the last delivery the clock runs on this long, so thresholds still waiting can fire. */
const DRAIN_MS = 30 * 60_000;
const FLOOR_REQUESTS = 300;
/** Storm phase: deliveries in flight at once (Alertmanager sends one request per group and receiver, in parallel). */
const DEFAULT_CONCURRENCY = 64;
/** Storm phase: at least this many deliveries are sent (the stream is cycled, relabelled each cycle, to get there). */
const DEFAULT_STORM_DELIVERIES = 5_000;
const WARMUP_DELIVERIES = 1_000;

/**
 * `alert-noise --data DIR [--concurrency 64] [--storm-deliveries 5000] [--in-process] [--no-storm]`: replays DIR/alerts.jsonl
 * through the engine's real ingest path (fastify inject of the Alertmanager webhook route, memory store) on a virtual
 * clock, one delivery at a time, writes every notification to bench-results/alert-noise-notifications.jsonl and scores
 * it against `truth` when the stream has it. Baseline in the same run: dedup by fingerprint + group by service within
 * 10 minutes, one notification per group.
 *
 * Ingest speed is measured the way a storm arrives, in a second phase: the stream's deliveries POSTed over real HTTP
 * on loopback (node:http keep-alive agent, `--concurrency` in flight) to an engine in its own process (or, with
 * `--in-process`, in the bench's) on a real redis-server (AOF, fsync on every write, as the tests run it), each
 * answered only once durable. `ingest_per_s` is alerts/s over that phase and `p99_ms` the 99th percentile per
 * delivery from send to its 200 (grouped and stored). The stream is cycled until `--storm-deliveries` were sent, each
 * cycle relabelled (`storm_cycle`) so its alerts are new, not duplicates. The sequential inject numbers of the scoring
 * replay stay beside them as `sequential_ingest_per_s` / `sequential_p99_ms`. `--no-storm` scores the stream only (no throughput keys).
 */
export const main: BenchMain = async (ctx) => {
  const dir = ctx.pathOption('data');
  const alertsFile = resolve(dir, 'alerts.jsonl');
  if (!existsSync(alertsFile))
    throw new Error(`alert-noise: ${alertsFile} not found (DIR needs topology.json and alerts.jsonl)`);
  const deliveries = readFileSync(alertsFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Delivery);
  const topologyFile = resolve(dir, 'topology.json');
  const topology = existsSync(topologyFile)
    ? (JSON.parse(readFileSync(topologyFile, 'utf8')) as { edges?: Array<[string, string]> })
    : {};
  const hasTruth = deliveries.some((d) => d.truth && Object.keys(d.truth).length > 0);

  // Warm-up: the first deliveries into a throwaway engine, so the timed run measures compiled code, not the JIT.
  await replay(deliveries.slice(0, 300), topology.edges ?? [], ctx.options);
  const { sent, latencies, alertCount, busySeconds, meanDelaySeconds, injectFloorMs } = await replay(
    deliveries,
    topology.edges ?? [],
    ctx.options,
  );
  const outFile = resolve(repoRoot, 'bench-results', 'alert-noise-notifications.jsonl');
  mkdirSync(resolve(repoRoot, 'bench-results'), { recursive: true });
  writeFileSync(
    outFile,
    sent
      .map((n) =>
        JSON.stringify({
          incident: n.incident,
          fingerprints: n.fingerprints,
          at: new Date(n.at).toISOString(),
        }),
      )
      .join('\n') + (sent.length ? '\n' : ''),
  );

  const p99 = quantile(latencies, 0.99);
  const concurrency = Number(ctx.options.concurrency ?? DEFAULT_CONCURRENCY);
  const stormDeliveries = Number(ctx.options['storm-deliveries'] ?? DEFAULT_STORM_DELIVERIES);
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new Error('alert-noise: --concurrency must be a positive integer');
  if (!Number.isInteger(stormDeliveries) || stormDeliveries < 1)
    throw new Error('alert-noise: --storm-deliveries must be a positive integer');
  const inProcess = ctx.options['in-process'] === true;
  const storm =
    ctx.options['no-storm'] === true
      ? undefined
      : await stormPhase(deliveries, topology.edges ?? [], concurrency, stormDeliveries, inProcess);
  const results: BenchResults = {
    deliveries: deliveries.length,
    notifications: sent.length,
    reduction: 1 - sent.length / Math.max(1, deliveries.length),
    ...(storm
      ? {
          ingest_per_s: storm.alertsPerSecond,
          p99_ms: storm.p99,
          grouped_p99_ms: storm.groupedP99,
          stored_p99_ms: storm.storedP99,
          p50_ms: storm.p50,
          max_ms: storm.max,
          concurrency,
          engine_in_process: inProcess ? 1 : 0,
          alerts_per_engine_cpu_s: storm.alertsPerCpuSecond,
          engine_cpu_share: storm.cpuShare,
          storm_deliveries: storm.deliveries,
          storm_alerts: storm.alerts,
        }
      : {}),
    sequential_ingest_per_s: alertCount / Math.max(busySeconds, 1e-9),
    sequential_p99_ms: p99,
    mean_notification_delay_s: meanDelaySeconds,
    inject_floor_ms: injectFloorMs,
  };
  const baselineSent = baseline(deliveries);
  results.baseline_notifications = baselineSent.length;
  results.baseline_reduction = 1 - baselineSent.length / Math.max(1, deliveries.length);
  if (hasTruth) {
    const truthAt = truthTimeline(deliveries);
    const real = new Set(
      deliveries.flatMap((d) => Object.values(d.truth ?? {})).filter((t): t is string => t !== null),
    );
    Object.assign(
      results,
      prefix('', score(sent, truthAt, real)),
      prefix('baseline_', score(baselineSent, truthAt, real)),
    );
  }
  printTable(
    `alert-noise: ${deliveries.length} deliveries, ${alertCount} alerts, replayed through POST /api/v1/alerts/webhook/alertmanager`,
    ['method', 'notifications', 'reduction', 'incident recall', 'purity', 'fragmentation', 'noise paged'],
    [
      [
        'baseline: dedup + group by service, 10 min',
        baselineSent.length,
        results.baseline_reduction!,
        results.baseline_incident_recall ?? NaN,
        results.baseline_purity ?? NaN,
        results.baseline_fragmentation ?? NaN,
        results.baseline_noise_paged ?? NaN,
      ],
      [
        'engine pipeline',
        sent.length,
        results.reduction!,
        results.incident_recall ?? NaN,
        results.purity ?? NaN,
        results.fragmentation ?? NaN,
        results.noise_paged ?? NaN,
      ],
    ],
  );
  printTable(
    `ingest, receipt to grouped and durable (${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} load average, ${os.cpus().length} cores)`,
    ['phase', 'deliveries', 'alerts/s', 'p50 ms', 'p99 ms', 'max ms'],
    [
      [
        'baseline: fastify inject, memory store, one at a time',
        deliveries.length,
        results.sequential_ingest_per_s!,
        quantile(latencies, 0.5),
        p99,
        Math.max(...latencies),
      ],
      ...(storm ? [stormRow(storm, concurrency, inProcess)] : []),
    ],
  );
  if (storm) printStorm(storm, inProcess);
  console.log(
    `mean added notification delay ${meanDelaySeconds.toFixed(1)} s; floor GET /healthz inject ${injectFloorMs.toFixed(3)} ms`,
  );
  console.log(`notifications written to ${outFile}`);
  return results;
};

type Storm = Awaited<ReturnType<typeof stormPhase>>;

function stormRow(storm: Storm, concurrency: number, inProcess: boolean): Array<string | number> {
  return [
    `storm (ingest_per_s, p99_ms): HTTP keep-alive, ${concurrency} in flight, engine ${inProcess ? "in the sender's process" : 'in its own process'}, Redis AOF fsync always`,
    storm.deliveries,
    storm.alertsPerSecond,
    storm.p50,
    storm.p99,
    storm.max,
  ];
}

function printStorm(storm: Storm, inProcess: boolean): void {
  console.log(
    `storm: the engine used ${(storm.cpuShare * 100).toFixed(0)}% of a core${inProcess ? ' (with the sender)' : ''}, ${storm.alertsPerCpuSecond.toFixed(0)} alerts per CPU second`,
  );
  console.log(
    `storm inside the engine (aicloudops_alert_ingest_seconds, p99 interpolated in its buckets): receipt to grouped ${storm.groupedP99.toFixed(2)} ms (grouped_p99_ms), receipt to stored ${storm.storedP99.toFixed(2)} ms (stored_p99_ms)`,
  );
}

async function replay(
  deliveries: Delivery[],
  edges: Array<[string, string]>,
  options: Record<string, string | boolean>,
) {
  let clock = deliveries.length > 0 ? Date.parse(deliveries[0]!.at) : Date.now();
  const overrides =
    typeof options.config === 'string'
      ? (JSON.parse(readFileSync(options.config, 'utf8')) as Record<string, unknown>)
      : {};
  const config = configSchema.parse({
    logLevel: 'fatal',
    server: { auth: { enabled: false } },
    cluster: { kind: 'simulated', injectFaults: false },
    serviceGraph: { edges: edges.map(([from, to]) => ({ from, to })) },
    // The stream's topology is the whole graph: no edges from the (synthetic demo) metrics' edge query.
    rca: { graph: { edgeQuery: '' } },
    alerts: { autoRca: false, ...overrides },
  });
  const engine = await createEngine(config, { logger: pino({ level: 'fatal' }) });
  const sent: Sent[] = [];
  const service = alertsOf(engine, {
    now: () => clock,
    onNotification: (n: Notification) =>
      sent.push({ incident: n.incident, fingerprints: n.fingerprints, at: n.at }),
  });
  const app = await buildApp(engine);
  await app.ready();
  // The server's real-time tick would fire on the virtual clock at moments that depend on the machine's speed, so the
  // same stream scored differently between runs; the replay ticks the clock itself.
  service.stop();
  const latencies: number[] = [];
  let alertCount = 0;
  let busy = 0;
  // The floor under every delivery: fastify inject of GET /healthz on the same app and machine.
  const floorStarted = performance.now();
  for (let i = 0; i < FLOOR_REQUESTS; i++) await app.inject({ method: 'GET', url: '/healthz' });
  const injectFloorMs = (performance.now() - floorStarted) / FLOOR_REQUESTS;
  let stats: Awaited<ReturnType<typeof service.stats>> | undefined;
  try {
    for (const d of deliveries) {
      const at = Date.parse(d.at);
      for (let t = clock + TICK_MS; t < at; t += TICK_MS) {
        clock = t;
        await service.tick();
      }
      clock = Math.max(clock, at);
      const started = performance.now();
      const response = await app.inject({
        method: 'POST',
        url: '/api/v1/alerts/webhook/alertmanager',
        payload: d.payload,
      });
      const elapsed = performance.now() - started;
      if (response.statusCode !== 200)
        throw new Error(`delivery at ${d.at} answered ${response.statusCode}: ${response.body}`);
      latencies.push(elapsed);
      busy += elapsed;
      alertCount += d.payload.alerts.length;
    }
    for (const end = clock + DRAIN_MS; clock < end;) {
      clock += TICK_MS;
      await service.tick();
    }
    stats = await service.stats();
  } finally {
    await app.close();
    await engine.close();
  }
  return {
    sent,
    latencies,
    alertCount,
    busySeconds: busy / 1000,
    meanDelaySeconds: stats?.meanNotificationDelaySeconds ?? 0,
    injectFloorMs,
  };
}

/**
 * The storm phase: an engine in its own process (so the sender does not share its event loop) on a fresh
 * redis-server; a warm-up of WARMUP_DELIVERIES first (compiled code, warm connections), then `total` deliveries sent
 * in stream order with `concurrency` in flight.
 */
async function stormPhase(
  deliveries: Delivery[],
  edges: Array<[string, string]>,
  concurrency: number,
  total: number,
  inProcess: boolean,
) {
  const redis = await startRedis();
  const config = {
    logLevel: 'fatal',
    server: { port: 0, auth: { enabled: false } },
    cluster: { kind: 'simulated', injectFaults: false },
    serviceGraph: { edges: edges.map(([from, to]) => ({ from, to })) },
    store: { kind: 'redis', url: redis.url, keyPrefix: 'alert-noise:' },
    alerts: { autoRca: false },
  } as const;
  const server = await startEngine(config, inProcess).catch(async (error: unknown) => {
    await redis.stop();
    throw error;
  });
  // Keep-alive connections, one request at a time on each, as Alertmanager's HTTP client sends.
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const send = (body: string) => post(agent, `${server.url}/api/v1/alerts/webhook/alertmanager`, body);
  try {
    await sendStorm(send, stormBodies(deliveries, WARMUP_DELIVERIES, 'warmup'), concurrency);
    const bodies = stormBodies(deliveries, total, 'storm');
    const histogramBefore = await ingestHistogram(server.url);
    const started = performance.now();
    const cpuBefore = server.cpuSeconds();
    const latencies = await sendStorm(send, bodies, concurrency);
    const seconds = (performance.now() - started) / 1000;
    const cpu = server.cpuSeconds() - cpuBefore;
    const alerts = bodies.reduce((n, b) => n + b.alerts, 0);
    const stats = await fetch(`${server.url}/api/v1/alerts/stats`);
    const logged = ((await stats.json()) as { deliveries: number }).deliveries;
    if (logged !== WARMUP_DELIVERIES + total)
      throw new Error(`storm: ${logged} deliveries processed, ${WARMUP_DELIVERIES + total} sent`);
    const histogramAfter = await ingestHistogram(server.url);
    const engineP99 = (stage: string) =>
      1000 * histogramQuantile(histogramBefore.get(stage) ?? [], histogramAfter.get(stage) ?? [], 0.99);
    return {
      groupedP99: engineP99('grouped'),
      storedP99: engineP99('stored'),
      deliveries: total,
      alerts,
      alertsPerSecond: alerts / seconds,
      alertsPerCpuSecond: alerts / Math.max(cpu, 0.01),
      cpuShare: cpu / seconds,
      p50: quantile(latencies, 0.5),
      p99: quantile(latencies, 0.99),
      max: Math.max(...latencies),
    };
  } finally {
    agent.destroy();
    await server.stop();
    await redis.stop();
  }
}

/** The engine under the storm: its own process by default, or (`--in-process`) a server in the bench's process. */
async function startEngine(
  config: Record<string, unknown>,
  inProcess: boolean,
): Promise<{ url: string; cpuSeconds: () => number; stop: () => Promise<void> }> {
  if (inProcess) {
    const server = await startServer({ config, logger: pino({ level: 'fatal' }) });
    // In one process the sender's CPU counts too.
    const cpuSeconds = () => ((u) => (u.user + u.system) / 1e6)(process.cpuUsage());
    return { url: server.url, cpuSeconds, stop: () => server.close() };
  }
  const children: ChildProcess[] = [];
  try {
    const engine = await spawnEngineProcess(config, children);
    return {
      url: engine.url,
      cpuSeconds: () => processCpuSeconds(engine.child.pid!),
      stop: () => stopChild(engine.child),
    };
  } catch (error) {
    for (const child of children) child.kill('SIGKILL');
    throw error;
  }
}

/**
 * CPU seconds (user + system) a process has used, from /proc: on a machine shared by many, alerts per CPU second of
 * the engine says what the code costs, independent of the share of the cores it got.
 */
function processCpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ 100 on Linux)
}

/** SIGTERM (the engine closes its server and store), SIGKILL if it has not exited within 10 s. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Cumulative bucket counts of the engine's ingest latency histogram per stage, from its /metrics. */
async function ingestHistogram(url: string): Promise<Map<string, Array<[number, number]>>> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const stages = new Map<string, Array<[number, number]>>();
  for (const match of text.matchAll(
    /^aicloudops_alert_ingest_seconds_bucket\{le="([^"]+)",stage="([^"]+)"\} (\S+)$/gm,
  )) {
    const list = stages.get(match[2]!) ?? [];
    list.push([match[1] === '+Inf' ? Infinity : Number(match[1]), Number(match[3])]);
    stages.set(match[2]!, list);
  }
  return stages;
}

/** Prometheus' histogram_quantile over the observations between two scrapes (linear within a bucket). */
function histogramQuantile(
  before: Array<[number, number]>,
  after: Array<[number, number]>,
  q: number,
): number {
  const counts = after.map(([le, n], i) => [le, n - (before[i]?.[1] ?? 0)] as [number, number]);
  const total = counts[counts.length - 1]?.[1] ?? 0;
  if (total === 0) return NaN;
  const rank = q * total;
  let lower = 0;
  let below = 0;
  for (const [le, cumulative] of counts) {
    if (cumulative >= rank)
      return le === Infinity
        ? lower
        : lower + ((le - lower) * (rank - below)) / Math.max(cumulative - below, 1);
    lower = le;
    below = cumulative;
  }
  return lower;
}

/** `total` request bodies cycling through the stream; cycle c labels its alerts storm_cycle=c so they are new alerts. */
function stormBodies(
  deliveries: Delivery[],
  total: number,
  name: string,
): Array<{ body: string; alerts: number }> {
  return Array.from({ length: total }, (_, i) => {
    const cycle = `${name}-${Math.floor(i / deliveries.length)}`;
    const payload = deliveries[i % deliveries.length]!.payload;
    const alerts = payload.alerts.map((a) => {
      const labels = { ...a.labels, storm_cycle: cycle };
      return { ...a, labels, fingerprint: labelsFingerprint(labels) };
    });
    return { body: JSON.stringify({ ...payload, alerts }), alerts: alerts.length };
  });
}

/** Sends every body with `concurrency` requests in flight; returns each delivery's send → 200 time in ms. */
async function sendStorm(
  send: (body: string) => Promise<{ status: number; text: string }>,
  bodies: Array<{ body: string }>,
  concurrency: number,
): Promise<number[]> {
  const latencies: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < bodies.length) {
      const { body } = bodies[next++]!;
      const started = performance.now();
      const response = await send(body);
      if (response.status !== 200)
        throw new Error(`storm delivery answered ${response.status}: ${response.text}`);
      latencies.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return latencies;
}

/** One POST on the keep-alive agent (node:http: no client dependency for the engine package to declare). */
function post(agent: Agent, url: string, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? 0;
}

/** fingerprint → [(time, truth)] in delivery order, so a fingerprint's truth is read as of a notification's time. */
export function truthTimeline(
  deliveries: Delivery[],
): (fingerprint: string, at: number) => string | null | undefined {
  const timeline = new Map<string, Array<[number, string | null]>>();
  for (const d of deliveries) {
    for (const [f, t] of Object.entries(d.truth ?? {})) {
      const list = timeline.get(f) ?? [];
      list.push([Date.parse(d.at), t]);
      timeline.set(f, list);
    }
  }
  return (f, at) => {
    const list = timeline.get(f);
    if (!list) return undefined;
    let found = list[0]![1];
    for (const [time, truth] of list) {
      if (time > at) break;
      found = truth;
    }
    return found;
  };
}

export function score(
  sent: Sent[],
  truthAt: (f: string, at: number) => string | null | undefined,
  realIncidents: Set<string>,
): BenchResults {
  const notifiedTruth = sent.map((n) => n.fingerprints.map((f) => truthAt(f, n.at) ?? null));
  const recalled = new Set(notifiedTruth.flat().filter((t): t is string => t !== null));
  // Majority truth per engine incident over every alert it notified.
  const byIncident = new Map<string, Array<string | null>>();
  sent.forEach((n, i) =>
    byIncident.set(n.incident, [...(byIncident.get(n.incident) ?? []), ...notifiedTruth[i]!]),
  );
  let pure = 0;
  let total = 0;
  const enginePerReal = new Map<string, Set<string>>();
  for (const [incident, truths] of byIncident) {
    const counts = new Map<string | null, number>();
    for (const t of truths) counts.set(t, (counts.get(t) ?? 0) + 1);
    const majority = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
    for (const t of truths) {
      total++;
      if (t === majority) pure++;
      if (t !== null) enginePerReal.set(t, (enginePerReal.get(t) ?? new Set()).add(incident));
    }
  }
  const noiseOnly = notifiedTruth.filter((ts) => ts.length > 0 && ts.every((t) => t === null)).length;
  const fragments = [...enginePerReal.values()].map((s) => s.size);
  const delays = sent.length;
  return {
    real_incidents: realIncidents.size,
    incident_recall:
      realIncidents.size === 0
        ? 1
        : [...realIncidents].filter((r) => recalled.has(r)).length / realIncidents.size,
    purity: total === 0 ? 1 : pure / total,
    fragmentation: fragments.length === 0 ? 0 : fragments.reduce((a, b) => a + b, 0) / fragments.length,
    noise_paged: delays === 0 ? 0 : noiseOnly / delays,
  };
}

/** Dedup by fingerprint + startsAt, then one group per service (label `service`, else alertname) open 10 minutes after its last alert. */
function baseline(deliveries: Delivery[]): Sent[] {
  const seen = new Set<string>();
  const groups = new Map<string, { id: string; last: number }>();
  const sent: Sent[] = [];
  let n = 0;
  for (const d of deliveries) {
    const at = Date.parse(d.at);
    for (const a of d.payload.alerts) {
      if (a.status !== 'firing') continue;
      const key = `${a.fingerprint}:${a.startsAt}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const service = a.labels.service ?? a.labels.alertname ?? 'unknown';
      const group = groups.get(service);
      if (group && at - group.last <= 10 * 60_000) {
        group.last = at;
        continue;
      }
      const id = `baseline-${++n}`;
      groups.set(service, { id, last: at });
      sent.push({ incident: id, fingerprints: [a.fingerprint ?? key], at });
    }
  }
  return sent;
}

function prefix(p: string, r: BenchResults): BenchResults {
  return Object.fromEntries(Object.entries(r).map(([k, v]) => [p + k, v]));
}
