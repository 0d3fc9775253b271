import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { EngineError, fieldIssuesFromZod } from '../errors.js';
import type { Store } from '../store/Store.js';
import { AlertMetrics, compression, dedupRatio, meanDelaySeconds } from './AlertMetrics.js';
import { AlertPipeline, emptyOutput } from './AlertPipeline.js';
import { AlertRepository, type AlertLogEntry, type StoredIncident } from './AlertRepository.js';
import type { AlertsConfig } from './config.js';
import { IncidentBus, type IncidentEvent } from './IncidentBus.js';
import { fromAlertmanager, fromGeneric, parseTime } from './ingest/normalizeAlerts.js';
import { createNotifiers } from './notify/createNotifiers.js';
import type { NotificationMessage } from './notify/Notifier.js';
import type { RateLimitedNotifier } from './notify/RateLimitedNotifier.js';
import {
  alertmanagerWebhookSchema,
  genericAlertsBodySchema,
  suppressionBodySchema,
  type AlertDto,
  type AlertStats,
  type IncidentDto,
  type IngestResult,
  type SuppressionDto,
} from './schemas.js';
import type { SuppressionWindow } from './stages/SuppressionWindowStage.js';
import type { AlertEvent, AlertSource, Incident, Notification, PipelineOutput, TrackedAlert } from './types.js';
import type { z } from 'zod';

const RCA_WINDOW_SECONDS = 600;

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
  edges: () => Promise<Array<{ from: string; to: string }>>;
  /** prom-client registry for /metrics. */
  registry?: Registry;
  /** Starts an RCA for a paged incident; returns its id (the RCA job id). */
  startRca?: (request: { alert: { labels: Record<string, string> }; window: { start: number; end: number } }) => Promise<string>;
  /** Unix ms; the benchmark drives a virtual clock through it. */
  now?: () => number;
  /** Called with every notification (the benchmark records them). */
  onNotification?: (notification: Notification) => void;
}

/**
 * Unified alerting as a service: every ingest is validated, appended to the durable log, then fed to the pipeline,
 * and what changed is persisted before the caller gets its answer. Ingest is serialised (one delivery at a time) so
 * the log order is the processing order and a replay after a restart rebuilds exactly the same incidents.
 */
export class AlertService {
  private pipeline!: AlertPipeline;
  private readonly repo: AlertRepository;
  readonly bus: IncidentBus;
  private readonly notifiers: RateLimitedNotifier[];
  private readonly now: () => number;
  private queue: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private started: Promise<void> | undefined;

  constructor(private readonly options: AlertServiceOptions) {
    this.repo = new AlertRepository(options.store);
    this.bus = new IncidentBus(options.store, options.logger);
    this.notifiers = createNotifiers(options.config.notify.webhooks, options.logger);
    this.now = options.now ?? Date.now;
  }

