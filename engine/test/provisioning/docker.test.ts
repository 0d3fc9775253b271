import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config/loadConfig.js';
import { requireBinary } from '../support/index.js';

/**
 * The one-command Docker stack, checked without a Docker engine: `docker-compose config` (Debian's 1.29) resolves
 * the file, every bind-mounted path exists, the engine's config parses as the engine will parse it, promtool and
 * amtool accept the Prometheus and Alertmanager configs, and the Dockerfile is multi-stage, non-root, health-checked,
 * without dev dependencies, and copies only paths that exist.
 */
const ROOT = resolve(import.meta.dirname, '..', '..', '..');
const COMPOSE = join(ROOT, 'provisioning', 'docker-compose.yml');
const DOCKERFILE = join(ROOT, 'engine', 'Dockerfile');

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string>;
  volumes?: Array<string | { type: string; source: string; target: string }>;
  read_only?: boolean;
  tmpfs?: string[];
  networks?: Record<string, { aliases?: string[] } | null>;
}

function composeConfig(env: NodeJS.ProcessEnv = {}): { services: Record<string, ComposeService> } {
  const binary = requireBinary('/usr/bin/docker-compose', 'docker-compose');
  const out = execFileSync(binary, ['-f', COMPOSE, 'config'], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, ...env },
  });
  return parse(out) as { services: Record<string, ComposeService> };
}

function hostPath(
  volume: ComposeService['volumes'] extends Array<infer V> | undefined ? V : never,
): string | undefined {
  if (typeof volume === 'string') {
    const source = volume.split(':')[0]!;
    return source.startsWith('/') ? source : undefined;
  }
  return volume.type === 'bind' ? volume.source : undefined;
}

describe('docker-compose stack', () => {
  const { services } = composeConfig();

  it('brings up two engines, Redis, Prometheus, Alertmanager, InfluxDB and Grafana', () => {
    expect(Object.keys(services).sort()).toEqual([
      'alertmanager',
      'engine-1',
      'engine-2',
      'grafana',
      'influxdb',
      'prometheus',
      'redis',
    ]);
    for (const name of ['engine-1', 'engine-2']) {
      const engine = services[name]!;
      expect(engine.build).toEqual({ context: ROOT, dockerfile: 'engine/Dockerfile' });
      expect(engine.read_only).toBe(true);
      expect(engine.tmpfs).toEqual(expect.arrayContaining(['/tmp', '/data']));
      expect(engine.networks?.['default']?.aliases).toContain('engine');
    }
  });

  // With the laptop defaults (change-me tokens, Grafana's admin/admin) a port published on every interface made anyone
  // on the network the engine's admin. docker-compose 1.29 prints each port as 'HOST_IP:PUBLISHED:TARGET/tcp' (v2 as
  // { host_ip, published, target }).
  it('publishes every port on loopback only', () => {
    type Port = string | { host_ip?: string; published?: number | string };
    const hostIp = (port: Port) =>
      typeof port === 'string'
        ? port.split(':').length === 3
          ? port.split(':')[0]
          : undefined
        : port.host_ip;
    const published = Object.entries(services).flatMap(([name, service]) =>
      ((service as { ports?: Port[] }).ports ?? []).map((port) => ({ name, port, host: hostIp(port) })),
    );
    expect(published.length).toBeGreaterThanOrEqual(6);
    for (const { name, port, host } of published)
      expect(host, `${name} ${JSON.stringify(port)}`).toBe('127.0.0.1');
  });

  it('mounts only paths that exist in the repository', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const volume of service.volumes ?? []) {
        const path = hostPath(volume);
        // The Grafana app's dist/ is built by `npm run build -w plugins/grafana-app` before `docker compose up`.
        if (!path || path.endsWith(join('grafana-app', 'dist'))) continue;
        expect(existsSync(path), `${name} mounts ${path}`).toBe(true);
      }
    }
  });

  it("gives the engines a config that parses, with the stack's Prometheus and InfluxDB as named sources and Redis shared", () => {
    const engine = services['engine-1']!;
    const config = loadConfig({
      path: join(ROOT, 'provisioning', 'docker', 'engine.yaml'),
      env: engine.environment ?? {},
    });
    expect(config.store).toMatchObject({ kind: 'redis', url: 'redis://redis:6379' });
    expect(config.metrics).toMatchObject({
      kind: 'synthetic',
      sources: {
        prometheus: { kind: 'prometheus', url: 'http://prometheus:9090' },
        influxdb: { kind: 'influxdb', url: 'http://influxdb:8086' },
      },
    });
    expect(config.server.auth.enabled).toBe(true);
    expect(config.server.auth.tokens.map((t) => t.role).sort()).toEqual([
      'admin',
      'operator',
      'operator',
      'viewer',
    ]);
    // Alertmanager's token may only send alerts: its file is the one most often readable by others.
    expect(config.server.auth.tokens.find((t) => t.name === 'alertmanager')).toMatchObject({
      token: services['alertmanager']!.environment!['AICLOUDOPS_ALERTMANAGER_TOKEN'],
      scopes: ['alerts:ingest'],
    });
    // Tokens given in the environment replace the defaults everywhere they are used.
    const custom = composeConfig({
      AICLOUDOPS_OPERATOR_TOKEN: 'operator-token-from-env-0123456789',
      AICLOUDOPS_ALERTMANAGER_TOKEN: 'alertmanager-token-from-env-012345',
    }).services;
    expect(custom['engine-2']!.environment!['AICLOUDOPS_OPERATOR_TOKEN']).toBe(
      'operator-token-from-env-0123456789',
    );
    expect(custom['alertmanager']!.environment).toEqual({
      AICLOUDOPS_ALERTMANAGER_TOKEN: 'alertmanager-token-from-env-012345',
    });
    expect(custom['engine-2']!.environment!['AICLOUDOPS_ALERTMANAGER_TOKEN']).toBe(
      'alertmanager-token-from-env-012345',
    );
    expect(custom['grafana']!.environment!['AICLOUDOPS_ENGINE_OPERATOR_TOKEN']).toBe(
      'operator-token-from-env-0123456789',
    );
  });

  it('has a Prometheus config with the project rules that promtool accepts, and an Alertmanager config for the webhook', () => {
    const promtool = requireBinary('/usr/bin/promtool', 'prometheus');
    const amtool = requireBinary('/usr/bin/amtool', 'prometheus-alertmanager');
    // The container layout: prometheus.yml beside rules/ (compose mounts provisioning/prometheus/rules there).
    const dir = mkdtempSync(join(tmpdir(), 'aicloudops-compose-prom-'));
    try {
      cpSync(join(ROOT, 'provisioning', 'docker', 'prometheus.yml'), join(dir, 'prometheus.yml'));
      cpSync(join(ROOT, 'provisioning', 'prometheus', 'rules'), join(dir, 'rules'), { recursive: true });
      const out = execFileSync(promtool, ['check', 'config', join(dir, 'prometheus.yml')], {
        encoding: 'utf8',
      });
      expect(out).toMatch(/SUCCESS: \d+ rules found/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const am = execFileSync(
      amtool,
      ['check-config', join(ROOT, 'provisioning', 'docker', 'alertmanager.yml')],
      { encoding: 'utf8' },
    );
    expect(am).toMatch(/SUCCESS/);
    const alertmanager = parse(
      readFileSync(join(ROOT, 'provisioning', 'docker', 'alertmanager.yml'), 'utf8'),
    );
    expect(alertmanager.receivers[0].webhook_configs[0].url).toBe(
      'http://engine:8080/api/v1/alerts/webhook/alertmanager',
    );
  });
});

