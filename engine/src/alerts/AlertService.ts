import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { EngineError, fieldIssuesFromZod } from '../errors.js';
import type { Store } from '../store/Store.js';
import { AlertMetrics, compression, dedupRatio, meanDelaySeconds } from './AlertMetrics.js';
import { AlertPipeline, emptyOutput } from './AlertPipeline.js';
import { AlertRepository, logLine, type AlertLogEntry, type StoredIncident } from './AlertRepository.js';
import type { AlertsConfig } from './config.js';
import { IncidentBus, type IncidentEvent } from './IncidentBus.js';
import {
  normaliseAlertmanager,
  normaliseGeneric,
  parseTime,
  type NormalisedDelivery,
  type SkippedDeliveryAlert,
} from './ingest/normalizeAlerts.js';
import { parseWebhookFast } from './ingest/parseWebhookFast.js';
import { createNotifiers } from './notify/createNotifiers.js';
import type { NotificationMessage } from './notify/Notifier.js';
import type { RateLimitedNotifier } from './notify/RateLimitedNotifier.js';
import {
  alertmanagerWebhookSchema,
  genericAlertsBodySchema,
  suppressionSchema,
  type AlertDto,
  type AlertStats,
  type IncidentDto,
  type IngestResult,
  type SuppressionDto,
} from './schemas.js';
import { suppressionRetained, type SuppressionWindow } from './stages/SuppressionWindowStage.js';
import type {
  AlertEvent,
  AlertSource,
  Incident,
  Notification,
  PipelineOutput,
  TrackedAlert,
} from './types.js';
import type { z } from 'zod';
import type { ServiceEdge } from '../topology/ConfiguredServiceGraph.js';

const RCA_WINDOW_SECONDS = 600;
/** Ids of the windows in `alerts.suppressions`: `config-1..n` by position. */
const CONFIG_SUPPRESSION_PREFIX = 'config-';
/**
 * Group commit bounds: a batch takes at most this many deliveries and stops taking more once its log lines reach this
 * many bytes (so it exceeds it by at most one delivery, itself capped by the server's body limit). A delivery that
 * arrives behind a full batch waits for one bounded commit, never for an unbounded one.
 */
const MAX_BATCH_DELIVERIES = 256;
const MAX_BATCH_BYTES = 1 << 20;
/**
 * Commits sent and not yet answered. With AOF fsync always one commit waits ~7 ms for its fsync on this machine
 * (21 ms at load 19). Two in flight is double buffering: the next batch is processed and sent while the previous one
 * waits; more would only make batches smaller, and each commit has a fixed CPU cost. Measured with alert-noise's
 * storm at load ~5, where the engine was CPU-bound (62-110% of a core): 1 vs 2 in flight gave the same throughput
 * (3,545 / 5,267 vs 3,518 / 4,984 alerts/s in two rounds) and receipt-to-stored p99 49 / 38 vs 49 / 20 ms; it pays
 * when the fsync, not the CPU, is the wait.
 */
const MAX_INFLIGHT_COMMITS = 2;
/** The commit chain's key outlives the engine by this much, then Redis forgets it. */
const CHAIN_TTL_SECONDS = 7 * 24 * 3600;

/** A delivery waiting for the next group commit. */
interface WaitingDelivery {
  /** performance.now() when the service got it: the ingest latency histogram starts here. */
  receivedAt: number;
  normalise: (at: number) => NormalisedDelivery;
  truncatedAlerts: number;
  resolve: (result: IngestResult) => void;
  reject: (error: unknown) => void;
}

/** A delivery taken into a batch: normalised and serialised before the pipeline sees it. */
interface TakenDelivery {
  waiting: WaitingDelivery;
  at: number;
  events: AlertEvent[];
  /** Alerts of the delivery left out by the per-alert checks (listed in its 200). */
  skipped: SkippedDeliveryAlert[];
  line: string;
}

/** An alert raised inside the engine (a repair finding, an anomaly): enters through the same path as any other. */
export interface InternalAlert {
  source: Extract<AlertSource, 'repair' | 'anomaly'>;
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  status?: 'firing' | 'resolved';
  /** Unix ms; defaults to now. */
  startsAt?: number;
  endsAt?: number;
}

export interface AlertServiceOptions {
  store: Store;
  config: AlertsConfig;
  logger?: Logger;
  /** The service graph (configured, or RCA's) read at start. */
  edges: () => Promise<ServiceEdge[]>;
  /** prom-client registry for /metrics. */
  registry?: Registry;
  /** Starts an RCA for a paged incident; returns its id (the RCA job id). */
  startRca?: (request: {
    alert: { labels: Record<string, string> };
    target: { service: string };
    window: { start: number; end: number };
  }) => Promise<string>;
  /** Unix ms; the benchmark drives a virtual clock through it. */
  now?: () => number;
  /** Called with every notification (the benchmark records them). */
  onNotification?: (notification: Notification) => void;
}

