import type { Engine } from '../../engine.js';
import type { MetricsSource } from '../../sources/metrics/MetricsSource.js';
import { alertsOf } from '../alertsOf.js';
import {
  AnomalyAlertSource,
  anomalyAlertSink,
  type AnomalyAlert,
  type AnomalyAlertSourceConfig,
} from './AnomalyAlertSource.js';

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
export function startAnomalyAlerts(options: StartAnomalyAlertsOptions): {
  source: AnomalyAlertSource;
  stop: () => void;
} {
  if (!(options.intervalSeconds > 0))
    throw new Error(`intervalSeconds must be > 0, got ${options.intervalSeconds}`);
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

/**
 * Anomaly alerts into the engine's alert pipeline: the engine's MetricsSource in, `alertsOf(engine).raise` out
 * (source `anomaly`), after the AlertService has started. Call it from `startAlerting` with the configured signals.
 */
export async function startEngineAnomalyAlerts(
  engine: Engine,
  config: AnomalyAlertSourceConfig,
  options: { intervalSeconds?: number } = {},
): Promise<{ source: AnomalyAlertSource; stop: () => void }> {
  const service = alertsOf(engine);
  await service.start();
  const logger = engine.context.logger.child({ capability: 'anomaly-alerts' });
  return startAnomalyAlerts({
    metrics: engine.context.metrics,
    config,
    sink: anomalyAlertSink(service),
    intervalSeconds: options.intervalSeconds ?? 60,
    onError: (error) => logger.warn({ err: error }, 'anomaly alert poll failed'),
  });
}
