import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaultLedger } from '../../src/sim/faults.js';
import { ShopMetricsGenerator } from '../../src/sim/metrics/ShopMetricsGenerator.js';
import { PrometheusMetricsSource } from '../../src/sources/metrics/PrometheusMetricsSource.js';
import { requireBinary, sleep, startPrometheus, type PrometheusServer } from '../support/index.js';

const ledger = new FaultLedger();
const generator = new ShopMetricsGenerator({ seed: 42, ledger });

describe('renderExposition', () => {
  it('passes promtool check metrics', async () => {
    const promtool = requireBinary('/usr/bin/promtool', 'prometheus');
    const text = generator.renderExposition(1_764_000_000);
    const child = execFile(promtool, ['check', 'metrics']);
    child.stdin!.end(text);
    const [code, output] = await new Promise<[number | null, string]>((resolve) => {
      let out = '';
      child.stdout!.on('data', (c: Buffer) => (out += c));
      child.stderr!.on('data', (c: Buffer) => (out += c));
      child.on('close', (c) => resolve([c, out]));
    });
    expect(output).toBe('');
    expect(code).toBe(0);
  });

  it('lists each series once, with HELP and TYPE per family', () => {
    const text = generator.renderExposition(1_764_000_000.5);
    const samples = text.split('\n').filter((l) => l && !l.startsWith('#'));
    expect(samples).toHaveLength(generator.series().filter((d) => !d.scrapeGenerated).length);
    expect(samples.some((l) => l.startsWith('up{'))).toBe(false);
    expect(text).toContain('# TYPE http_request_duration_seconds histogram');
    expect(text).toContain('# TYPE container_memory_working_set_bytes gauge');
  });
});

describe('a real Prometheus scraping the demo exposition', () => {
  let server: Server;
  let prometheus: PrometheusServer;
  let source: PrometheusMetricsSource;

  beforeAll(async () => {
    ledger.inject({
      type: 'crash-loop',
      namespace: 'shop',
      service: 'cart',
      startedAt: Date.now() / 1000 - 600,
    });
    server = createServer((req, res) => {
      if (req.url !== '/metrics') {
        res.statusCode = 404;
        res.end();
        return;
      }
      res.setHeader('content-type', 'text/plain; version=0.0.4; charset=utf-8');
      res.end(generator.renderExposition(Date.now() / 1000));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    prometheus = await startPrometheus({
      config: [
        'global:',
        '  scrape_interval: 1s',
        'scrape_configs:',
        '  - job_name: demo-shop',
        '    honor_labels: true',
        '    static_configs:',
        `      - targets: ['127.0.0.1:${port}']`,
      ].join('\n'),
    });
    source = new PrometheusMetricsSource({ url: prometheus.url });
  });
  afterAll(async () => {
    await prometheus?.stop();
    await new Promise<void>((resolve) => server?.close(() => resolve()));
  });

  it('ingests every series and answers the default-signal style queries', async () => {
    let count = 0;
    for (let i = 0; i < 100 && count === 0; i++) {
      const [sample] = await source.instantQuery('count({namespace="shop"})');
      count = sample?.value ?? 0;
      if (count === 0) await sleep(200);
    }
    expect(count).toBe(generator.series().filter((d) => !d.scrapeGenerated).length);
    const [up] = await source.instantQuery('up{job="demo-shop"}');
    expect(up?.value).toBe(1);

    // The restarts of the crash-looping service came through the scrape.
    const restarts = await source.instantQuery('sum by (service) (kube_pod_container_status_restarts_total)');
    const byService = new Map(restarts.map((s) => [s.labels.service, s.value]));
    expect(byService.get('cart')).toBeGreaterThan(0);
    expect(byService.get('catalog')).toBe(0);
    const [ready] = await source.instantQuery('kube_deployment_status_replicas_ready{deployment="cart"}');
    expect(ready?.value).toBe(0);

    // A scraped counter equals the generator's value at the scrape's own timestamp.
    const [sample] = await source.instantQuery('http_request_duration_seconds_count{service="frontend"}');
    const [stamp] = await source.instantQuery(
      `timestamp(http_request_duration_seconds_count{pod="${sample!.labels.pod}"})`,
    );
    const def = generator
      .series()
      .find(
        (d) =>
          d.labels.__name__ === 'http_request_duration_seconds_count' && d.labels.pod === sample!.labels.pod,
      )!;
    const expected = generator.valueAt(def, stamp!.value);
    // Rendering happens a few milliseconds around the scrape timestamp: allow 1 s worth of traffic.
    expect(Math.abs(sample!.value - expected)).toBeLessThan(generator.rateAt(def, stamp!.value) * 1);
  });

  it('lets Prometheus compute rates and quantiles from the scraped data', async () => {
    await sleep(3_000);
    const rates = await source.instantQuery('sum by (service) (rate(http_requests_total[10s]))');
    expect(rates.length).toBe(generator.services.length);
    for (const r of rates) expect(r.value).toBeGreaterThan(0);
    const p99 = await source.instantQuery(
      'histogram_quantile(0.99, sum by (service, le) (rate(http_request_duration_seconds_bucket[10s])))',
    );
    expect(p99.length).toBe(generator.services.length);
    for (const q of p99) expect(Number.isFinite(q.value) && q.value > 0).toBe(true);
  });
});