/**
 * Unified alerting as a service: every ingest is validated, fed to the pipeline and committed to the durable log
 * with what it changed before the caller gets its answer. Ingest is serialised and group-committed: deliveries that
 * arrive while a batch is being written wait and go into the next batch together, which the pipeline ingests in
 * arrival order and the store writes in one atomic commit (log lines in processing order, notifications interleaved
 * where they happened), so a replay after a restart rebuilds exactly the same incidents. If a commit fails, nothing of
 * the batch is stored and the in-memory pipeline is rebuilt from the log before the next step: every caller of the
 * batch gets the error, and a re-send is processed as new, never as a duplicate of something unstored.
 */
export class AlertService {
  private pipeline!: AlertPipeline;
  private readonly repo: AlertRepository;
  readonly bus: IncidentBus;
  private readonly notifiers: RateLimitedNotifier[];
  private readonly now: () => number;
  private queue: Promise<unknown> = Promise.resolve();
  /** Batch commits sent and not yet answered, oldest first. */
  private inflight: Array<Promise<unknown>> = [];
  /**
   * Each commit is applied only if the one before it was (an `expect` on this key): a commit sent behind one that
   * failed is refused too, so the log never holds a batch without the batches it was computed on. A rebuild starts a
   * new epoch, which also refuses any commit of the old chain still on its way.
   */
  private chain: { key: string; epoch: string; seq: number } | undefined;
  private readonly chainKey = `alerts:commit-chain:${randomUUID().slice(0, 8)}`;
  private timer: NodeJS.Timeout | undefined;
  private started: Promise<void> | undefined;
  private waiting: WaitingDelivery[] = [];
  private draining = false;
  private metrics: AlertMetrics | undefined;
  /** The logged service graph in force (edgesKey), and when it was last read. */
  private topologyKey: string | undefined;
  private topologyReadAt = -Infinity;
  /** POST /alerts/suppressions' body with the rules on this service's clock (endsAt ahead, startsAt not too far). */
  private readonly suppressionRequest: ReturnType<typeof suppressionSchema>;

  constructor(private readonly options: AlertServiceOptions) {
    this.repo = new AlertRepository(options.store);
    this.bus = new IncidentBus(options.store, options.logger);
    this.notifiers = createNotifiers(options.config.notify.webhooks, options.logger);
    this.now = options.now ?? Date.now;
    this.suppressionRequest = suppressionSchema({ source: 'api', now: this.now });
  }

