import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createContext } from '../../bench/lib.js';
import { main } from '../../bench/rca-nezha.bench.js';

/**
 * The shared data sets hold Nezha's Online Boutique folder only (metrics); its TrainTicket folder (metrics, logs and
 * traces) is kept back for evaluation. This builds a small folder of TrainTicket's shape (SOURCE.md's layout: per-pod
 * metric files, one log and one trace file per minute with Docker JSON log lines, a fault-free minute per day, a
 * `fault_list.json` with the injection) and runs `rca-nezha` over it, so the log and trace paths that only TrainTicket
 * exercises are run end to end: an `exception` fault that moves no metric is found by its logs.
 */
const DAY = '2023-01-29';
const PODS = {
  'ts-ui-dashboard': 'ts-ui-dashboard-5f6585d649-fnmft',
  'ts-order-service': 'ts-order-service-866bd68c97-xcqfx',
  'ts-station-service': 'ts-station-service-579f59597d-wc2lz',
  'ts-travel-service': 'ts-travel-service-578fcf4766-9csqn',
};
const FAULTY = 'ts-order-service';
const at = (hhmmss: string) => Date.parse(`${DAY}T${hhmmss}Z`) / 1000;
const INJECTED = at('10:30:00');
const noise = (i: number, k: number) => (((i + 5) * (k + 11) * 7919) % 23) / 23 - 0.5;
const iso = (t: number) => new Date(t * 1000).toISOString();
const pad = (n: number) => String(n).padStart(2, '0');
const minuteName = (t: number) =>
  `${pad(new Date(t * 1000).getUTCHours())}_${pad(new Date(t * 1000).getUTCMinutes())}`;

function metricFile(pod: string, k: number): string {
  const header =
    'Time,TimeStamp,PodName,CpuUsageRate(%),MemoryUsageRate(%),PodClientLatencyP90(s),PodServerLatencyP90(s),PodWorkload(Ops),PodSuccessRate(%)';
  const rows = [];
  // Three hours of one-minute rows; the exception fault moves none of them (as in TrainTicket).
  for (let i = 0, t = at('08:00:19'); t < at('11:00:00'); i++, t += 60) {
    const time = `${DAY} ${new Date(t * 1000).toISOString().slice(11, 23)}000000 +0000 UTC m=+${i * 60}.1`;
    rows.push(
      [
        time,
        t,
        pod,
        20 + 2 * noise(i, k),
        60 + noise(i, k + 1),
        0.08 + 0.005 * noise(i, k + 2),
        0.05 + 0.004 * noise(i, k + 3),
        12 + noise(i, k + 4),
        100,
      ].join(','),
    );
  }
  return [header, ...rows].join('\n') + '\n';
}

const CSV_LOG_HEADER = 'Timestamp,TimeUnixNano,Node,PodName,Container,TraceID,SpanID,Log';
const docker = (time: number, line: string) =>
  `"${JSON.stringify({ log: `${line}\n`, stream: 'stdout', time: iso(time) }).replace(/"/g, '""')}"`;

/** One minute of logs (a file holds the minute before its name): every pod's INFO lines, the faulty pod's errors after the injection. */
function logMinute(fileMinute: number, withFault: boolean): string {
  const lines = [CSV_LOG_HEADER];
  for (let s = 0; s < 60; s += 3) {
    const t = fileMinute - 51 + s;
    for (const [service, pod] of Object.entries(PODS)) {
      const info = `${iso(t).slice(0, 23).replace('T', ' ')}  INFO 1 --- [nio-8080-exec-${(s % 9) + 1}] ${service}.controller : [query][request id ${s * 7 + 1}] success`;
      lines.push([iso(t), t * 1e9, 'node-1', pod, service, `t${s}`, `s${s}`, docker(t, info)].join(','));
      if (withFault && service === FAULTY && t >= INJECTED) {
        const error = `${iso(t).slice(0, 23).replace('T', ' ')} ERROR 1 --- [nio-8080-exec-${(s % 9) + 1}] o.a.c.c.C.[.[.[/].[dispatcherServlet] : Servlet.service() threw exception java.lang.RuntimeException: order ${s * 13 + 5} not created`;
        lines.push([iso(t), t * 1e9, 'node-1', pod, service, `t${s}`, `e${s}`, docker(t, error)].join(','));
        lines.push(
          [
            iso(t),
            t * 1e9,
            'node-1',
            pod,
            service,
            `t${s}`,
            `f${s}`,
            docker(t, '\tat order.service.OrderServiceImpl.create(OrderServiceImpl.java:84)'),
          ].join(','),
        );
      }
    }
  }
  return lines.join('\n') + '\n';
}

