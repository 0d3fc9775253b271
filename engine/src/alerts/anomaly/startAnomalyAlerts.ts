import type { MetricsSource } from '../../sources/metrics/MetricsSource.js';
import { AnomalyAlertSource, type AnomalyAlert, type AnomalyAlertSourceConfig } from './AnomalyAlertSource.js';

export interface StartAnomalyAlertsOptions {
  metrics: Pick<MetricsSource, 'rangeQuery'>;
  config: AnomalyAlertSourceConfig;
  /** Where alerts go: `anomalyAlertSink(alertsOf(engine))` for the alert pipeline. */
  sink: (alert: AnomalyAlert) => Promise<unknown>;
  intervalSeconds: number;
  /** Told about a failed poll (the next one retries from where the last good one ended). */
  onError?: (error: unknown) => void;
}

/**
 * Runs an AnomalyAlertSource on a timer: the entry point the alert pipeline calls when anomaly signals are
 * configured. Polls never overlap (a slow metrics backend delays the next one). Returns the stop function.
 */
export function startAnomalyAlerts(options: StartAnomalyAlertsOptions): { source: AnomalyAlertSource; stop: () => void } {
  if (!(options.intervalSeconds > 0)) throw new Error(`intervalSeconds must be > 0, got ${options.intervalSeconds}`);
  const source = new AnomalyAlertSource(options.metrics, options.config, options.sink);
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const tick = async () => {
    try {
      await source.poll();
    } catch (error) {
      options.onError?.(error);
    }
    if (!stopped) timer = setTimeout(() => void tick(), options.intervalSeconds * 1000);
  };
  void tick();
  return {
    source,
    stop: () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
