import { Counter, Gauge, type Metric, type Registry } from 'prom-client';
import type { PipelineCounters } from './AlertPipeline.js';
import type { SkipReason } from './ingest/normalizeAlerts.js';
import { FastHistogram, type HistogramSeries } from '../util/fastHistogram.js';

/**
 * Alerting's live figures on /metrics. Values are read from the pipeline at scrape time, so after a restart (the
 * pipeline rebuilt from the log) they continue where they were instead of starting at zero or counting twice.
 */
export class AlertMetrics {
  /**
   * Receipt (the delivery handed to the service) to grouped (the pipeline placed it in an incident) and to stored
   * (its commit durable, the moment the sender gets its 200). Buckets from 0.5 ms: grouping takes well under a
   * millisecond, a commit waits for Redis' fsync (~7 ms here).
   */
  private readonly ingest: StageHistogram;
  /** Alerts of webhook and generic deliveries left out, the rest of the delivery ingested (not in the log). */
  private readonly skipped: Counter<'reason'>;

  constructor(registry: Registry, stats: () => PipelineCounters) {
    this.ingest = new StageHistogram(
      'aicloudops_alert_ingest_seconds',
      'Time from receipt of an alert delivery to grouped (stage="grouped") and to durably stored (stage="stored")',
      [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5],
    );
    registry.registerMetric(this.ingest as unknown as Metric);
    this.skipped = new Counter({
      name: 'aicloudops_alerts_skipped_total',
      help: 'Alerts of a delivery left out, the rest ingested: labels over the limits (reason="labels") or startsAt in the future (reason="future_starts_at")',
      labelNames: ['reason'],
      registers: [registry],
    });
    const counter = (name: string, help: string, value: (s: PipelineCounters) => number) =>
      new Counter({
        name,
        help,
        registers: [registry],
        collect() {
          this.reset();
          this.inc(value(stats()));
        },
      });
    const gauge = (name: string, help: string, value: (s: PipelineCounters) => number) =>
      new Gauge({
        name,
        help,
        registers: [registry],
        collect() {
          this.set(value(stats()));
        },
      });
    counter(
      'aicloudops_alert_deliveries_total',
      'Alert deliveries received (webhook bodies, polls, internal alerts)',
      (s) => s.deliveries,
    );
    counter('aicloudops_alerts_received_total', 'Alerts received, re-sends included', (s) => s.alerts);
    counter(
      'aicloudops_alerts_duplicate_total',
      'Alerts dropped as re-sends of a known state',
      (s) => s.duplicates,
    );
    counter('aicloudops_alert_incidents_total', 'Incidents opened', (s) => s.incidents);
    counter('aicloudops_alert_notifications_total', 'Notifications sent', (s) => s.notifications);
    gauge('aicloudops_alert_compression_ratio', '1 - notifications / raw deliveries', (s) => compression(s));
    gauge('aicloudops_alert_dedup_ratio', 'Duplicate alerts / raw alerts', (s) => dedupRatio(s));
    gauge(
      'aicloudops_alert_notification_delay_seconds',
      'Mean added delay from first alert to notification',
      (s) => meanDelaySeconds(s),
    );
  }

  noteSkipped(reason: SkipReason): void {
    this.skipped.inc({ reason });
  }

  observeIngest(stage: IngestStage, seconds: number): void {
    this.ingest.observe(stage, seconds);
  }
}

type IngestStage = 'grouped' | 'stored';

/** The ingest histogram by stage (FastHistogram says why it is not prom-client's). */
class StageHistogram extends FastHistogram<{ stage: IngestStage }> {
  private byStage = new Map<IngestStage, HistogramSeries<{ stage: IngestStage }>>();

  observe(stage: IngestStage, seconds: number): void {
    if (!Number.isFinite(seconds)) return;
    let series = this.byStage.get(stage);
    if (!series) this.byStage.set(stage, (series = this.newSeries({ stage })));
    this.record(series, seconds);
  }

  protected forgetSeries(): void {
    this.byStage = new Map();
  }
}

export const compression = (s: PipelineCounters) =>
  s.deliveries === 0 ? 0 : 1 - s.notifications / s.deliveries;
export const dedupRatio = (s: PipelineCounters) => (s.alerts === 0 ? 0 : s.duplicates / s.alerts);
export const meanDelaySeconds = (s: PipelineCounters) =>
  s.notifications === 0 ? 0 : s.notificationDelayMsSum / s.notifications / 1000;
