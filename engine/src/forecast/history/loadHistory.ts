import type { EngineConfig } from '../../config/schema.js';
import type { MetricsSource, RangeSeries } from '../../sources/metrics/MetricsSource.js';
import { EngineError, isEngineError } from '../../errors.js';
import { fillQueryTemplate } from '../../sources/metrics/escapeLabelValue.js';
import { configuredKind, templateEscapeFor } from '../../sources/metrics/MetricsSourceRegistry.js';

/**
 * The history of one series, read through the MetricsSource only (so Prometheus and the demo's synthetic metrics
 * look the same to the forecaster). A signal's template is filled in; a request's own query is used as given.
 */
export interface HistorySelector {
  namespace?: string;
  service?: string;
  signal: string;
  query?: string;
  /** Metrics source to read (`metrics.sources`); omitted means the signal's source, else the default one. */
  source?: string;
}

export interface History {
  seriesKey: string;
  query: string;
  labels: Record<string, string>;
  timestamps: number[];
  values: number[];
  stepSeconds: number;
  start: number;
  end: number;
}

export function resolveQuery(config: EngineConfig, selector: HistorySelector): string {
  if (selector.query) return selector.query;
  const signal = config.signals.list.find((s) => s.name === selector.signal);
  if (!signal) {
    throw new EngineError('INVALID_INPUT', `unknown signal "${selector.signal}"`, {
      issues: [
        {
          field: 'body.signal',
          message: `must be one of ${config.signals.list.map((s) => s.name).join(', ')}`,
        },
      ],
    });
  }
  const escape = templateEscapeFor(configuredKind(config.metrics, resolveSource(config, selector)));
  return fillQueryTemplate(
    signal.query,
    {
      namespace: selector.namespace ?? config.defaultNamespace,
      service: selector.service ?? '',
      window: config.signals.window,
    },
    escape,
  );
}

/** The request's source, else (for a signal's template) the signal's own source. */
export function resolveSource(config: EngineConfig, selector: HistorySelector): string | undefined {
  if (selector.source) return selector.source;
  if (selector.query) return undefined;
  return config.signals.list.find((s) => s.name === selector.signal)?.source;
}

export function seriesKeyOf(config: EngineConfig, selector: HistorySelector): string {
  // A named source is part of the key: the same query on two backends is two series.
  const at = selector.source ? `@${selector.source}` : '';
  if (selector.query)
    return `query:${hash(selector.query)}${selector.service ? `:${selector.service}` : ''}${at}`;
  return `${selector.namespace ?? config.defaultNamespace}/${selector.service}/${selector.signal}${at}`;
}

export async function loadHistory(
  metrics: MetricsSource,
  config: EngineConfig,
  selector: HistorySelector,
  options: { stepSeconds: number; historyDays: number; now?: number },
): Promise<History> {
  const query = resolveQuery(config, selector);
  const step = options.stepSeconds;
  const end = Math.floor((options.now ?? Date.now() / 1000) / step) * step;
  const start = end - Math.round(options.historyDays * 86400);
  const source = resolveSource(config, selector);
  const all = await metrics
    .rangeQuery({ query, start, end, stepSeconds: step, ...(source ? { source } : {}) })
    .catch((error: unknown) => {
      throw namingTheQuery(error, selector.query ? 'body.query' : 'body.signal');
    });
  const series = pick(all, config.signals.serviceLabel, selector);
  return {
    seriesKey: seriesKeyOf(config, selector),
    query,
    labels: series.labels,
    timestamps: series.timestamps,
    values: series.values,
    stepSeconds: step,
    start,
    end,
  };
}

function pick(all: RangeSeries[], serviceLabel: string, selector: HistorySelector): RangeSeries {
  const matching = selector.service ? all.filter((s) => s.labels[serviceLabel] === selector.service) : all;
  const chosen = matching.length === 0 && selector.query && all.length === 1 ? all : matching;
  if (chosen.length === 0) {
    throw new EngineError(
      'NOT_FOUND',
      `no series for ${selector.service ? `service "${selector.service}"` : 'the query'}`,
      {
        issues: [
          {
            field: selector.service ? 'body.service' : 'body.query',
            message: `the query returned ${all.length} series, none matching`,
          },
        ],
      },
    );
  }
  if (chosen.length > 1) {
    throw new EngineError(
      'BAD_REQUEST',
      selector.service
        ? `the query returned ${chosen.length} series for service "${selector.service}"; aggregate it to one (e.g. sum by (${serviceLabel}) (...))`
        : `the query returned ${chosen.length} series; aggregate it to one or name a service`,
      {
        issues: [{ field: 'body.query', message: 'must return one series' }],
      },
    );
  }
  return chosen[0]!;
}

function hash(text: string): string {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return (h >>> 0).toString(16);
}

/**
 * A query the metrics source cannot parse names the request field it came from, so the API's 400 and the CLI's
 * `--query` say which input to fix (the parser names only the position in the query).
 */
function namingTheQuery(error: unknown, field: string): unknown {
  if (!isEngineError(error) || error.code !== 'PROMQL_ERROR' || error.issues.length > 0) return error;
  return new EngineError('PROMQL_ERROR', `${field}: ${error.message}`, {
    issues: [{ field, message: error.message }],
    cause: error,
  });
}