  /** Rebuilds the pipeline from the log (after a restart), then ticks the clock. Idempotent. */
  async start(options: { tick?: boolean } = {}): Promise<void> {
    // A failed rebuild (the store is down) is retried by the next caller instead of failing every later one.
    await (this.started ??= this.restore().catch((error: unknown) => {
      this.started = undefined;
      throw error;
    }));
    if (options.tick !== false && !this.timer) {
      this.timer = setInterval(
        () => void this.tick().catch(() => undefined),
        this.options.config.tickSeconds * 1000,
      );
      this.timer.unref();
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    for (const n of this.notifiers) n.stop();
  }

  /** POST body of an Alertmanager webhook (payload version 4). */
  ingestAlertmanager(body: unknown, options: { validated?: boolean } = {}): Promise<IngestResult> {
    // The HTTP route validated with the same schema already; parsing twice would cost ingest throughput.
    const parsed = options.validated
      ? (body as z.output<typeof alertmanagerWebhookSchema>)
      : (parseWebhookFast(body) ?? parseBody(alertmanagerWebhookSchema, body));
    return this.accept((at) => normaliseAlertmanager(parsed, at), parsed.truncatedAlerts);
  }

  ingestGeneric(body: unknown, options: { validated?: boolean } = {}): Promise<IngestResult> {
    const parsed = options.validated
      ? (body as z.output<typeof genericAlertsBodySchema>)
      : parseBody(genericAlertsBodySchema, body);
    return this.accept((at) => normaliseGeneric(parsed.alerts, at));
  }

  /** Events already normalised (the Prometheus poller). */
  ingestEvents(events: (at: number) => AlertEvent[]): Promise<IngestResult> {
    return this.accept((at) => ({ events: events(at), skipped: [] }));
  }

  /** The internal API: repair findings and anomaly alerts become first-class alerts. */
  raise(alert: InternalAlert): Promise<IngestResult> {
    const labels = { ...alert.labels, alert_source: alert.source };
    const parsed = parseBody(genericAlertsBodySchema, {
      alerts: [
        { labels, annotations: alert.annotations ?? {}, ...(alert.status ? { status: alert.status } : {}) },
      ],
    });
    return this.accept((at) => {
      const { events, skipped } = normaliseGeneric(parsed.alerts, at, alert.source);
      // An engine-raised alert over the limits is a bug of its raiser: refused, not skipped.
      if (skipped.length > 0) {
        const issues = skipped.flatMap((s) => s.issues);
        throw new EngineError(
          'INVALID_INPUT',
          `invalid alert payload: ${issues[0]!.field}: ${issues[0]!.message}`,
          {
            issues,
          },
        );
      }
      return {
        events: events.map(({ startsAtUnset, ...e }) => ({
          ...e,
          ...(alert.startsAt !== undefined ? { startsAt: alert.startsAt } : { startsAt: at, startsAtUnset }),
          ...(alert.endsAt !== undefined ? { endsAt: alert.endsAt } : {}),
        })),
        skipped: [],
      };
    });
  }

  /** Advances the clock: releases incidents whose thresholds passed, resolves expired alerts. */
  async tick(): Promise<void> {
    await this.refreshTopology();
    return this.serial(async () => {
      const at = this.now();
      await this.apply(this.pipeline.tick(at), at);
    });
  }

  /** Every `topologyRefreshSeconds`, the service graph is read again (new calls, a stored graph) and adopted. */
  private async refreshTopology(): Promise<void> {
    const at = this.now();
    if (at - this.topologyReadAt < this.options.config.topologyRefreshSeconds * 1000) return;
    this.topologyReadAt = at;
    const edges = await this.options.edges().catch((error: unknown) => {
      this.options.logger?.warn(
        { err: error },
        'service graph not read; alerts keep grouping along the last one',
      );
      return undefined;
    });
    if (edges) await this.serial(() => this.adoptTopology(this.pipeline, edges, at));
  }

  /** A graph that differs from the one in force is logged first, so a replay switches where the live run did. */
  private async adoptTopology(pipeline: AlertPipeline, edges: ServiceEdge[], at: number): Promise<void> {
    const key = edgesKey(edges);
    if (key === this.topologyKey) return;
    await this.repo.append({ t: 'topology', at, edges });
    pipeline.setTopology(edges);
    this.topologyKey = key;
  }

  acknowledge(id: string, by: string): Promise<IncidentDto> {
    return this.serial(async () => {
      const at = this.now();
      this.requireIncident(id);
      await this.repo.append({ t: 'ack', at, incident: id, by });
      const incident = this.pipeline.acknowledge(id, by, at)!;
      await this.apply({ ...emptyOutput(), changedIncidents: new Set([id]) }, at, 'acknowledged');
      return this.toDto(incident);
    });
  }

  resolve(id: string, by: string): Promise<IncidentDto> {
    return this.serial(async () => {
      const at = this.now();
      this.requireIncident(id);
      await this.repo.append({ t: 'resolve', at, incident: id, by });
      const incident = this.pipeline.resolveIncident(id, at)!;
      await this.apply({ ...emptyOutput(), changedIncidents: new Set([id]) }, at, 'resolved');
      return this.toDto(incident);
    });
  }

  addSuppression(body: unknown): Promise<SuppressionDto> {
    // The route checked the body already, except for the rules on the clock: this service's (virtual in the benchmark).
    const parsed = parseBody(this.suppressionRequest, body);
    const window: SuppressionWindow = {
      id: `sup-${randomUUID().slice(0, 8)}`,
      kind: parsed.kind,
      matchers: parsed.matchers,
      startsAt: parseTime(parsed.startsAt)!,
      endsAt: parseTime(parsed.endsAt)!,
      reason: parsed.reason,
    };
    return this.serial(async () => {
      this.pipeline.addSuppression(window); // validates the matchers before anything is written
      await this.repo.append({ t: 'suppression', at: this.now(), window });
      return suppressionDto(window, this.now());
    });
  }

  /**
   * Ends a suppression window now (Alertmanager's silence expiry): alerts it muted may page again, and it stays listed
   * as expired. Ending one that already ended changes nothing; an unknown id is 404.
   */
  expireSuppression(id: string): Promise<SuppressionDto> {
    return this.serial(async () => {
      const at = this.now();
      const window = this.keptSuppressions(at).find((w) => w.id === id);
      if (!window) throw new EngineError('NOT_FOUND', `suppression ${id} not found`);
      // A config window's id is its position in the config: an expiry logged by id would end another window once the
      // config is reordered. The config owns it.
      if (window.id.startsWith(CONFIG_SUPPRESSION_PREFIX))
        throw new EngineError(
          'CONFLICT',
          `suppression ${id} is defined in the config: edit alerts.suppressions in the config to end it`,
        );
      if (window.endsAt <= at) return suppressionDto(window, at);
      await this.repo.append({ t: 'suppression-expired', at, id });
      const expired = this.pipeline.expireSuppression(id, at)!;
      // Incidents held by the window are released at once, not at the next tick.
      await this.apply(this.pipeline.tick(at), at);
      return suppressionDto(expired, at);
    });
  }

  /** Pending, active and expired windows, the expired ones until SUPPRESSION_RETENTION_MS (120 h) after they ended. */
  async suppressions(): Promise<SuppressionDto[]> {
    await this.start({ tick: false });
    const now = this.now();
    return this.keptSuppressions(now).map((w) => suppressionDto(w, now));
  }

  /**
   * The windows kept at `now`, filtered here, not only when the stage sweeps: the list and a DELETE answer the same
   * whether or not an alert has moved the stage's clock since (and the same after a replay of the log).
   */
  private keptSuppressions(now: number): SuppressionWindow[] {
    return this.pipeline.suppressions().filter((w) => suppressionRetained(w, now));
  }

  /** Incidents from the store (so every replica answers alike), newest first, with alerts and merge reasons. */
  async listIncidents(
    query: { status?: 'open' | 'resolved' | 'all'; limit?: number } = {},
  ): Promise<IncidentDto[]> {
    const all = (await this.repo.incidents())
      .filter((i) => !query.status || query.status === 'all' || i.status === query.status)
      .sort((a, b) => b.openedAt - a.openedAt)
      .slice(0, query.limit ?? 100);
    return Promise.all(all.map((i) => this.storedDto(i)));
  }

  async getIncident(id: string): Promise<IncidentDto> {
    const stored = await this.repo.incident(id);
    if (!stored) throw new EngineError('NOT_FOUND', `incident ${id} not found`);
    return this.storedDto(stored);
  }

  async listAlerts(
    query: { status?: 'firing' | 'resolved' | 'all'; limit?: number } = {},
  ): Promise<AlertDto[]> {
    return (await this.repo.alerts())
      .filter((a) => !query.status || query.status === 'all' || a.status === query.status)
      .sort((a, b) => b.lastSeenAt - a.lastSeenAt)
      .slice(0, query.limit ?? 500)
      .map((a) => alertDto(a));
  }

  async stats(): Promise<AlertStats> {
    await this.start({ tick: false });
    const s = this.pipeline.stats();
    return {
      deliveries: s.deliveries,
      alerts: s.alerts,
      accepted: s.accepted,
      duplicates: s.duplicates,
      stale: s.stale,
      incidents: s.incidents,
      notifications: s.notifications,
      truncatedAlerts: s.truncatedAlerts,
      compression: compression(s),
      dedupRatio: dedupRatio(s),
      meanNotificationDelaySeconds: meanDelaySeconds(s),
    };
  }

  /** The live pipeline, for the benchmark's per-incident scoring (read only). */
  get state(): AlertPipeline {
    return this.pipeline;
  }

  /** Builds the pipeline from the config and the log; readers keep the previous one until the new one is complete. */
  private async restore(): Promise<void> {
    const current = await this.options.edges();
    const log = await this.repo.readLog();
    // A log that records its topology replays along it; an older one along today's graph, as it always did.
    const logged = log.findLast((e): e is Extract<AlertLogEntry, { t: 'topology' }> => e.t === 'topology');
    const pipeline = new AlertPipeline(this.options.config, logged ? logged.edges : current);
    for (const [i, s] of this.options.config.suppressions.entries()) {
      pipeline.addSuppression({
        id: `${CONFIG_SUPPRESSION_PREFIX}${i + 1}`,
        kind: s.kind,
        matchers: s.matchers,
        startsAt: Date.parse(s.startsAt),
        endsAt: Date.parse(s.endsAt),
        reason: s.reason,
      });
    }
    // The new epoch is written before the log is read: on the one connection, every commit of the old chain either
    // came before it (and is in the log read below) or comes after it and is refused.
    const epoch = randomUUID().slice(0, 8);
    await this.options.store.set(this.chainKey, `${epoch}:0`, { ttlSeconds: CHAIN_TTL_SECONDS });
    this.chain = { key: this.chainKey, epoch, seq: 0 };
    pipeline.replaying = true;
    for (const entry of log) replayEntry(pipeline, entry);
    pipeline.replaying = false;
    this.topologyKey = logged ? edgesKey(logged.edges) : undefined;
    this.topologyReadAt = this.now();
    await this.adoptTopology(pipeline, current, this.topologyReadAt);
    this.pipeline = pipeline;
    if (this.options.registry && !this.metrics)
      this.metrics = new AlertMetrics(this.options.registry, () => this.pipeline.stats());
    if (log.length > 0)
      this.options.logger?.info(
        { entries: log.length, incidents: pipeline.incidents.size },
        'alerting state rebuilt from the log',
      );
  }

  /** After a failed commit the pipeline may hold what the store does not: the next step rebuilds it from the log. */
  private invalidate(epoch?: string): void {
    // A late failure of a commit from before the last rebuild says nothing about the rebuilt pipeline.
    if (epoch === undefined || epoch === this.chain?.epoch) this.started = undefined;
  }

  private accept(normalise: (at: number) => NormalisedDelivery, truncatedAlerts = 0): Promise<IngestResult> {
    return new Promise<IngestResult>((resolve, reject) => {
      this.waiting.push({ receivedAt: performance.now(), normalise, truncatedAlerts, resolve, reject });
      this.scheduleBatch();
    });
  }

  /**
   * One batch at a time in the serial queue, so ticks, acks and suppressions interleave between batches. The batch is
   * taken one event-loop turn later (setImmediate runs after the poll phase), so every delivery whose request was read
   * in the same turn joins it: taken at once, half the batches of alert-noise's storm held a single delivery (362 of
   * 728 commits), and each commit costs the engine its socket writes and reads to Redis whatever its size.
   */
  private scheduleBatch(): void {
    if (this.draining || this.waiting.length === 0) return;
    this.draining = true;
    void this.serial(() => nextTurn().then(() => this.ingestBatch()), { pipelined: true })
      .catch((error: unknown) => {
        // The pipeline could not start (the store is down): everyone waiting gets the error, none of it was stored.
        for (const w of this.waiting.splice(0)) w.reject(error);
      })
      .finally(() => {
        this.draining = false;
        this.scheduleBatch();
      });
  }

  /**
   * Processes a batch and sends its commit without waiting for it (up to MAX_INFLIGHT_COMMITS): its callers are
   * answered once it is stored. A batch that opens incidents with automatic RCA waits for its commit here, so the
   * RCA links are written while memory and store agree.
   */
  private async ingestBatch(): Promise<void> {
    const batch = this.takeBatch();
    if (batch.length === 0) return;
    const epoch = this.chain?.epoch;
    const merged = emptyOutput();
    const lines: string[] = [];
    let results: IngestResult[];
    let stored: Promise<void>;
    try {
      results = batch.map((d) => this.ingestOne(d, merged, lines));
      stored = this.send(lines, merged);
    } catch (error) {
      this.invalidate(epoch);
      for (const d of batch) d.waiting.reject(error);
      return;
    }
    const at = batch[batch.length - 1]!.at;
    const done = stored
      .then(() => this.afterCommit(merged, at))
      .then(
        () => {
          const now = performance.now();
          for (const d of batch) this.metrics?.observeIngest('stored', (now - d.waiting.receivedAt) / 1000);
          batch.forEach((d, i) => d.waiting.resolve(results[i]!));
        },
        (error: unknown) => {
          this.invalidate(epoch);
          for (const d of batch) d.waiting.reject(error);
        },
      );
    const settled = done.finally(() => this.inflight.splice(this.inflight.indexOf(settled), 1));
    this.inflight.push(settled);
    if (this.needsRca(merged)) await done;
    else if (this.inflight.length >= MAX_INFLIGHT_COMMITS) await this.inflight[0];
  }

  /** Every batch commit sent so far answered (other steps write outside the chain and read memory as stored). */
  private async drain(): Promise<void> {
    while (this.inflight.length > 0) await Promise.allSettled([...this.inflight]);
  }

  private needsRca(out: PipelineOutput): boolean {
    return Boolean(
      this.options.config.autoRca &&
      this.options.startRca &&
      out.notifications.some((n) => n.kind === 'opened'),
    );
  }

  /** Takes waiting deliveries in arrival order up to the batch bounds, normalising and serialising each. */
  private takeBatch(): TakenDelivery[] {
    const taken: TakenDelivery[] = [];
    let bytes = 0;
    let i = 0;
    for (; i < this.waiting.length && taken.length < MAX_BATCH_DELIVERIES && bytes < MAX_BATCH_BYTES; i++) {
      const waiting = this.waiting[i]!;
      try {
        const at = this.now();
        const { events, skipped } = waiting.normalise(at);
        for (const s of skipped) this.metrics?.noteSkipped(s.reason);
        const line = logLine({
          t: 'delivery',
          at,
          events,
          ...(waiting.truncatedAlerts ? { truncatedAlerts: waiting.truncatedAlerts } : {}),
        });
        bytes += line.length;
        taken.push({ waiting, at, events, skipped, line });
      } catch (error) {
        waiting.reject(error);
      }
    }
    this.waiting.splice(0, i);
    return taken;
  }

  /** Feeds one delivery to the pipeline; its log line and its notifications' lines go out in processing order. */
  private ingestOne(d: TakenDelivery, merged: PipelineOutput, lines: string[]): IngestResult {
    const before = this.pipeline.duplicates();
    const out = this.pipeline.ingest(d.events, d.at, { truncatedAlerts: d.waiting.truncatedAlerts });
    this.metrics?.observeIngest('grouped', (performance.now() - d.waiting.receivedAt) / 1000);
    lines.push(d.line, ...notifiedLines(out));
    for (const id of out.changedIncidents) merged.changedIncidents.add(id);
    for (const f of out.changedAlerts) merged.changedAlerts.add(f);
    merged.notifications.push(...out.notifications);
    merged.joined.push(...out.joined);
    const duplicates = this.pipeline.duplicates() - before;
    return {
      received: d.events.length + d.skipped.length,
      accepted: out.changedAlerts.size,
      duplicates,
      incidents: [...out.changedIncidents],
      skipped: d.skipped.map(({ index, fingerprint, issues }) => ({
        index,
        ...(fingerprint !== undefined ? { fingerprint } : {}),
        issues,
      })),
    };
  }

  /** Persists what a pipeline step changed, records and sends its notifications, publishes to the stream. */
  private async apply(out: PipelineOutput, at: number, eventType?: string): Promise<void> {
    try {
      await this.commit(notifiedLines(out), out, at, eventType);
    } catch (error) {
      this.invalidate();
      throw error;
    }
  }

  /**
   * One atomic store write for a step (log lines, changed incidents and alerts, joined members, notifications); only
   * once it is stored do RCAs start, notifications go out and the stream hears of it.
   */
  private async commit(lines: string[], out: PipelineOutput, at: number, eventType?: string): Promise<void> {
    await this.send(lines, out);
    await this.afterCommit(out, at, eventType);
  }

  /**
   * Sends the next commit of the chain. Everything up to the store's send is synchronous, so commits reach the store
   * in processing order, each with a snapshot of what its step changed.
   */
  private send(lines: string[], out: PipelineOutput): Promise<void> {
    const chain = this.chain!;
    const expected = `${chain.epoch}:${chain.seq}`;
    chain.seq += 1;
    const incidents = [...out.changedIncidents].map((id) => this.pipeline.incidents.get(id)!);
    const alerts = [...out.changedAlerts].map((f) => this.pipeline.alerts.get(f)!);
    const link = {
      key: chain.key,
      expected,
      next: `${chain.epoch}:${chain.seq}`,
      ttlSeconds: CHAIN_TTL_SECONDS,
    };
    return this.repo.commit({
      lines,
      incidents,
      alerts,
      joined: out.joined,
      notifications: out.notifications,
      chain: link,
    });
  }

  /** Once a step is stored: its RCAs start, its notifications go out and the stream hears of it. */
  private async afterCommit(out: PipelineOutput, at: number, eventType?: string): Promise<void> {
    const incidents = [...out.changedIncidents].map((id) => this.pipeline.incidents.get(id)!);
    await this.startRcas(
      out.notifications.filter((n) => n.kind === 'opened'),
      at,
    );
    for (const n of out.notifications) this.deliver(n);
    this.bus.publish(
      ...incidents.map((incident) => this.event(incident, eventType ?? kindOf(incident, out), at)),
    );
  }

  /**
   * With automatic RCA on, starts an RCA for each newly opened incident, on the first of its alerts that names a
   * service (rcaLead). An incident with no such alert (a NotReady node alone) gets no RCA, since RCA analyses a
   * service's signals and fails on a node; the reason is recorded in its rcaSkipped instead, so the incident says why
   * it has none. The RCA ids and skip reasons are stored (log lines + incidents) in one write, so a replay after a
   * restart shows them as the live run did.
   */
  private async startRcas(opened: Notification[], at: number): Promise<void> {
    if (opened.length === 0 || !this.options.config.autoRca || !this.options.startRca) return;
    const changed: Incident[] = [];
    const lines: string[] = [];
    for (const n of opened) {
      const incident = this.pipeline.incidents.get(n.incident)!;
      const lead = this.rcaLead(n, incident);
      if (!lead) {
        const reason = `no automatic RCA: ${incidentSubject(incident, this.pipeline)} is not a service, and no alert of the incident names one`;
        incident.rcaSkipped = reason;
        changed.push(incident);
        lines.push(logLine({ t: 'rca-skipped', at, incident: incident.id, reason }));
      } else if (await this.startRca(incident, lead, at)) {
        changed.push(incident);
        lines.push(logLine({ t: 'rca', at, incident: incident.id, rcaId: incident.rcaId! }));
      }
    }
    if (changed.length === 0) return;
    try {
      await this.repo.commit({ lines, incidents: changed, alerts: [], joined: [] });
    } catch (error) {
      this.options.logger?.warn(
        { err: error instanceof Error ? error.message : String(error) },
        'automatic RCA links were not stored',
      );
    }
  }

  /**
   * The alert an automatic RCA analyses, with the service it targets: the first paging alert if it names a service,
   * else the first of the incident's alerts that does. RCA analyses a service's signals; a node (a repair finding on
   * a NotReady node, a KubeNodeNotReady) is none, and an RCA on it failed `no series or workload named "<node>"`.
   */
  private rcaLead(n: Notification, incident: Incident): { alert: TrackedAlert; service: string } | undefined {
    const fingerprints = [...n.fingerprints, ...incident.members.map((m) => m.fingerprint)];
    for (const fingerprint of fingerprints) {
      const alert = this.pipeline.alerts.get(fingerprint);
      const service = alert ? this.pipeline.subjectOf(alert).service : undefined;
      if (alert && service) return { alert, service };
    }
    return undefined;
  }

  private async startRca(
    incident: Incident,
    lead: { alert: TrackedAlert; service: string },
    at: number,
  ): Promise<boolean> {
    try {
      // The window covers the onset with at least RCA_WINDOW_SECONDS before now, so RCA has a baseline to compare.
      const end = Math.floor(at / 1000);
      const start = Math.min(Math.floor(lead.alert.startsAt / 1000), end - RCA_WINDOW_SECONDS);
      const rcaId = await this.options.startRca!({
        alert: { labels: lead.alert.labels },
        // The service the pipeline read from the labels (its service labels, the owner chain), not RCA's own reading.
        target: { service: lead.service },
        window: { start, end },
      });
      this.pipeline.linkRca(incident.id, rcaId);
      return true;
    } catch (error) {
      this.options.logger?.warn(
        { err: error instanceof Error ? error.message : String(error), incident: incident.id },
        'automatic RCA did not start',
      );
      return false;
    }
  }

  private deliver(n: Notification): void {
    this.options.onNotification?.(n);
    if (this.notifiers.length === 0) return;
    const message = this.message(n);
    for (const notifier of this.notifiers) void notifier.send(message);
  }

  private message(n: Notification): NotificationMessage {
    const incident = this.pipeline.incidents.get(n.incident)!;
    const byFingerprint = new Map(incident.members.map((m) => [m.fingerprint, m.reason]));
    return {
      kind: n.kind,
      incident: {
        id: incident.id,
        title: incident.title,
        severity: incident.severity,
        services: incident.services,
        ...(incident.rcaId ? { rcaId: incident.rcaId } : {}),
      },
      fingerprints: n.fingerprints,
      alerts: n.fingerprints.map((f) => {
        const alert = this.pipeline.alerts.get(f);
        const service = alert ? this.pipeline.subjectOf(alert).service : undefined;
        return {
          fingerprint: f,
          alertname: alert?.labels.alertname ?? f,
          ...(service ? { service } : {}),
          ...(alert?.annotations.summary ? { summary: alert.annotations.summary } : {}),
          reason: byFingerprint.get(f)?.detail ?? '',
        };
      }),
      at: new Date(n.at).toISOString(),
    };
  }

  private event(incident: Incident, type: string, at: number): IncidentEvent {
    return {
      type,
      incident: {
        id: incident.id,
        status: incident.status,
        title: incident.title,
        severity: incident.severity,
        services: incident.services,
        alertCount: incident.members.length,
        ...(incident.notifiedAt !== undefined ? { notifiedAt: iso(incident.notifiedAt) } : {}),
        ...(incident.rcaId ? { rcaId: incident.rcaId } : {}),
      },
      at: iso(at),
    };
  }

  private requireIncident(id: string): void {
    if (!this.pipeline.incidents.has(id)) throw new EngineError('NOT_FOUND', `incident ${id} not found`);
  }

  private async storedDto(stored: StoredIncident): Promise<IncidentDto> {
    const members = await this.repo.members(stored.id);
    const alerts = await this.repo.alertsByFingerprint([...new Set(members.map((m) => m.fingerprint))]);
    return incidentDto(
      stored,
      members.map((m) => ({ ...m, alert: alerts.get(m.fingerprint) })),
      this.now(),
      (a) => this.pipeline?.muteOf(a, this.now()),
    );
  }

  private toDto(incident: Incident): IncidentDto {
    const now = this.now();
    return incidentDto(
      incident,
      incident.members.map((m) => ({ ...m, alert: this.pipeline.alerts.get(m.fingerprint) })),
      now,
      (a) => this.pipeline.muteOf(a, now),
    );
  }

  /** Steps run one at a time; all but batches first wait for the batch commits in flight. */
  private serial<T>(work: () => Promise<T>, options: { pipelined?: boolean } = {}): Promise<T> {
    const run = this.queue.then(async () => {
      if (!options.pipelined) await this.drain();
      await this.start({ tick: false });
      return work();
    });
    this.queue = run.catch(() => undefined);
    return run;
  }
}

function replayEntry(pipeline: AlertPipeline, entry: AlertLogEntry): void {
  switch (entry.t) {
    case 'delivery':
      pipeline.ingest(
        entry.events,
        entry.at,
        entry.truncatedAlerts ? { truncatedAlerts: entry.truncatedAlerts } : {},
      );
      return;
    case 'notified':
      if (entry.kind === 'updated') pipeline.markUpdated(entry.incident, entry.fingerprints, entry.at);
      else if (entry.kind === 'resolved') pipeline.markResolvedNotice();
      else pipeline.markNotified(entry.incident, entry.at);
      return;
    case 'ack':
      pipeline.acknowledge(entry.incident, entry.by, entry.at);
      return;
    case 'resolve':
      pipeline.resolveIncident(entry.incident, entry.at);
      return;
    case 'suppression':
      pipeline.addSuppression(entry.window);
      return;
    case 'suppression-expired':
      // An expiry of a config window logged before DELETE refused them names a position in the config, which may
      // now be another window: the config owns its windows.
      if (!entry.id.startsWith(CONFIG_SUPPRESSION_PREFIX)) pipeline.expireSuppression(entry.id, entry.at);
      return;
    case 'rca':
      pipeline.linkRca(entry.incident, entry.rcaId);
      return;
    case 'rca-skipped': {
      const incident = pipeline.incidents.get(entry.incident);
      if (incident) incident.rcaSkipped = entry.reason;
      return;
    }
    case 'topology':
      pipeline.setTopology(entry.edges);
      return;
  }
}

/** What an incident with no service is about, for the reason its RCA was not started: its node, else its title. */
function incidentSubject(incident: Incident, pipeline: AlertPipeline): string {
  for (const { fingerprint } of incident.members) {
    const alert = pipeline.alerts.get(fingerprint);
    const node = alert ? pipeline.subjectOf(alert).node : undefined;
    if (node) return `node ${node}`;
  }
  return `"${incident.title}"`;
}

/** The same graph gives the same key whatever the order its edges came in. */
function edgesKey(edges: ServiceEdge[]): string {
  return JSON.stringify(edges.map((e) => `${e.namespace ?? ''}\u0000${e.from}\u0000${e.to}`).sort());
}

/** The log lines of a step's notifications, so a replay marks them paged at the point they were sent. */
function notifiedLines(out: PipelineOutput): string[] {
  return out.notifications.map((n) =>
    logLine({ t: 'notified', at: n.at, incident: n.incident, fingerprints: n.fingerprints, kind: n.kind }),
  );
}

function kindOf(incident: Incident, out: PipelineOutput): string {
  if (out.notifications.some((n) => n.incident === incident.id)) return 'notified';
  if (incident.status === 'resolved') return 'resolved';
  if (incident.members.length === 1 && out.joined.some((j) => j.incidentId === incident.id)) return 'opened';
  return 'updated';
}

function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issues = fieldIssuesFromZod(parsed.error.issues, 'body');
    throw new EngineError(
      'INVALID_INPUT',
      `invalid alert payload: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`,
      { issues },
    );
  }
  return parsed.data;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Resolves after the event loop's current poll phase (the requests read in this turn have been handled). */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

