import { NO_REDIRECTS, splitUrlCredentials } from '../../util/urlCredentials.js';
import { EngineError } from '../../errors.js';
import type { HealthCheck } from '../../health/HealthCheck.js';
import type {
  InstantQueryOptions,
  InstantSample,
  Labels,
  MetricsSource,
  RangeQuery,
  RangeSeries,
  UnixSeconds,
} from './MetricsSource.js';
import {
  assertReadOnlyInfluxQL,
  fromWhere,
  influxSelector,
  measurementsOf,
  quoteInfluxIdentifier,
} from './influxql.js';
import { validateInstantQuery, validateRangeQuery } from './validateRangeQuery.js';

export interface InfluxMetricsSourceOptions {
  /** Base URL of InfluxDB 1.x, or 2.x / Cloud through its 1.x compatibility API (`/query`). */
  url: string;
  database: string;
  retentionPolicy?: string;
  /** 1.x users: sent as HTTP basic auth. */
  username?: string;
  password?: string;
  /** 2.x / Cloud API token: sent as `Authorization: Token ...`. */
  token?: string;
  timeoutSeconds?: number;
  headers?: Record<string, string>;
}

interface InfluxSeries {
  name?: string;
  tags?: Record<string, string>;
  columns: string[];
  values?: Array<Array<number | string | boolean | null>>;
}

interface InfluxResult {
  statement_id?: number;
  series?: InfluxSeries[];
  error?: string;
  partial?: boolean;
}

/** How far back an instant query looks for a point, as Prometheus' default lookback delta. */
const INSTANT_LOOKBACK_SECONDS = 300;

/**
 * Reads metrics over InfluxDB's `/query` HTTP API with InfluxQL. Queries (a signal's template or a request's own) are
 * InfluxQL with Grafana's placeholders: `$timeFilter` becomes the query's time range and `$__interval` (or
 * `$interval`) its step, so a range query is `SELECT last("value") FROM "cpu" WHERE $timeFilter GROUP BY
 * time($__interval), "service" fill(none)`. Each result series' tags become its labels; a point is stamped with the
 * start of its GROUP BY time() bucket, so samples written on the step grid read back at their own timestamps.
 * series()/labelNames()/labelValues() take PromQL selectors (`cpu{namespace="shop"}`) and translate them to SHOW
 * statements: measurement = metric name, tags = labels. Unlike Prometheus, an empty bucket is not filled from the
 * last sample of the previous 5 minutes (its lookback) unless the query says `fill(previous)`.
 */
export class InfluxMetricsSource implements MetricsSource {
  readonly kind = 'influxdb' as const;
  private readonly base: string;
  private readonly timeoutMs: number;
  private readonly headers: Record<string, string>;

  constructor(private readonly options: InfluxMetricsSourceOptions) {
    let parsed: URL;
    try {
      parsed = new URL(options.url);
    } catch {
      throw new EngineError('INVALID_CONFIG', `InfluxDB url is not a URL: "${options.url}"`, {
        issues: [{ field: 'metrics.url', message: 'must be a URL' }],
      });
    }
    const { url, headers } = splitUrlCredentials(parsed);
    this.base = url.replace(/\/+$/, '');
    this.timeoutMs = (options.timeoutSeconds ?? 30) * 1000;
    this.headers = { ...headers, ...authHeader(options), ...(options.headers ?? {}) };
  }

  get url(): string {
    return this.base;
  }

  async instantQuery(
    query: string,
    time?: UnixSeconds,
    options: InstantQueryOptions = {},
  ): Promise<InstantSample[]> {
    validateInstantQuery(query, time);
    const at = time ?? Date.now() / 1000;
    const text = fillPlaceholders(query, at - INSTANT_LOOKBACK_SECONDS, at, INSTANT_LOOKBACK_SECONDS);
    const series = await this.select(text, options.signal);
    const out: InstantSample[] = [];
    for (const s of series) {
      const last = s.values.length - 1;
      if (last >= 0) out.push({ labels: s.labels, timestamp: at, value: s.values[last]! });
    }
    return out;
  }

