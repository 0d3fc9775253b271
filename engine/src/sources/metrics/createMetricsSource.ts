import type { Logger } from 'pino';
import type { EngineConfig } from '../../config/schema.js';
import type { FaultLedger } from '../../sim/faults.js';
import { ShopMetricsGenerator } from '../../sim/metrics/ShopMetricsGenerator.js';
import type { MetricsSource } from './MetricsSource.js';
import { PrometheusMetricsSource } from './PrometheusMetricsSource.js';
import { SyntheticMetricsSource } from './SyntheticMetricsSource.js';

/** What the demo profile exposes beyond the MetricsSource: the generator and its scrapeable exposition. */
export interface DemoMetrics {
  generator: ShopMetricsGenerator;
  /** Prometheus text format 0.0.4 of the demo shop at a time (unix seconds), for `/demo/metrics`. */
  renderExposition(time: number): string;
}

export interface CreateMetricsSourceOptions {
  /** Faults of the simulated cluster, so the demo metrics show the same incidents. */
  ledger?: FaultLedger;
  logger?: Logger;
  /** Node of each demo pod, when the simulated cluster places pods itself. */
  placement?: (service: string, podIndex: number) => string;
}

export function createMetricsSource(
  config: EngineConfig['metrics'],
  options: CreateMetricsSourceOptions = {},
): { source: MetricsSource; demo?: DemoMetrics } {
  if (config.kind === 'prometheus') {
    options.logger?.info({ url: config.url }, 'metrics: reading Prometheus');
    return {
      source: new PrometheusMetricsSource({ url: config.url, timeoutSeconds: config.timeoutSeconds, headers: config.headers }),
    };
  }
  const generator = new ShopMetricsGenerator({
    seed: config.seed,
    ...(options.ledger ? { ledger: options.ledger } : {}),
    ...(options.placement ? { placement: options.placement } : {}),
  });
  options.logger?.info({ seed: config.seed, series: generator.series().length }, 'metrics: synthetic demo shop');
  return {
    source: new SyntheticMetricsSource(generator),
    demo: { generator, renderExposition: (time) => generator.renderExposition(time) },
  };
}