function alertDto(a: TrackedAlert, muted?: TrackedAlert['muted']): AlertDto {
  return {
    fingerprint: a.fingerprint,
    status: a.status,
    labels: a.labels,
    annotations: a.annotations,
    startsAt: iso(a.startsAt),
    ...(a.endsAt !== undefined ? { endsAt: iso(a.endsAt) } : {}),
    source: a.source,
    ...(a.groupKey ? { groupKey: a.groupKey } : {}),
    flapping: a.flapping,
    ...(muted ? { muted } : {}),
    ...(a.incidentId ? { incidentId: a.incidentId } : {}),
    ...(a.merge ? { merge: a.merge } : {}),
    firstSeenAt: iso(a.firstSeenAt),
    lastSeenAt: iso(a.lastSeenAt),
  };
}

function incidentDto(
  i: StoredIncident,
  members: Array<{
    fingerprint: string;
    reason: IncidentDto['alerts'][number]['reason'];
    alert: TrackedAlert | undefined;
  }>,
  _now: number,
  muteOf: (a: TrackedAlert) => TrackedAlert['muted'] | undefined,
): IncidentDto {
  return {
    id: i.id,
    status: i.status,
    title: i.title,
    severity: i.severity,
    openedAt: iso(i.openedAt),
    updatedAt: iso(i.updatedAt),
    ...(i.resolvedAt !== undefined ? { resolvedAt: iso(i.resolvedAt) } : {}),
    ...(i.notifiedAt !== undefined ? { notifiedAt: iso(i.notifiedAt) } : {}),
    ...(i.acknowledgedAt !== undefined ? { acknowledgedAt: iso(i.acknowledgedAt) } : {}),
    ...(i.acknowledgedBy ? { acknowledgedBy: i.acknowledgedBy } : {}),
    services: i.services,
    ...(i.rcaId ? { rcaId: i.rcaId } : {}),
    ...(i.rcaSkipped ? { rcaSkipped: i.rcaSkipped } : {}),
    truncatedAlerts: i.truncatedAlerts,
    ...(i.heldBecause ? { heldBecause: i.heldBecause } : {}),
    alerts: members
      .filter((m) => m.alert)
      .map((m) => ({
        ...alertDto(m.alert!, m.alert!.status === 'firing' ? muteOf(m.alert!) : undefined),
        reason: m.reason,
      })),
  };
}

function suppressionDto(w: SuppressionWindow, now: number): SuppressionDto {
  return {
    id: w.id,
    kind: w.kind,
    matchers: w.matchers,
    startsAt: iso(w.startsAt),
    endsAt: iso(w.endsAt),
    reason: w.reason,
    status: now < w.startsAt ? 'pending' : now < w.endsAt ? 'active' : 'expired',
    ...(w.expiredAt !== undefined ? { expiredAt: iso(w.expiredAt) } : {}),
  };
}
