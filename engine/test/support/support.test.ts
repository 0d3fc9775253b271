import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import {
  openMetricsFromSeries,
  requireBinary,
  startAlertmanager,
  startPrometheus,
  startRedis,
  type RedisServer,
} from './index.js';

describe('startRedis', () => {
  let redis: RedisServer | undefined;
  afterAll(() => redis?.stop());

  it('keeps data across restart on the same port', async () => {
    redis = await startRedis();
    const write = new Redis(redis.url);
    await write.set('survivor', 'yes');
    await write.quit();

    await redis.restart();

    const read = new Redis(redis.url);
    expect(await read.get('survivor')).toBe('yes');
    await read.quit();
  });
});

describe('startPrometheus', () => {
  const stops: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const stop of stops) await stop();
  });

  it('answers query_range with exactly the backfilled values', async () => {
    const start = 1_700_000_000;
    const timestamps = Array.from({ length: 20 }, (_, i) => start + i * 15);
    const values = timestamps.map((_, i) => i * i + 0.25);
    const text = openMetricsFromSeries([
      { name: 'demo_gauge', labels: { service: 'cart', note: 'a "quoted"\\ value' }, timestamps, values },
      {
        name: 'demo_requests_total',
        type: 'counter',
        labels: { service: 'cart' },
        timestamps,
        values: timestamps.map((_, i) => i * 10),
      },
    ]);
    const prometheus = await startPrometheus({ openMetrics: text });
    stops.push(prometheus.stop);

    const params = new URLSearchParams({
      query: 'demo_gauge',
      start: String(start),
      end: String(start + 19 * 15),
      step: '15',
    });
    const body = (await (await fetch(`${prometheus.url}/api/v1/query_range?${params}`)).json()) as {
      data: { result: Array<{ metric: Record<string, string>; values: Array<[number, string]> }> };
    };
    expect(body.data.result).toHaveLength(1);
    const series = body.data.result[0]!;
    expect(series.metric.note).toBe('a "quoted"\\ value');
    expect(series.values.map(([t]) => t)).toEqual(timestamps);
    expect(series.values.map(([, v]) => Number(v))).toEqual(values);

    const counter = new URLSearchParams({ query: 'demo_requests_total', time: String(start + 19 * 15) });
    const instant = (await (await fetch(`${prometheus.url}/api/v1/query?${counter}`)).json()) as {
      data: { result: Array<{ value: [number, string] }> };
    };
    expect(instant.data.result[0]?.value[1]).toBe('190');
  });

  it('reports a promtool error for invalid OpenMetrics', async () => {
    await expect(startPrometheus({ openMetrics: 'not openmetrics at all\n' })).rejects.toThrow(
      /promtool backfill failed/,
    );
  });
});

describe('startAlertmanager', () => {
  it('starts ready with gossip disabled and stops', async () => {
    const alertmanager = await startAlertmanager();
    try {
      const status = (await (await fetch(`${alertmanager.url}/api/v2/status`)).json()) as {
        cluster: { status: string };
      };
      expect(status.cluster.status).toBe('disabled');
    } finally {
      await alertmanager.stop();
    }
    await expect(fetch(`${alertmanager.url}/-/ready`)).rejects.toThrow();
  });
});

describe('requireBinary', () => {
  it('names the package to install', () => {
    expect(() => requireBinary('/usr/bin/definitely-not-here', 'some-package')).toThrow(
      /apt-get install -y --no-install-recommends some-package/,
    );
  });
});

describe('openMetricsFromSeries', () => {
  it('groups samples by family even when the input interleaves them', () => {
    const text = openMetricsFromSeries([
      { name: 'a', labels: { x: '1' }, timestamps: [2, 1], values: [20, 10] },
      { name: 'b', labels: {}, timestamps: [1], values: [NaN] },
      { name: 'a', labels: { x: '2' }, timestamps: [1], values: [Infinity] },
    ]);
    expect(text).toBe(
      [
        '# TYPE a gauge',
        'a{x="1"} 10 1',
        'a{x="1"} 20 2',
        'a{x="2"} +Inf 1',
        '# TYPE b gauge',
        'b NaN 1',
        '# EOF',
        '',
      ].join('\n'),
    );
  });
});
