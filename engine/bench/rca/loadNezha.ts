import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { BadDirection, LogRecord, ServiceEdge, SignalSeries } from '../../src/rca/types.js';
import { parseCsvObjects } from './csv.js';
import type { Span } from '../../src/rca/traces/seriesFromSpans.js';

/**
 * Nezha (Yu et al., FSE 2023; MIT, © 2023 IntelligentDDS) system folders → the RCA core's inputs. A system folder
 * (`onlineboutique`, `trainticket`) holds days with `fault_list.json`, per-pod metric files, and, when present, per-minute
 * log and trace files. Everything present is used: metrics always, logs and traces when the day has them.
 * Clock: the `Time`/`Timestamp` strings and the `inject_time` string are one clock (see SOURCE.md); numeric stamps are
 * not trusted.
 */

export interface NezhaFault {
  day: string;
  time: number;
  service: string;
  pod: string;
  type: string;
}

export interface NezhaDay {
  system: string;
  day: string;
  dir: string;
  faults: NezhaFault[];
  series: SignalSeries[];
  edges: ServiceEdge[];
}

const read = (file: string) =>
  file.endsWith('.gz') ? gunzipSync(readFileSync(file)).toString('utf8') : readFileSync(file, 'utf8');

/** `2022-08-22 03:51:19.799 +0000 UTC m=+0.3` or `2022-08-22T03:51:19.799Z` → unix seconds (UTC). */
export function parseNezhaTime(value: string): number {
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(\.\d+)?/.exec(value.trim());
  if (!m) return NaN;
  const fraction = m[3] ? Number(`0${m[3]}`) : 0;
  return Date.parse(`${m[1]}T${m[2]}Z`) / 1000 + fraction;
}

/** Pod name minus the ReplicaSet hash and pod suffix: `ts-contacts-service-866bd68c97-xcqfx` → `ts-contacts-service`. */
export function serviceOfPod(pod: string): string {
  const parts = pod.split('-');
  return parts.length > 2 ? parts.slice(0, -2).join('-') : pod;
}

function directionOf(column: string): BadDirection {
  if (/success/i.test(column)) return 'down';
  if (/latency|cpu|mem|delay|p9\d|error/i.test(column)) return 'up';
  return 'both';
}

const SKIP_COLUMNS = new Set(['Time', 'TimeStamp', 'PodName', 'ServiceName', 'time', 'timestamp']);

export function loadNezhaSystems(dir: string): string[] {
  return readdirSync(dir)
    .filter(
      (name) =>
        statSync(join(dir, name)).isDirectory() &&
        readdirSync(join(dir, name)).some((d) => existsSync(join(dir, name, d, 'fault_list.json'))),
    )
    .sort();
}

export function loadNezhaDays(dir: string, system: string): NezhaDay[] {
  const sdir = join(dir, system);
  const days: NezhaDay[] = [];
  for (const day of readdirSync(sdir).sort()) {
    const ddir = join(sdir, day);
    const faultFile = join(ddir, 'fault_list.json');
    if (!existsSync(faultFile)) continue;
    const raw = JSON.parse(read(faultFile)) as Record<
      string,
      Array<{ inject_time: string; inject_pod: string; inject_type: string }>
    >;
    const faults = Object.values(raw)
      .flat()
      .map((f) => ({
        day,
        time: parseNezhaTime(f.inject_time),
        pod: f.inject_pod,
        service: serviceOfPod(f.inject_pod),
        type: f.inject_type,
      }))
      .sort((a, b) => a.time - b.time);
    const series: SignalSeries[] = [];
    const edges: ServiceEdge[] = [];
    const mdir = join(ddir, 'metric');
    if (existsSync(mdir)) {
      const files = readdirSync(mdir).sort();
      for (const file of files) {
        if (/_metric\.csv(\.gz)?$/.test(file)) series.push(...podMetricSeries(join(mdir, file)));
        const edgeFile = /^(source|destination)_(\d+)\.csv(\.gz)?$/.exec(file);
        if (edgeFile) series.push(...edgeSeries(join(mdir, file), `${edgeFile[1]}_p${edgeFile[2]}`));
        if (/^dependency\.csv(\.gz)?$/.test(file)) {
          for (const row of parseCsvObjects(read(join(mdir, file)))) {
            const from = row.Source ?? '';
            const to = row.Target ?? '';
            // Edges to bare IP addresses are node-level plumbing, not services.
            if (from && to && !/^\d+\.\d+\.\d+\.\d+$/.test(to)) edges.push({ from, to, origin: 'dataset' });
          }
        }
      }
      const front = files.find((f) => /^front_service\.csv(\.gz)?$/.test(f));
      if (front) series.push(...frontServiceSeries(join(mdir, front), new Set(series.map((s) => s.service))));
    }
    days.push({ system, day, dir: ddir, faults, series, edges });
  }
  return days;
}

