import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configFromEnv, loadConfig } from './loadConfig.js';
import { EngineError } from '../errors.js';

const file = (text: string) => {
  const dir = mkdtempSync(join(tmpdir(), 'aicloudops-config-'));
  const path = join(dir, 'config.yaml');
  writeFileSync(path, text);
  return path;
};

function configError(fn: () => unknown): EngineError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(EngineError);
    return error as EngineError;
  }
  throw new Error('expected an error');
}

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
    const path = file(`
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
      env: { CI_TOKEN: 'a-very-long-operator-token', AICLOUDOPS_SERVER__PORT: '9100', AICLOUDOPS_METRICS__TIMEOUT_SECONDS: '5' },
    });
    expect(config.profile).toBe('live');
    expect(config.server.port).toBe(9100);
    expect(config.server.auth.enabled).toBe(true);
    expect(config.server.auth.tokens[0]).toEqual({ name: 'ci', token: 'a-very-long-operator-token', role: 'operator' });
    expect(config.metrics).toMatchObject({ kind: 'prometheus', url: 'http://prom:9090', timeoutSeconds: 5 });
    expect(config.cluster.kind).toBe('kubernetes');
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
    expect(configError(() => loadConfig({ env: {}, overrides: { server: { auth: { enabled: true } } } })).issues[0]?.field).toBe(
      'server.auth.tokens',
    );
    const short = configError(() =>
      loadConfig({ env: {}, overrides: { server: { auth: { enabled: true, tokens: [{ name: 'x', token: 'short', role: 'viewer' }] } } } }),
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
    expect(configError(() => loadConfig({ path: '/nonexistent/config.yaml', env: {} })).message).toContain('cannot read config file');
    expect(configError(() => loadConfig({ path: file('server: [unclosed'), env: {} })).message).toContain('not valid YAML');
    const unset = configError(() => loadConfig({ path: file('model: { provider: openai, chatModel: x, apiKey: "${NOPE}" }'), env: {} }));
    expect(unset.issues[0]).toEqual({ field: 'model.apiKey', message: 'environment variable NOPE is not set' });
  });

  it('maps environment names to camelCase paths and parses JSON values', () => {
    expect(configFromEnv({ AICLOUDOPS_SERVER__BODY_LIMIT_BYTES: '10', AICLOUDOPS_SERVER__CORS_ORIGINS: '["http://g"]', OTHER: 'x' })).toEqual({
      server: { bodyLimitBytes: 10, corsOrigins: ['http://g'] },
    });
  });
});
