import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { requireBinary } from '../support/index.js';

const provisioning = resolve(import.meta.dirname, '..', '..', '..', 'provisioning');

describe('alerting provisioning', () => {
  it('Prometheus sends alerts to Alertmanager (promtool accepts the alerting block)', () => {
    const promtool = requireBinary('/usr/bin/promtool', 'prometheus');
    const file = resolve(provisioning, 'prometheus', 'prometheus.yml');
    const output = execFileSync(promtool, ['check', 'config', file], { encoding: 'utf8' });
    expect(output).toMatch(/is valid prometheus config file syntax/);
    const config = parse(readFileSync(file, 'utf8')) as {
      alerting: { alertmanagers: Array<{ static_configs: Array<{ targets: string[] }> }> };
    };
    expect(config.alerting.alertmanagers[0]!.static_configs[0]!.targets).toEqual(['127.0.0.1:9093']);
  });

  it('Alertmanager routes everything to the engine webhook (amtool accepts it)', () => {
    const amtool = requireBinary('/usr/bin/amtool', 'prometheus-alertmanager');
    const file = resolve(provisioning, 'alertmanager', 'alertmanager.yml');
    const output = execFileSync(amtool, ['check-config', file], { encoding: 'utf8' });
    expect(output).toMatch(/SUCCESS/);
    const config = parse(readFileSync(file, 'utf8')) as {
      route: { receiver: string };
      receivers: Array<{ name: string; webhook_configs: Array<{ url: string; send_resolved: boolean }> }>;
    };
    const receiver = config.receivers.find((r) => r.name === config.route.receiver)!;
    expect(new URL(receiver.webhook_configs[0]!.url).pathname).toBe('/api/v1/alerts/webhook/alertmanager');
    expect(receiver.webhook_configs[0]!.send_resolved).toBe(true);
  });
});