function podMetricSeries(file: string): SignalSeries[] {
  const rows = parseCsvObjects(read(file));
  if (rows.length === 0) return [];
  const pod = rows[0]!.PodName ?? file.replace(/^.*\//, '').replace(/_metric\.csv(\.gz)?$/, '');
  const service = serviceOfPod(pod);
  const columns = Object.keys(rows[0]!).filter((c) => !SKIP_COLUMNS.has(c) && !/^Node/.test(c));
  const timestamps = rows.map((r) => parseNezhaTime(r.Time ?? r.time ?? ''));
  return columns.map((column) => ({
    service,
    signal: column,
    badDirection: directionOf(column),
    // The pods' client-side latency columns measure the calls the pod makes, i.e. its callees.
    perspective: /client/i.test(column) ? ('client' as const) : ('self' as const),
    // Workload is operations per second over each one-minute row: a count of events, with Poisson noise.
    ...(/workload/i.test(column) ? { eventsPerUnit: 60 } : {}),
    timestamps,
    values: rows.map((r) => (r[column] === '' || r[column] === undefined ? NaN : Number(r[column]))),
  }));
}

/**
 * `front_service.csv`: the entry service's own success rate and latency as its users see them. Attributed to the pod
 * service of the same name (`Frontend` → `frontend`); when no pod service has that name (TrainTicket calls its entry
 * `ts-ui-dashboard`) the file is left out rather than guessed onto one.
 */
function frontServiceSeries(file: string, services: Set<string>): SignalSeries[] {
  const rows = parseCsvObjects(read(file));
  const service = rows[0]?.ServiceName?.toLowerCase();
  if (!service || !services.has(service)) return [];
  const timestamps = rows.map((r) => parseNezhaTime(r.Time ?? r.time ?? ''));
  const columns = Object.keys(rows[0]!).filter((c) => !SKIP_COLUMNS.has(c));
  return columns.map((column) => ({
    service,
    signal: `Service${column}`,
    badDirection: directionOf(column),
    timestamps,
    values: rows.map((r) => (r[column] === '' || r[column] === undefined ? NaN : Number(r[column]))),
  }));
}

/**
 * Per-edge latency files (`source_50`: measured by the caller, `destination_50`: by the callee; columns `caller_callee`)
 * become series of the callee: what its callers experience calling it. A callee whose callers all see it slow is the
 * natural suspect, and a gap between the caller's and the callee's view is time spent in the network.
 */
function edgeSeries(file: string, view: string): SignalSeries[] {
  const rows = parseCsvObjects(read(file));
  if (rows.length === 0) return [];
  const timestamps = rows.map((r) => parseNezhaTime(r.time ?? r.Time ?? ''));
  const services = new Set(['frontend']);
  return Object.keys(rows[0]!)
    .filter((c) => !SKIP_COLUMNS.has(c))
    .flatMap((column) => {
      const [caller, callee] = splitEdge(column, services);
      if (!caller || !callee) return [];
      return [
        {
          service: callee,
          signal: `edge_latency_${view}(${caller})`,
          badDirection: 'up' as const,
          timestamps,
          values: rows.map((r) => (r[column] === '' || r[column] === undefined ? NaN : Number(r[column]))),
        },
      ];
    });
}

/** `checkoutservice_emailservice` → [caller, callee]; service names may not contain `_`, so the split is unique. */
function splitEdge(column: string, _known: Set<string>): [string | undefined, string | undefined] {
  const i = column.indexOf('_');
  return i > 0 ? [column.slice(0, i), column.slice(i + 1)] : [undefined, undefined];
}

/** Minute files (`HH_MM_log.csv.gz`, `HH_MM_trace.csv.gz`) of a day whose minute lies in [from, to]. */
function minuteFiles(dir: string, suffix: string, day: string, from: number, to: number): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(suffix) || f.endsWith(`${suffix}.gz`))
    .filter((f) => {
      const m = /^(\d{2})_(\d{2})_/.exec(f);
      if (!m) return false;
      const t = Date.parse(`${day}T${m[1]}:${m[2]}:00Z`) / 1000;
      return t + 60 > from && t <= to;
    })
    .map((f) => join(dir, f));
}

/**
 * Logs of one fault: the minute files from the onset's minute to `to` (earlier files belong to earlier faults, so they
 * are no normal history), plus the system's fault-free minute of that day placed right before the fault's first record, so
 * the normal history the logs cover is contiguous, as a pod's log tail would be.
 */
