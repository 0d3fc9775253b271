import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from '../../src/config/loadConfig.js';
import { enforceAuthPolicy } from '../../src/server/auth.js';

const repo = resolve(import.meta.dirname, '..', '..', '..');
const live = {
  profile: 'live',
  metrics: { url: 'http://prometheus:9090' },
  store: { url: 'redis://redis:6379' },
  cluster: { kind: 'kubernetes', inCluster: true },
};

/** The Kubernetes base's Secret as shipped: the values an operator who applies the base unchanged runs with. */
function shippedSecretTokens(): Record<string, string> {
  const secret = parse(readFileSync(resolve(repo, 'provisioning/kubernetes/base/secret.yaml'), 'utf8')) as {
    stringData: Record<string, string>;
  };
  return secret.stringData;
}

function warnings(run: (logger: pino.Logger) => void): Array<{ msg: string; field?: string }> {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  run(pino({ level: 'warn' }, sink));
  return lines.map((l) => JSON.parse(l) as { msg: string; field?: string });
}

describe('placeholder tokens', () => {
  it('the live profile refuses the Kubernetes base config with its Secret as shipped, naming each placeholder', () => {
    // As the pod reads it: the ConfigMap's config.yaml with the Secret's values in the environment.
    const configMap = parse(
      readFileSync(resolve(repo, 'provisioning/kubernetes/base/config.yaml'), 'utf8'),
    ) as {
      data: Record<string, string>;
    };
    const dir = mkdtempSync(join(tmpdir(), 'placeholder-'));
    try {
      const file = join(dir, 'config.yaml');
      writeFileSync(file, configMap.data['config.yaml']!);
      const config = loadConfig({ path: file, env: shippedSecretTokens() });
      expect(config.profile).toBe('live');
      let error: unknown;
      try {
        enforceAuthPolicy(config);
      } catch (e) {
        error = e;
      }
      expect(error).toMatchObject({ code: 'INVALID_CONFIG' });
      expect((error as { issues: Array<{ field: string }> }).issues.map((i) => i.field)).toEqual([
        'server.auth.tokens.0.token',
        'server.auth.tokens.1.token',
        'server.auth.tokens.2.token',
        'server.auth.tokens.3.token',
        'store.url',
      ]);
      // The message names the fields, never the secrets themselves.
      expect((error as Error).message).not.toMatch(/change-me-/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the live profile refuses a placeholder Redis password alone', () => {
    const config = parseConfig({
      ...live,
      store: { kind: 'redis', url: 'redis://:changeme-0000000000@redis:6379' },
      server: {
        host: '0.0.0.0',
        auth: { tokens: [{ name: 'a', token: '3f9c1e0b7a5d4c2e', role: 'admin' }] },
      },
    });
    expect(() => enforceAuthPolicy(config)).toThrow(/store\.url/);
  });

  it.each(['CHANGEME-0123456789abcdef', 'please_change_me_0123456789'])(
    'the live profile refuses %s on loopback too',
    (token) => {
      const config = parseConfig({
        ...live,
        server: { host: '127.0.0.1', auth: { tokens: [{ name: 'a', token, role: 'viewer' }] } },
      });
      expect(() => enforceAuthPolicy(config)).toThrow(/server\.auth\.tokens\.0\.token/);
    },
  );

  it('the live profile starts with random tokens', () => {
    const config = parseConfig({
      ...live,
      server: {
        host: '0.0.0.0',
        auth: { tokens: [{ name: 'a', token: '3f9c1e0b7a5d4c2e', role: 'admin' }] },
      },
    });
    expect(warnings((logger) => enforceAuthPolicy(config, logger))).toEqual([]);
  });

  it('an exposed demo (the compose stack) starts with its default tokens and warns, naming the field', () => {
    const config = parseConfig({
      server: {
        host: '0.0.0.0',
        auth: {
          enabled: true,
          tokens: [
            { name: 'viewer', token: 'r4nd0m-viewer-token-01', role: 'viewer' },
            { name: 'admin', token: 'change-me-admin-000000000000', role: 'admin' },
          ],
        },
      },
    });
    const logged = warnings((logger) => enforceAuthPolicy(config, logger));
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ field: 'server.auth.tokens.1.token' });
    expect(logged[0]!.msg).toMatch(/SECURITY WARNING/);
  });
});