  async rangeQuery(range: RangeQuery): Promise<RangeSeries[]> {
    const q = validateRangeQuery(range);
    if (!/\$timeFilter\b/.test(q.query)) {
      throw new EngineError(
        'PROMQL_ERROR',
        `an InfluxQL range query must restrict time with $timeFilter and group with GROUP BY time($__interval), e.g. SELECT mean("value") FROM "cpu" WHERE $timeFilter GROUP BY time($__interval), "service" (query: ${q.query})`,
      );
    }
    const series = await this.select(fillPlaceholders(q.query, q.start, q.end, q.stepSeconds), range.signal);
    // GROUP BY time() buckets are aligned to the epoch: the first may start before the range; Prometheus never
    // answers before `start`, so neither does this source.
    return series
      .map((s) => {
        const keep = s.timestamps.map((t, i) => (t >= q.start ? i : -1)).filter((i) => i >= 0);
        return {
          labels: s.labels,
          timestamps: keep.map((i) => s.timestamps[i]!),
          values: keep.map((i) => s.values[i]!),
        };
      })
      .filter((s) => s.timestamps.length > 0);
  }

  async series(matchers: string[], _start?: UnixSeconds, _end?: UnixSeconds): Promise<Labels[]> {
    if (matchers.length === 0) {
      throw new EngineError('INVALID_INPUT', 'series needs at least one selector', {
        issues: [{ field: 'matchers', message: 'must not be empty' }],
      });
    }
    const found = new Map<string, Labels>();
    for (const matcher of matchers) {
      const results = await this.call(`SHOW SERIES${fromWhere(influxSelector(matcher))}`);
      for (const s of results[0]?.series ?? []) {
        for (const row of s.values ?? []) {
          const labels = parseSeriesKey(String(row[0]));
          found.set(JSON.stringify(labels), labels);
        }
      }
    }
    return [...found.values()];
  }

  async labelNames(matchers: string[] = []): Promise<string[]> {
    const names = new Set<string>(['__name__']);
    for (const selector of selectorsOrAll(matchers)) {
      const results = await this.call(`SHOW TAG KEYS${fromWhere(selector)}`);
      for (const s of results[0]?.series ?? []) for (const row of s.values ?? []) names.add(String(row[0]));
    }
    return [...names].sort();
  }

