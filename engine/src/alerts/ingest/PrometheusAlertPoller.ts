import type { Logger } from 'pino';
import { EngineError, fieldIssuesFromZod } from '../../errors.js';
import { NO_REDIRECTS, splitUrlCredentials } from '../../util/urlCredentials.js';
import type { AlertService } from '../AlertService.js';
import { ALERT_LABEL_LIMITS, prometheusAlertsResponseSchema } from '../schemas.js';
import type { AlertEvent } from '../types.js';
import { fromPrometheus, type SkippedAlert } from './normalizeAlerts.js';

/**
 * Pulls Prometheus `/api/v1/alerts` (for setups without an Alertmanager): firing alerts enter like webhook alerts,
 * and an alert gone since the previous poll is resolved.
 */
export class PrometheusAlertPoller {
  private previous = new Map<string, AlertEvent>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly options: {
      url: string;
      intervalSeconds: number;
      headers?: Record<string, string>;
      service: AlertService;
      logger?: Logger;
    },
  ) {}

  start(): void {
    this.timer = setInterval(
      () => void this.poll().catch((error: unknown) => this.warn(error)),
      this.options.intervalSeconds * 1000,
    );
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** One poll; resolves with the number of events it delivered. */
  async poll(): Promise<number> {
    // fetch refuses a URL with `user:password@`: those travel as a Basic header (configured headers win).
    const split = splitUrlCredentials(new URL(this.options.url));
    const url = `${split.url.replace(/\/+$/, '')}/api/v1/alerts`;
    const response = await fetch(url, {
      headers: { ...split.headers, ...(this.options.headers ?? {}) },
      ...NO_REDIRECTS,
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok)
      throw new EngineError('UPSTREAM_ERROR', `Prometheus ${url} answered ${response.status}`);
    const parsed = prometheusAlertsResponseSchema.safeParse(await response.json());
    if (!parsed.success) {
      throw new EngineError('UPSTREAM_ERROR', 'Prometheus /api/v1/alerts returned an unexpected body', {
        issues: fieldIssuesFromZod(parsed.error.issues, 'response'),
      });
    }
    let delivered = 0;
    await this.options.service.ingestEvents((at) => {
      const { events, firing, skipped } = fromPrometheus(parsed.data, this.previous, at);
      this.previous = firing;
      delivered = events.length;
      if (skipped.length > 0) this.noteSkipped(skipped);
      return events;
    });
    return delivered;
  }

  /** Alerts left out of polls so far because their labels break the ingest limits (logged each poll). */
  skipped = 0;

  private noteSkipped(skipped: SkippedAlert[]): void {
    this.skipped += skipped.length;
    this.options.logger?.warn(
      {
        skipped: skipped.length,
        total: this.skipped,
        alerts: skipped.slice(0, 5).map((s) => ({ alertname: s.alertname, issues: s.issues.slice(0, 3) })),
      },
      `Prometheus alerts skipped: labels over the ingest limits (${ALERT_LABEL_LIMITS.count} labels, ${ALERT_LABEL_LIMITS.valueLength.toLocaleString('en-US')} characters, no control characters)`,
    );
  }

  private warn(error: unknown): void {
    this.options.logger?.warn(
      { err: error instanceof Error ? error.message : String(error) },
      'Prometheus alert poll failed',
    );
  }
}