  /** Rebuilds the pipeline from the log (after a restart), then ticks the clock. Idempotent. */
  async start(options: { tick?: boolean } = {}): Promise<void> {
    await (this.started ??= this.restore());
    if (options.tick !== false && !this.timer) {
      this.timer = setInterval(() => void this.tick().catch(() => undefined), this.options.config.tickSeconds * 1000);
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
    const parsed = options.validated ? (body as z.output<typeof alertmanagerWebhookSchema>) : parseBody(alertmanagerWebhookSchema, body);
    return this.accept((at) => fromAlertmanager(parsed, at), parsed.truncatedAlerts);
  }

  ingestGeneric(body: unknown, options: { validated?: boolean } = {}): Promise<IngestResult> {
    const parsed = options.validated ? (body as z.output<typeof genericAlertsBodySchema>) : parseBody(genericAlertsBodySchema, body);
    return this.accept((at) => fromGeneric(parsed.alerts, at));
  }

  /** Events already normalised (the Prometheus poller). */
  ingestEvents(events: (at: number) => AlertEvent[]): Promise<IngestResult> {
    return this.accept(events);
  }

  /** The internal API: repair findings and anomaly alerts become first-class alerts. */
  raise(alert: InternalAlert): Promise<IngestResult> {
    const labels = { ...alert.labels, alert_source: alert.source };
    const parsed = parseBody(genericAlertsBodySchema, {
      alerts: [{ labels, annotations: alert.annotations ?? {}, ...(alert.status ? { status: alert.status } : {}) }],
    });
    return this.accept((at) =>
      fromGeneric(parsed.alerts, at, alert.source).map((e) => ({
        ...e,
        startsAt: alert.startsAt ?? at,
        ...(alert.endsAt !== undefined ? { endsAt: alert.endsAt } : {}),
      })),
    );
  }

  /** Advances the clock: releases incidents whose thresholds passed, resolves expired alerts. */
  tick(): Promise<void> {
    return this.serial(async () => {
      const at = this.now();
      await this.apply(this.pipeline.tick(at), at);
    });
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
    const parsed = parseBody(suppressionBodySchema, body);
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
      return suppressionDto(window);
    });
  }

  async suppressions(): Promise<SuppressionDto[]> {
    await this.start({ tick: false });
    return this.pipeline.suppressions().map(suppressionDto);
  }

  /** Incidents from the store (so every replica answers alike), newest first, with alerts and merge reasons. */
  async listIncidents(query: { status?: 'open' | 'resolved' | 'all'; limit?: number } = {}): Promise<IncidentDto[]> {
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

  async listAlerts(query: { status?: 'firing' | 'resolved' | 'all'; limit?: number } = {}): Promise<AlertDto[]> {
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

  private async restore(): Promise<void> {
    this.pipeline = new AlertPipeline(this.options.config, await this.options.edges());
    for (const [i, s] of this.options.config.suppressions.entries()) {
      this.pipeline.addSuppression({ id: `config-${i + 1}`, kind: s.kind, matchers: s.matchers, startsAt: Date.parse(s.startsAt), endsAt: Date.parse(s.endsAt), reason: s.reason });
    }
    const log = await this.repo.readLog();
    this.pipeline.replaying = true;
    for (const entry of log) this.replay(entry);
    this.pipeline.replaying = false;
    if (this.options.registry) new AlertMetrics(this.options.registry, () => this.pipeline.stats());
    if (log.length > 0) this.options.logger?.info({ entries: log.length, incidents: this.pipeline.incidents.size }, 'alerting state rebuilt from the log');
  }

  private replay(entry: AlertLogEntry): void {
    switch (entry.t) {
      case 'delivery':
        this.pipeline.ingest(entry.events, entry.at, entry.truncatedAlerts ? { truncatedAlerts: entry.truncatedAlerts } : {});
        return;
      case 'notified':
        if (entry.kind === 'updated') this.pipeline.markUpdated(entry.incident, entry.fingerprints, entry.at);
        else if (entry.kind === 'resolved') this.pipeline.markResolvedNotice();
        else this.pipeline.markNotified(entry.incident, entry.at);
        return;
      case 'ack':
        this.pipeline.acknowledge(entry.incident, entry.by, entry.at);
        return;
      case 'resolve':
        this.pipeline.resolveIncident(entry.incident, entry.at);
        return;
      case 'suppression':
        this.pipeline.addSuppression(entry.window);
        return;
      case 'rca':
        this.pipeline.linkRca(entry.incident, entry.rcaId);
        return;
    }
  }

  private accept(normalise: (at: number) => AlertEvent[], truncatedAlerts = 0): Promise<IngestResult> {
    return this.serial(async () => {
      if (!this.pipeline) throw new EngineError('UPSTREAM_UNAVAILABLE', 'alerting is still starting');
      const at = this.now();
      const events = normalise(at);
      // Durable first: the log entry is written before the pipeline sees the delivery and before the caller's 200.
      await this.repo.append({ t: 'delivery', at, events, ...(truncatedAlerts ? { truncatedAlerts } : {}) });
      const before = this.pipeline.stats().duplicates;
      const out = this.pipeline.ingest(events, at, { truncatedAlerts });
      await this.apply(out, at);
      const duplicates = this.pipeline.stats().duplicates - before;
      return { received: events.length, accepted: out.changedAlerts.size, duplicates, incidents: [...out.changedIncidents] };
    });
  }

  /** Persists what a pipeline step changed, records and sends its notifications, publishes to the stream. */
  private async apply(out: PipelineOutput, at: number, eventType?: string): Promise<void> {
    if (out.notifications.length > 0) {
      await this.repo.append(...out.notifications.map((n) => ({ t: 'notified' as const, at: n.at, incident: n.incident, fingerprints: n.fingerprints, kind: n.kind })));
      for (const n of out.notifications) if (n.kind === 'opened') await this.startRca(n, at);
    }
    const incidents = [...out.changedIncidents].map((id) => this.pipeline.incidents.get(id)!);
    const alerts = [...out.changedAlerts].map((f) => this.pipeline.alerts.get(f)!);
    await this.repo.save(incidents, alerts, out.joined);
    for (const n of out.notifications) this.deliver(n);
    for (const incident of incidents) this.bus.publish(this.event(incident, eventType ?? kindOf(incident, out), at));
  }

  private async startRca(n: Notification, at: number): Promise<void> {
    if (!this.options.config.autoRca || !this.options.startRca) return;
    const incident = this.pipeline.incidents.get(n.incident)!;
    const lead = this.pipeline.alerts.get(n.fingerprints[0] ?? incident.members[0]!.fingerprint)!;
    try {
      // The window covers the onset with at least RCA_WINDOW_SECONDS before now, so RCA has a baseline to compare.
      const end = Math.floor(at / 1000);
      const start = Math.min(Math.floor(lead.startsAt / 1000), end - RCA_WINDOW_SECONDS);
      const rcaId = await this.options.startRca({ alert: { labels: lead.labels }, window: { start, end } });
      this.pipeline.linkRca(incident.id, rcaId);
      await this.repo.append({ t: 'rca', at, incident: incident.id, rcaId });
    } catch (error) {
      this.options.logger?.warn({ err: error instanceof Error ? error.message : String(error), incident: incident.id }, 'automatic RCA did not start');
    }
  }

  private deliver(n: Notification): void {
    this.options.onNotification?.(n);
    void this.repo.recordNotification(n).catch(() => undefined);
    if (this.notifiers.length === 0) return;
    const message = this.message(n);
    for (const notifier of this.notifiers) void notifier.send(message);
  }

  private message(n: Notification): NotificationMessage {
    const incident = this.pipeline.incidents.get(n.incident)!;
    const byFingerprint = new Map(incident.members.map((m) => [m.fingerprint, m.reason]));
    return {
      kind: n.kind,
      incident: { id: incident.id, title: incident.title, severity: incident.severity, services: incident.services, ...(incident.rcaId ? { rcaId: incident.rcaId } : {}) },
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
    return incidentDto(stored, members.map((m) => ({ ...m, alert: alerts.get(m.fingerprint) })), this.now(), (a) => this.pipeline?.muteOf(a, this.now()));
  }

  private toDto(incident: Incident): IncidentDto {
    const now = this.now();
    return incidentDto(incident, incident.members.map((m) => ({ ...m, alert: this.pipeline.alerts.get(m.fingerprint) })), now, (a) => this.pipeline.muteOf(a, now));
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(async () => {
      await this.start({ tick: false });
      return work();
    });
    this.queue = run.catch(() => undefined);
    return run;
  }
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
    throw new EngineError('INVALID_INPUT', `invalid alert payload: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`, { issues });
  }
  return parsed.data;
}

const iso = (ms: number) => new Date(ms).toISOString();

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
  members: Array<{ fingerprint: string; reason: IncidentDto['alerts'][number]['reason']; alert: TrackedAlert | undefined }>,
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
    truncatedAlerts: i.truncatedAlerts,
    ...(i.heldBecause ? { heldBecause: i.heldBecause } : {}),
    alerts: members
      .filter((m) => m.alert)
      .map((m) => ({ ...alertDto(m.alert!, m.alert!.status === 'firing' ? muteOf(m.alert!) : undefined), reason: m.reason })),
  };
}

function suppressionDto(w: SuppressionWindow): SuppressionDto {
  return { id: w.id, kind: w.kind, matchers: w.matchers, startsAt: iso(w.startsAt), endsAt: iso(w.endsAt), reason: w.reason };
}