  async labelValues(label: string, matchers: string[] = []): Promise<string[]> {
    if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(label)) {
      throw new EngineError('INVALID_INPUT', `"${label}" is not a label name`, {
        issues: [{ field: 'label', message: 'must match [a-zA-Z_][a-zA-Z0-9_]*' }],
      });
    }
    const values = new Set<string>();
    if (label === '__name__') {
      const results = await this.call('SHOW MEASUREMENTS');
      for (const s of results[0]?.series ?? []) for (const row of s.values ?? []) values.add(String(row[0]));
      return [...values].sort();
    }
    for (const selector of selectorsOrAll(matchers)) {
      const from =
        selector?.measurement !== undefined ? ` FROM ${quoteInfluxIdentifier(selector.measurement)}` : '';
      const where =
        selector && selector.conditions.length > 0 ? ` WHERE ${selector.conditions.join(' AND ')}` : '';
      const results = await this.call(
        `SHOW TAG VALUES${from} WITH KEY = ${quoteInfluxIdentifier(label)}${where}`,
      );
      for (const s of results[0]?.series ?? []) for (const row of s.values ?? []) values.add(String(row[1]));
    }
    return [...values].sort();
  }

  async check(): Promise<HealthCheck> {
    const started = performance.now();
    try {
      const ping = await this.request('GET', '/ping');
      await ping.arrayBuffer();
      if (ping.status !== 204 && !ping.ok) {
        return this.health(
          false,
          `InfluxDB at ${this.base} answered /ping with HTTP ${ping.status}`,
          started,
        );
      }
      const version = ping.headers.get('x-influxdb-version') ?? '(unknown version)';
      const databases = await this.call('SHOW DATABASES');
      const names = (databases[0]?.series?.[0]?.values ?? []).map((row) => String(row[0]));
      // 2.x maps databases through DBRP mappings and may not list them; a query against the database decides.
      if (names.length > 0 && !names.includes(this.options.database)) {
        return this.health(
          false,
          `InfluxDB ${version} at ${this.base} has no database "${this.options.database}" (it has: ${names.join(', ')})`,
          started,
        );
      }
      return this.health(
        true,
        `InfluxDB ${version} at ${this.base} is ready, database "${this.options.database}"`,
        started,
      );
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return this.health(false, `${message}; check the InfluxDB url, database and credentials`, started);
    }
  }

  private health(ok: boolean, detail: string, started: number): HealthCheck {
    return { name: 'metrics', ok, detail, latencyMs: performance.now() - started };
  }

  /** Runs one SELECT and flattens its series: one RangeSeries per (series, value column), nulls dropped. */
  private async select(query: string, signal?: AbortSignal): Promise<RangeSeries[]> {
    assertReadOnlyInfluxQL(query);
    const results = await this.call(query, signal);
    if (results.length !== 1) {
      throw new EngineError(
        'PROMQL_ERROR',
        `give one InfluxQL statement, not ${results.length} (query: ${query})`,
      );
    }
    const series = results[0]!.series ?? [];
    if (series.length === 0) await this.explainEmpty(query);
    const out: RangeSeries[] = [];
    for (const s of series) {
      const timeIndex = s.columns.indexOf('time');
      const valueColumns = s.columns.map((c, i) => ({ c, i })).filter(({ i }) => i !== timeIndex);
      for (const { c, i } of valueColumns) {
        const labels: Labels = { ...(s.tags ?? {}) };
        // Several fields (SELECT mean(a), max(b)) keep apart by the column's name.
        if (valueColumns.length > 1) labels.__field__ = c;
        const timestamps: number[] = [];
        const values: number[] = [];
        for (const row of s.values ?? []) {
          const v = row[i];
          if (typeof v !== 'number' || timeIndex < 0) continue;
          timestamps.push(Number(row[timeIndex]));
          values.push(v);
        }
        if (timestamps.length > 0) out.push({ labels, timestamps, values });
      }
    }
    return out;
  }

  /**
   * InfluxDB answers a SELECT on a measurement that does not exist with an empty result, like a range with no data;
   * a caller deserves to know which it is, so an empty answer checks that the measurements exist.
   */
  private async explainEmpty(query: string): Promise<void> {
    for (const measurement of measurementsOf(query)) {
      const results = await this.call(
        `SHOW MEASUREMENTS WITH MEASUREMENT = ${quoteInfluxIdentifier(measurement)}`,
      );
      if ((results[0]?.series ?? []).length === 0) {
        throw new EngineError(
          'NOT_FOUND',
          `measurement "${measurement}" does not exist in InfluxDB database "${this.options.database}" at ${this.base} (query: ${query})`,
          { issues: [{ field: 'query', message: `unknown measurement "${measurement}"` }] },
        );
      }
    }
  }

  /** One `/query` call: transport errors, HTTP errors and per-statement errors all become EngineErrors. */
  private async call(query: string, signal?: AbortSignal): Promise<InfluxResult[]> {
    const params = new URLSearchParams({ q: query, db: this.options.database, epoch: 's' });
    if (this.options.retentionPolicy) params.set('rp', this.options.retentionPolicy);
    const response = await this.request('POST', '/query', params, signal);
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      throw this.transportError(error);
    }
    let body: { results?: InfluxResult[]; error?: string } | undefined;
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      body = undefined;
    }
    const where = `InfluxDB at ${this.base}`;
    const error = body?.error ?? body?.results?.find((r) => r.error)?.error;
    if (response.status === 401 || response.status === 403) {
      throw new EngineError(
        'UPSTREAM_ERROR',
        `${where} refused the credentials (HTTP ${response.status}: ${error ?? text.slice(0, 200)})`,
      );
    }
    if (error !== undefined) {
      if (/^database not found/.test(error)) {
        throw new EngineError('UPSTREAM_ERROR', `${where}: ${error}; check the source's database`, {
          issues: [{ field: 'metrics.database', message: error }],
        });
      }
      if (
        response.status === 400 ||
        /^error parsing query|not (?:supported|allowed)|invalid|must|expected|unsupported|undefined function/i.test(
          error,
        )
      ) {
        throw new EngineError('PROMQL_ERROR', `InfluxQL error: ${error} (query: ${query})`);
      }
      if (/timeout/i.test(error))
        throw new EngineError('TIMEOUT', `${where} timed out: ${error} (query: ${query})`);
      throw new EngineError('UPSTREAM_ERROR', `${where} answered with an error: ${error} (query: ${query})`);
    }
    if (!response.ok || !body?.results) {
      const code = response.status === 503 ? 'UPSTREAM_UNAVAILABLE' : 'UPSTREAM_ERROR';
      throw new EngineError(
        code,
        `${where} answered /query with HTTP ${response.status}: ${text.slice(0, 200)}`,
      );
    }
    if (body.results.some((r) => r.partial)) {
      throw new EngineError(
        'UPSTREAM_ERROR',
        `${where} truncated the answer (its max-row-limit): narrow the range or raise the step (query: ${query})`,
      );
    }
    return body.results;
  }

  private async request(
    method: 'GET' | 'POST',
    path: string,
    params?: URLSearchParams,
    signal?: AbortSignal,
  ): Promise<Response> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    try {
      return await fetch(`${this.base}${path}`, {
        method,
        headers: {
          accept: 'application/json',
          ...(method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
          ...this.headers,
        },
        ...(method === 'POST' ? { body: params?.toString() ?? '' } : {}),
        ...NO_REDIRECTS,
        signal: signal ? AbortSignal.any([timeout, signal]) : timeout,
      });
    } catch (error) {
      throw this.transportError(error);
    }
  }

  private transportError(error: unknown): EngineError {
    const name = (error as { name?: string })?.name;
    if (name === 'TimeoutError' || name === 'AbortError') {
      return new EngineError(
        'TIMEOUT',
        `InfluxDB at ${this.base} did not answer within ${this.timeoutMs / 1000} s`,
        { cause: error },
      );
    }
    const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
    const reason = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
    return new EngineError('UPSTREAM_UNAVAILABLE', `InfluxDB at ${this.base} is unreachable (${reason})`, {
      cause: error,
    });
  }
}

