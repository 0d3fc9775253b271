import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrometheusMetricsSource } from '../../src/sources/metrics/PrometheusMetricsSource.js';
import { openMetricsFromSeries, startPrometheus, type PrometheusServer } from '../support/index.js';

/**
 * A real Prometheus behind basic auth (its own `--web.config.file`): `metrics.url` with `user:password@` reaches it.
 * Before, Node's fetch refused such a URL outright ("Request cannot be constructed from a URL that includes
 * credentials"), every query failed, and the error quoted the password into RCA results and logs.
 */
const USER = 'promuser';
const PASSWORD = 'prom-secret';
// bcrypt of PASSWORD (cost 4), as Prometheus' web config wants it; made once with Python's crypt.
const HASH = '$2b$04$RUT7FL3dBi3AMm12aw2Lieeq1Cxw/3dTmBIJlfTYwBZMZVrPHcOea';
const basic = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
const T = 1_700_000_000;

describe('Prometheus with basic auth', () => {
  let prometheus: PrometheusServer;

  beforeAll(async () => {
    prometheus = await startPrometheus({
      files: { 'web.yml': `basic_auth_users:\n  ${USER}: '${HASH}'\n` },
      args: ['--web.config.file=web.yml'],
      readyHeaders: { authorization: basic },
      openMetrics: openMetricsFromSeries([
        { name: 'shop_up', labels: { service: 'cart' }, timestamps: [T, T + 15, T + 30], values: [1, 1, 1] },
      ]),
    });
  }, 60_000);
  afterAll(async () => {
    await prometheus?.stop();
  });

  it('sends the credentials of metrics.url as a Basic header and keeps them out of its URL and errors', async () => {
    const withCredentials = prometheus.url.replace('http://', `http://${USER}:${PASSWORD}@`);
    const source = new PrometheusMetricsSource({ url: withCredentials, timeoutSeconds: 10 });
    expect(source.url).toBe(prometheus.url);
    const samples = await source.instantQuery('shop_up', T + 30);
    expect(samples.map((s) => [s.labels.service, s.value])).toEqual([['cart', 1]]);

    const wrong = new PrometheusMetricsSource({
      url: prometheus.url.replace('http://', `http://${USER}:nope@`),
      timeoutSeconds: 10,
    });
    const error = await wrong.instantQuery('shop_up', T + 30).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(/401/);
    expect(error?.message).not.toContain('nope');
  }, 60_000);
});