/** One minute of spans: the dashboard calls orders, orders call stations, every 3 s; durations in µs, starts in ns. */
function traceMinute(fileMinute: number): string {
  const lines = ['TraceID,SpanID,ParentID,PodName,OperationName,StartTimeUnixNano,EndTimeUnixNano,Duration'];
  for (let s = 0; s < 60; s += 3) {
    const t = fileMinute - 51 + s;
    const span = (
      id: string,
      parent: string,
      service: keyof typeof PODS,
      op: string,
      start: number,
      us: number,
    ) =>
      [
        `t${fileMinute}-${s}`,
        id,
        parent,
        PODS[service],
        op,
        Math.round(start * 1e9),
        Math.round(start * 1e9 + us * 1e3),
        us,
      ].join(',');
    lines.push(span(`a${s}`, '', 'ts-ui-dashboard', 'GET /api/v1/orders', t, 9000 + 300 * noise(s, 1)));
    lines.push(
      span(
        `b${s}`,
        `a${s}`,
        'ts-order-service',
        'OrderController.create',
        t + 0.001,
        6000 + 200 * noise(s, 2),
      ),
    );
    lines.push(
      span(
        `c${s}`,
        `b${s}`,
        'ts-station-service',
        'StationController.query',
        t + 0.002,
        2000 + 100 * noise(s, 3),
      ),
    );
  }
  return lines.join('\n') + '\n';
}

function writeDataset(withLogs: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), 'nezha-tt-'));
  const day = join(dir, 'trainticket', DAY);
  for (const sub of ['metric', 'log', 'trace']) mkdirSync(join(day, sub), { recursive: true });
  for (const sub of ['log', 'trace'])
    mkdirSync(join(dir, 'trainticket', 'fault_free', DAY, sub), { recursive: true });
  const faults = {
    '10': [
      {
        inject_time: `${DAY} 10:30:00`,
        inject_timestamp: String(INJECTED - 8 * 3600),
        inject_pod: PODS[FAULTY],
        inject_type: 'exception',
      },
    ],
  };
  writeFileSync(join(day, 'fault_list.json'), JSON.stringify(faults, null, 4));
  Object.values(PODS).forEach((pod, k) => {
    const text = metricFile(pod, k * 5);
    // Both encodings the data set ships: compressed large files, plain small ones.
    if (k % 2) writeFileSync(join(day, 'metric', `${pod}_metric.csv.gz`), gzipSync(text));
    else writeFileSync(join(day, 'metric', `${pod}_metric.csv`), text);
  });
  for (const minute of [INJECTED, INJECTED + 60, INJECTED + 120]) {
    if (withLogs)
      writeFileSync(join(day, 'log', `${minuteName(minute)}_log.csv.gz`), gzipSync(logMinute(minute, true)));
    writeFileSync(join(day, 'trace', `${minuteName(minute)}_trace.csv`), traceMinute(minute));
  }
  const free = at('09:00:00');
  if (withLogs)
    writeFileSync(
      join(dir, 'trainticket', 'fault_free', DAY, 'log', `${minuteName(free)}_log.csv`),
      logMinute(free, false),
    );
  writeFileSync(
    join(dir, 'trainticket', 'fault_free', DAY, 'trace', `${minuteName(free)}_trace.csv`),
    traceMinute(free),
  );
  return dir;
}

async function runBench(dir: string): Promise<{ results: Record<string, number>; printed: string }> {
  const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  try {
    const results = (await main(createContext('rca-nezha', { data: dir }))) as Record<string, number>;
    return { results, printed: log.mock.calls.map((c) => c.join(' ')).join('\n') };
  } finally {
    log.mockRestore();
  }
}

describe('rca-nezha on a folder of TrainTicket’s shape (metrics, logs and traces)', () => {
  const dirs: string[] = [];
  beforeAll(() => {
    dirs.push(writeDataset(true), writeDataset(false));
  });
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('reads every modality and finds an exception fault that moves no metric by its logs', async () => {
    const { results, printed } = await runBench(dirs[0]!);
    expect(printed).toMatch(/trainticket\s*\|\s*metrics\+logs\+traces/);
    expect(results.faults).toBe(1);
    expect(results.as1).toBe(1);
    expect(results.type_accuracy).toBe(1);
  }, 60_000);

  it('does not find it without the logs (the logs are what found it)', async () => {
    const { results, printed } = await runBench(dirs[1]!);
    expect(printed).toMatch(/trainticket\s*\|\s*metrics\+traces/);
    expect(results.as1).toBe(0);
  }, 60_000);
});