describe('engine Dockerfile', () => {
  const text = readFileSync(DOCKERFILE, 'utf8');
  const instructions = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));

  it('is multi-stage, builds with the engine build, ships production dependencies only, runs as non-root with a health check', () => {
    expect(instructions.filter((l) => l.startsWith('FROM ')).length).toBeGreaterThanOrEqual(3);
    expect(text).toMatch(/npm run build --workspace engine/);
    expect(text).toMatch(/npm ci [^\n]*--omit=dev/);
    const final = instructions.slice(instructions.findLastIndex((l) => l.startsWith('FROM ')));
    expect(final.find((l) => l.startsWith('USER '))).toMatch(/^USER [1-9]\d*(:\d+)?$/);
    expect(final.some((l) => l.startsWith('HEALTHCHECK ') && l.includes('/healthz'))).toBe(true);
    // What the final image copies from the build context: the runtime parts only, never sources or tests.
    const copied = final
      .filter((l) => l.startsWith('COPY ') && !l.includes('--from='))
      .map((l) => l.split(/\s+/)[1]);
    expect(copied.sort()).toEqual(['engine/bin', 'engine/package.json', 'engine/runbooks']);
  });

  it('copies only paths that exist, and the context leaves out node_modules and build output', () => {
    for (const line of instructions.filter((l) => l.startsWith('COPY ') && !l.includes('--from='))) {
      const sources = line.split(/\s+/).slice(1, -1);
      for (const source of sources) expect(existsSync(join(ROOT, source)), line).toBe(true);
    }
    const ignore = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n');
    expect(ignore).toEqual(expect.arrayContaining(['**/node_modules', '**/dist', '.git']));
    // Every workspace's package.json is copied (npm ci checks the lockfile against all of them).
    const workspaces = (
      JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { workspaces: string[] }
    ).workspaces;
    for (const ws of workspaces) expect(text, ws).toContain(`COPY ${ws}/package.json ${ws}/`);
  });
});