/** Grafana's InfluxQL placeholders, so a query pasted from a Grafana panel runs unchanged. */
export function fillPlaceholders(query: string, start: number, end: number, stepSeconds: number): string {
  const timeFilter = `time >= ${Math.floor(start)}s AND time <= ${Math.ceil(end)}s`;
  const step = Math.max(1, Math.round(stepSeconds));
  const interval = `${step}s`;
  // InfluxDB aligns GROUP BY time() buckets to the epoch; an offset of start mod step puts them on the query's own
  // grid (start, start + step, ...), the instants a Prometheus range query evaluates at.
  const offset = ((Math.floor(start) % step) + step) % step;
  const grouped = offset === 0 ? interval : `${interval}, ${offset}s`;
  return query
    .replace(/time\(\s*\$(?:__)?interval\s*\)/g, `time(${grouped})`)
    .replace(/\$timeFilter\b/g, timeFilter)
    .replace(/\$__interval\b/g, interval)
    .replace(/\$interval\b/g, interval);
}

function authHeader(options: InfluxMetricsSourceOptions): Record<string, string> {
  if (options.token) return { authorization: `Token ${options.token}` };
  if (options.username !== undefined) {
    const basic = Buffer.from(`${options.username}:${options.password ?? ''}`).toString('base64');
    return { authorization: `Basic ${basic}` };
  }
  return {};
}

function selectorsOrAll(matchers: string[]): Array<ReturnType<typeof influxSelector> | undefined> {
  return matchers.length === 0 ? [undefined] : matchers.map(influxSelector);
}

/** `cpu,namespace=shop,service=a` (line protocol's series key, `\` escaping `,`, `=` and spaces) as labels. */
export function parseSeriesKey(key: string): Labels {
  const parts = key.split(/(?<!\\),/);
  const labels: Labels = { __name__: parts[0]!.replace(/\\([,= ])/g, '$1') };
  for (const part of parts.slice(1)) {
    const eq = part.search(/(?<!\\)=/);
    labels[part.slice(0, eq).replace(/\\([,= ])/g, '$1')] = part.slice(eq + 1).replace(/\\([,= ])/g, '$1');
  }
  return labels;
}
