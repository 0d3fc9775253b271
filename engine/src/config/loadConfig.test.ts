import { describe, expect, it } from 'vitest';
import { configFromEnv, loadConfig } from './loadConfig.js';
import { configError, configFile } from '../../test/support/configFile.js';

describe('loadConfig', () => {
  it('gives the embedded demo with no file and no environment', () => {
    const config = loadConfig({ env: {} });
    expect(config.profile).toBe('demo');
    expect(config.metrics.kind).toBe('synthetic');
    expect(config.cluster.kind).toBe('simulated');
    expect(config.store.kind).toBe('memory');
    expect(config.model.provider).toBe('none');
    expect(config.server.auth.enabled).toBe(false);
    expect(config.signals.list.map((s) => s.name)).toContain('latency_p99');
  });

  it('reads YAML, then lets AICLOUDOPS_* variables override it', () => {
    const path = configFile(`
profile: live
metrics: { kind: prometheus, url: "http://prom:9090" }
store: { kind: redis, url: "redis://redis:6379" }
server:
  port: 9000
  auth:
    tokens:
      - { name: ci, token: "\${CI_TOKEN}", role: operator }
`);
    const config = loadConfig({
      path,
      env: {
        CI_TOKEN: 'a-very-long-operator-token',
        AICLOUDOPS_SERVER__PORT: '9100',
        AICLOUDOPS_METRICS__TIMEOUT_SECONDS: '5',
      },
    });
    expect(config.profile).toBe('live');
    expect(config.server.port).toBe(9100);
    expect(config.server.auth.enabled).toBe(true);
    expect(config.server.auth.tokens[0]).toEqual({
      name: 'ci',
      token: 'a-very-long-operator-token',
      role: 'operator',
    });
    expect(config.metrics).toMatchObject({ kind: 'prometheus', url: 'http://prom:9090', timeoutSeconds: 5 });
    expect(config.cluster.kind).toBe('kubernetes');
  });

  // The demo's preset turned auth off even when the file set tokens: every caller, a viewer's token included, was an
  // anonymous admin. Tokens without `enabled` now mean auth on; an explicit `enabled: false` still wins.
  it('turns auth on in the demo profile when tokens are set without enabled', () => {
    const tokens = [{ name: 'v', token: 'a-very-long-viewer-token', role: 'viewer' as const }];
    const path = configFile(`
profile: demo
server:
  auth:
    tokens:
      - { name: v, token: a-very-long-viewer-token, role: viewer }
`);
    expect(loadConfig({ path, env: {} }).server.auth).toMatchObject({ enabled: true, tokens });
    const viaEnv = loadConfig({ env: { AICLOUDOPS_SERVER__AUTH__TOKENS: JSON.stringify(tokens) } });
    expect(viaEnv.server.auth.enabled).toBe(true);
    const off = loadConfig({ env: {}, overrides: { server: { auth: { enabled: false, tokens } } } });
    expect(off.server.auth.enabled).toBe(false);
    expect(loadConfig({ env: {} }).server.auth.enabled).toBe(false);
  });

  it('names the field and the reason when the live profile lacks a Prometheus URL', () => {
    const error = configError(() => loadConfig({ profile: 'live', env: {} }));
    expect(error.code).toBe('INVALID_CONFIG');
    expect(error.issues.map((i) => i.field)).toEqual(expect.arrayContaining(['metrics.url', 'store.url']));
    expect(error.message).toContain('metrics.url');
  });

  it('rejects a bad value with the field path', () => {
    const error = configError(() => loadConfig({ env: { AICLOUDOPS_SERVER__PORT: '70000' } }));
    expect(error.issues[0]?.field).toBe('server.port');
  });

  it('refuses auth without tokens, and short or duplicate tokens', () => {
    expect(
      configError(() => loadConfig({ env: {}, overrides: { server: { auth: { enabled: true } } } })).issues[0]
        ?.field,
    ).toBe('server.auth.tokens');
    const short = configError(() =>
      loadConfig({
        env: {},
        overrides: {
          server: { auth: { enabled: true, tokens: [{ name: 'x', token: 'short', role: 'viewer' }] } },
        },
      }),
    );
    expect(short.issues[0]?.field).toBe('server.auth.tokens.0.token');
    const dup = configError(() =>
      loadConfig({
        env: {},
        overrides: {
          server: {
            auth: {
              tokens: [
                { name: 'a', token: 'same-token-0123456789', role: 'viewer' },
                { name: 'b', token: 'same-token-0123456789', role: 'admin' },
              ],
            },
          },
        },
      }),
    );
    expect(dup.issues[0]?.field).toBe('server.auth.tokens.1.token');
  });

  it('reports unreadable files, broken YAML and unset variables clearly', () => {
    expect(configError(() => loadConfig({ path: '/nonexistent/config.yaml', env: {} })).message).toContain(
      'cannot read config file',
    );
    expect(
      configError(() => loadConfig({ path: configFile('server: [unclosed'), env: {} })).message,
    ).toContain('not valid YAML');
    const unset = configError(() =>
      loadConfig({
        path: configFile('model: { provider: openai, chatModel: x, apiKey: "${NOPE}" }'),
        env: {},
      }),
    );
    expect(unset.issues[0]).toEqual({
      field: 'model.apiKey',
      message: 'environment variable NOPE is not set',
    });
  });

  it('refuses settings the schema does not know, naming each with the nearest known key', () => {
    // zod strips unknown keys: before this check `server.prot: 9000` started the engine on port 8080, "configuration: ok".
    const path = configFile(`
bogusKey: 1
server:
  prot: 9000
metrics:
  kind: prometheus
  url: http://prom:9090
  sources:
    influx: { kind: influxdb, url: "http://influx:8086", database: telegraf, databse: metrics }
signals:
  list:
    - { name: cpu, query: up, unti: cores }
jobs:
  perKind:
    rca: { concurrency: 1 }
`);
    const error = configError(() => loadConfig({ path, env: {} }));
    expect(error.code).toBe('INVALID_CONFIG');
    expect(error.message).toContain(`invalid config file ${path}`);
    expect(error.issues).toEqual([
      { field: 'bogusKey', message: 'unknown setting' },
      { field: 'server.prot', message: 'unknown setting (did you mean server.port?)' },
      {
        field: 'metrics.sources.influx.databse',
        message: 'unknown setting (did you mean metrics.sources.influx.database?)',
      },
      { field: 'signals.list.0.unti', message: 'unknown setting (did you mean signals.list.0.unit?)' },
    ]);
  });

  it('checks only the file for unknown keys: the CLI reads AICLOUDOPS_URL and AICLOUDOPS_TOKEN from the same environment', () => {
    const path = configFile('server:\n  port: 9000\n');
    const config = loadConfig({
      path,
      env: { AICLOUDOPS_URL: 'http://127.0.0.1:8080', AICLOUDOPS_TOKEN: 'x' },
    });
    expect(config.server.port).toBe(9000);
  });

  it('refuses an AICLOUDOPS_* variable with __ that names no setting, and leaves ones without __ alone', () => {
    const error = configError(() =>
      loadConfig({
        env: {
          AICLOUDOPS_SERVER__PROT: '9000',
          AICLOUDOPS_URL: 'http://127.0.0.1:8080',
          AICLOUDOPS_VIEWER_TOKEN: 'x',
        },
      }),
    );
    expect(error.code).toBe('INVALID_CONFIG');
    expect(error.issues).toEqual([
      {
        field: 'AICLOUDOPS_SERVER__PROT',
        message: 'server.prot: unknown setting (did you mean server.port?)',
      },
    ]);
    expect(
      loadConfig({
        env: { AICLOUDOPS_SERVER__CORS_ORIGINS: '["http://a"]', AICLOUDOPS_REPAIR__MAX_MODE: 'approve' },
      }).server.corsOrigins,
    ).toEqual(['http://a']);
  });

  it('takes one nested override of a demo source without its kind', () => {
    const config = loadConfig({
      env: {
        AICLOUDOPS_CLUSTER__INJECT_FAULTS: 'false',
        AICLOUDOPS_CLUSTER__FAULT_INTERVAL_SECONDS: '60',
        AICLOUDOPS_METRICS__SEED: '7',
      },
    });
    expect(config.cluster).toEqual({ kind: 'simulated', injectFaults: false, faultIntervalSeconds: 60 });
    expect(config.metrics).toMatchObject({ kind: 'synthetic', seed: 7 });
    expect(
      loadConfig({ env: { AICLOUDOPS_STORE__KIND: 'redis', AICLOUDOPS_STORE__URL: 'redis://r:6379' } }).store
        .kind,
    ).toBe('redis');
  });

  it('maps environment names to camelCase paths and parses JSON values', () => {
    expect(
      configFromEnv({
        AICLOUDOPS_SERVER__BODY_LIMIT_BYTES: '10',
        AICLOUDOPS_SERVER__CORS_ORIGINS: '["http://g"]',
        OTHER: 'x',
      }),
    ).toEqual({
      server: { bodyLimitBytes: 10, corsOrigins: ['http://g'] },
    });
  });
});