export function nezhaLogs(day: NezhaDay, to: number, onset: number): LogRecord[] {
  const logs: LogRecord[] = [];
  const onsetMinute = Math.floor(onset / 60) * 60;
  for (const file of minuteFiles(join(day.dir, 'log'), '_log.csv', day.day, onsetMinute, to))
    logs.push(...readLogFile(file, 0));
  const freeDir = join(day.dir, '..', 'fault_free', day.day, 'log');
  const free = minuteFiles(freeDir, '_log.csv', day.day, 0, Infinity);
  if (free.length && logs.length) {
    const records = free.flatMap((f) => readLogFile(f, 0));
    const shift = precedingShift(
      records.map((r) => r.timestamp),
      logs.map((r) => r.timestamp),
    );
    logs.push(...records.map((r) => ({ ...r, timestamp: r.timestamp + shift })));
  }
  return logs;
}

function readLogFile(file: string, shift: number): LogRecord[] {
  return parseCsvObjects(read(file)).map((row) => {
    let message = row.Log ?? '';
    try {
      const parsed = JSON.parse(message) as { log?: string };
      if (typeof parsed.log === 'string') message = parsed.log;
    } catch {
      // not Docker JSON: keep the raw line
    }
    return {
      service: serviceOfPod(row.PodName ?? ''),
      timestamp: parseNezhaTime(row.Timestamp ?? '') + shift,
      message: message.trim(),
    };
  });
}

/**
 * Shift that moves the fault-free records to end just before the fault's first record, so the two never overlap: a
 * minute file holds the minute before its name (HH:MM-1:09 to HH:MM:08), so the fault's first file already starts
 * about a minute before the onset, and a fault-free minute laid on top of it would double the baseline's rate.
 */
function precedingShift(free: number[], fault: number[]): number {
  let freeFirst = Infinity;
  let freeLast = -Infinity;
  for (const t of free) {
    if (!Number.isFinite(t)) continue;
    freeFirst = Math.min(freeFirst, t);
    freeLast = Math.max(freeLast, t);
  }
  let faultFirst = Infinity;
  for (const t of fault) if (Number.isFinite(t)) faultFirst = Math.min(faultFirst, t);
  if (!Number.isFinite(freeFirst) || !Number.isFinite(faultFirst)) return 0;
  return faultFirst - 1 - freeLast;
}

/** Spans of one fault, chosen and completed with the fault-free minute as for logs. */
export function nezhaSpans(day: NezhaDay, to: number, onset: number): Span[] {
  const spans: Span[] = [];
  const onsetMinute = Math.floor(onset / 60) * 60;
  for (const file of minuteFiles(join(day.dir, 'trace'), '_trace.csv', day.day, onsetMinute, to))
    spans.push(...readTraceFile(file, day.day));
  const free = minuteFiles(
    join(day.dir, '..', 'fault_free', day.day, 'trace'),
    '_trace.csv',
    day.day,
    0,
    Infinity,
  );
  if (free.length && spans.length) {
    const records = free.flatMap((f) => readTraceFile(f, day.day));
    const shift = precedingShift(
      records.map((r) => r.start),
      spans.map((r) => r.start),
    );
    spans.push(...records.map((r) => ({ ...r, start: r.start + shift })));
  }
  return spans;
}

/**
 * Span start times are nanoseconds on the trace clock; the file's minute (HH_MM, the trusted clock) anchors them.
 * A file holds the minute *before* its name (HH:MM-1:09 to HH:MM:08, like the log files, whose ISO stamps agree with
 * the span clock), so the offset is taken from the file's latest span, which falls in minute HH:MM.
 */
function readTraceFile(file: string, day: string): Span[] {
  const rows = parseCsvObjects(read(file));
  const m = /(\d{2})_(\d{2})_trace/.exec(file)!;
  const minute = Date.parse(`${day}T${m[1]}:${m[2]}:00Z`) / 1000;
  const starts = rows.map((r) => Number(r.StartTimeUnixNano) / 1e9);
  const latest = Math.max(...starts.filter(Number.isFinite));
  const offset = Number.isFinite(latest) ? minute - Math.floor(latest / 60) * 60 : 0;
  return rows.map((r, i) => ({
    traceId: r.TraceID ?? '',
    spanId: r.SpanID ?? '',
    parentId: r.ParentID ?? '',
    service: serviceOfPod(r.PodName ?? ''),
    operation: r.OperationName ?? '',
    start: starts[i]! + offset,
    durationMs: Number(r.Duration) / 1000,
  }));
}

/**
 * The RCA's name for each chaos type in Nezha's fault lists (a fact about the data: what each injection does), so a
 * benchmark can score fault types: delays are latency, CPU stress is CPU saturation, injected exceptions and wrong
 * return values are errors.
 */
export const NEZHA_FAULT_TYPE: Record<string, string> = {
  network_delay: 'latency',
  cpu_contention: 'cpu-saturation',
  cpu_consumed: 'cpu-saturation',
  exception: 'errors',
  return: 'errors',
};
