import type { MetricsSource } from '../../sources/metrics/MetricsSource.js';
import { escapeLabelValue, fillQueryTemplate } from '../../sources/metrics/escapeLabelValue.js';
import { kindOf, templateEscapeFor } from '../../sources/metrics/MetricsSourceRegistry.js';
import type { SignalDefinition } from '../../config/schema.js';
import type { IncidentWindow, SignalSeries } from '../types.js';

export interface CollectMetricsOptions {
  namespace: string;
  /** Label carrying the service name in every signal's result. */
  serviceLabel: string;
  /** Range window substituted for `$window`, e.g. `5m`. */
  rateWindow: string;
  stepSeconds: number;
  window: IncidentWindow;
  /** Stops the queries when the analysis is cancelled. */
  signal?: AbortSignal;
  /** Also read the same hours on up to this many earlier days (rca.anomaly.sameHoursDays); 0 reads none. */
  sameHoursDays?: number;
}

/**
 * Fills a signal's PromQL template; `$service` becomes a match-all so one query covers every service. A template for
 * another query language passes that language's escape (MetricsSourceRegistry.templateEscapeFor).
 */
export function renderSignalQuery(
  template: string,
  namespace: string,
  rateWindow: string,
  escape?: (value: string) => string,
): string {
  return fillQueryTemplate(template, { namespace, window: rateWindow, service: '.+' }, escape);
}

/**
 * Reads every configured signal over baseline + incident through the MetricsSource (Prometheus or the demo, it cannot
 * tell) and keeps each series' PromQL as evidence. A failing signal becomes a warning, not a failed RCA.
 */
export async function collectMetrics(
  source: MetricsSource,
  signals: SignalDefinition[],
  options: CollectMetricsOptions,
): Promise<{ series: SignalSeries[]; warnings: string[] }> {
  const warnings: string[] = [];
  const rateWindowSeconds = durationSeconds(options.rateWindow);
  const results = await Promise.all(
    signals.map(async (signal) => {
      let query: string;
      try {
        query = renderSignalQuery(
          signal.query,
          options.namespace,
          options.rateWindow,
          templateEscapeFor(kindOf(source, signal.source)),
        );
      } catch (error) {
        warnings.push(`signal ${signal.name}: ${error instanceof Error ? error.message : String(error)}`);
        return [];
      }
      try {
        const ranges = await source.rangeQuery({
          query,
          start: options.window.baselineStart,
          end: options.window.end,
          stepSeconds: options.stepSeconds,
          ...(options.signal ? { signal: options.signal } : {}),
          ...(signal.source ? { source: signal.source } : {}),
        });
        const series: SignalSeries[] = [];
        for (const range of ranges) {
          const service = range.labels[options.serviceLabel];
          if (!service) continue;
          series.push({
            service,
            signal: signal.name,
            badDirection: signal.badDirection,
            unit: signal.unit || undefined,
            ...(signal.events === 'rate'
              ? { eventsPerUnit: rateWindowSeconds }
              : signal.events === 'count'
                ? { eventsPerUnit: 1 }
                : {}),
            // A signal on a named source (InfluxQL, say) keeps its own query: the PromQL pinning does not apply.
            promql: signal.source ? query : serviceQuery(query, options.serviceLabel, service),
            timestamps: range.timestamps,
            values: range.values,
          });
        }
        if (ranges.length > 0 && series.length === 0) {
          warnings.push(`signal ${signal.name}: results carry no "${options.serviceLabel}" label`);
        }
        if (series.length > 0 && (options.sameHoursDays ?? 0) > 0) {
          await attachSameHours(source, series, { ...options, query, signalSource: signal.source }).catch(
            (error: unknown) => {
              warnings.push(
                `signal ${signal.name} on earlier days: ${error instanceof Error ? error.message : String(error)}`,
              );
            },
          );
        }
        return series;
      } catch (error) {
        warnings.push(`signal ${signal.name}: ${error instanceof Error ? error.message : String(error)}`);
        return [];
      }
    }),
  );
  return { series: results.flat(), warnings };
}

const DAY_SECONDS = 86_400;

/**
 * Reads the same range (baseline and window) on each of the earlier days and pools every service's points, oldest
 * day first, into `series.sameHours` (see scoreSameHours). One range query per day, each as long as the main one,
 * rather than one query over the whole week: a week at a 15 s step is more points than Prometheus returns.
 * Days without data (retention, a new service) are left out; a series with none keeps the hour before.
 */
async function attachSameHours(
  source: MetricsSource,
  series: SignalSeries[],
  options: CollectMetricsOptions & { query: string; signalSource: string | undefined },
): Promise<void> {
  const days = Array.from({ length: options.sameHoursDays! }, (_, i) => options.sameHoursDays! - i);
  const byDay = await Promise.all(
    days.map((d) =>
      source.rangeQuery({
        query: options.query,
        start: options.window.baselineStart - d * DAY_SECONDS,
        end: options.window.end - d * DAY_SECONDS,
        // Each day at `days` times the step: the pool holds about one day's points, as many as the hour before has
        // (rca-speed, 500 services scored against both: 679 ms; at the full step 2,023 ms).
        stepSeconds: options.stepSeconds * days.length,
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.signalSource ? { source: options.signalSource } : {}),
      }),
    ),
  );
  const byService = byDay.map(
    (ranges) => new Map(ranges.map((r) => [r.labels[options.serviceLabel], r.values])),
  );
  for (const s of series) {
    const pooled: number[] = [];
    let found = 0;
    for (const day of byService) {
      const values = day.get(s.service)?.filter(Number.isFinite) ?? [];
      if (values.length === 0) continue;
      found++;
      pooled.push(...values);
    }
    if (found > 0) s.sameHours = { days: found, values: pooled };
  }
}

/** `5m` → 300; the config schema only admits `<n>s|m|h`. */
function durationSeconds(duration: string): number {
  const m = /^(\d+)([smh])$/.exec(duration);
  if (!m) throw new Error(`signals.window: "${duration}" is not a duration like 5m`);
  return Number(m[1]) * { s: 1, m: 60, h: 3600 }[m[2] as 's' | 'm' | 'h'];
}

/**
 * The PromQL a human opens to see one service's series: the signal's query with the service pinned where the
 * namespace matcher is (every default template has one), or the query wrapped in a label filter otherwise.
 */
export function serviceQuery(query: string, serviceLabel: string, service: string): string {
  const escaped = escapeLabelValue(service);
  // A replacer function: `$&` or `$1` inside a service name must stay text, not replacement patterns.
  const pinned = query.replace(
    /namespace="([^"]*)"/g,
    (_match, ns: string) => `namespace="${ns}",${serviceLabel}="${escaped}"`,
  );
  return pinned !== query ? pinned : `(${query}) and on (${serviceLabel}) (${serviceLabel}="${escaped}")`;
}
