import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { loadConfig } from '../../src/config/loadConfig.js';
import { configSchema } from '../../src/config/schema.js';
import { undeclaredConfigKeys } from '../../src/config/unknownConfigKeys.js';
import { configError, configFile } from '../support/configFile.js';

describe('an invalid config', () => {
  it('names every failing field at once, unknown keys first (README: "with every failing field named")', () => {
    const path = configFile('server:\n  port: "abc"\n  bogus: 1\nrca:\n  stepSeconds: -5\n');
    const error = configError(() => loadConfig({ path, env: {} }));
    expect(error.code).toBe('INVALID_CONFIG');
    expect(error.issues.map((i) => i.field)).toEqual(['server.bogus', 'server.port', 'rca.stepSeconds']);
    expect(error.issues[0]!.message).toBe('unknown setting');
    expect(error.issues[1]!.message).toBe('must be a whole number from 0 to 65535, got "abc"');
    expect(error.message).toContain('server.bogus: unknown setting; server.port: must be a whole number');
  });

  it('names an unknown environment setting beside the schema issues too', () => {
    const path = configFile('rca:\n  stepSeconds: -5\n');
    const error = configError(() => loadConfig({ path, env: { AICLOUDOPS_SERVER__PROT: '9000' } }));
    expect(error.issues.map((i) => `${i.field}: ${i.message}`)).toEqual([
      'AICLOUDOPS_SERVER__PROT: server.prot: unknown setting (did you mean server.port?)',
      expect.stringMatching(/^rca\.stepSeconds: /),
    ]);
  });

  it('picks the branch of a kind from the profile when the file names none', () => {
    // live makes metrics prometheus: `url` is known there, `ulr` is not, and the missing url is the schema's issue.
    const path = configFile('profile: live\nmetrics:\n  ulr: http://prom:9090\nserver:\n  port: -1\n');
    const error = configError(() => loadConfig({ path, env: {} }));
    const fields = error.issues.map((i) => `${i.field}: ${i.message}`);
    expect(fields[0]).toBe('metrics.ulr: unknown setting (did you mean metrics.url?)');
    expect(fields).toContain('server.port: must be a whole number from 0 to 65535, got -1');
  });

  it('looks into maps by their values, not their keys', () => {
    const path = configFile(
      'metrics:\n  sources:\n    influx: { kind: influxdb, url: "http://i:8086", databse: x }\nserver:\n  port: 1.5\n',
    );
    const error = configError(() => loadConfig({ path, env: {} }));
    expect(error.issues[0]).toEqual({
      field: 'metrics.sources.influx.databse',
      message: 'unknown setting (did you mean metrics.sources.influx.database?)',
    });
    expect(error.issues.map((i) => i.field)).toContain('server.port');
  });
});

describe('server.port', () => {
  it('takes the strings --port and ${VAR} give, and numbers from the environment', () => {
    expect(loadConfig({ env: {}, overrides: { server: { port: '9000' } } }).server.port).toBe(9000);
    expect(loadConfig({ env: { AICLOUDOPS_SERVER__PORT: '9001' } }).server.port).toBe(9001);
    const path = configFile('server:\n  port: ${PORT}\n');
    expect(loadConfig({ path, env: { PORT: '9002' } }).server.port).toBe(9002);
    expect(loadConfig({ env: {} }).server.port).toBe(8080);
  });

  it('says what it must be and what was given', () => {
    const message = (port: unknown) =>
      configError(() => loadConfig({ env: {}, overrides: { server: { port } } })).issues[0]?.message;
    expect(message('abc')).toBe('must be a whole number from 0 to 65535, got "abc"');
    expect(message('70000')).toBe('must be a whole number from 0 to 65535, got 70000');
    expect(message('')).toBe('must be a whole number from 0 to 65535, got ""');
    expect(message(true)).toBe('must be a whole number from 0 to 65535, got true');
    expect(
      configError(() => loadConfig({ env: { AICLOUDOPS_SERVER__PORT: 'eighty' } })).issues[0]?.message,
    ).toBe('must be a whole number from 0 to 65535, got "eighty"');
  });
});

describe('undeclaredConfigKeys', () => {
  // The failure path reads keys from the schema, the success path from the parsed object: a full config, every key
  // written out, must be clean for the first as it is for the second (no key of the schema taken for unknown).
  it('finds no unknown key in configs that are valid', () => {
    const k8s = parseYaml(
      (
        parseYaml(readFileSync('../provisioning/kubernetes/base/config.yaml', 'utf8')) as {
          data: Record<string, string>;
        }
      ).data['config.yaml']!,
    ) as Record<string, unknown>;
    const inputs: Array<Record<string, unknown>> = [
      {},
      {
        profile: 'live',
        metrics: {
          kind: 'prometheus',
          url: 'http://p:9090',
          sources: { influx: { kind: 'influxdb', url: 'http://i:8086', database: 'd' } },
        },
        cluster: { kind: 'kubernetes' },
        store: { kind: 'redis', url: 'redis://r:6379' },
        model: { provider: 'openai', chatModel: 'm' },
        server: { auth: { tokens: [{ name: 'a', token: 'x'.repeat(16), role: 'admin' }] } },
        jobs: { perKind: { 'forecast.train': { concurrency: 1 } } },
      },
      k8s,
    ];
    for (const input of inputs) {
      const full = configSchema.parse(input);
      expect(undeclaredConfigKeys(full, configSchema)).toEqual([]);
    }
  });
});

describe('number settings other than the port', () => {
  it('read numeric text (a ${VAR} gives a string) and refuse other text as text, not as NaN', () => {
    const path = configFile('jobs:\n  concurrency: ${JOBS}\n');
    expect(loadConfig({ path, env: { JOBS: '4' } }).jobs.concurrency).toBe(4);
    const bad = configFile('server:\n  bodyLimitBytes: lots\n  requestTimeoutSeconds: true\n');
    const error = configError(() => loadConfig({ path: bad, env: {} }));
    expect(error.issues).toEqual([
      { field: 'server.bodyLimitBytes', message: 'Invalid input: expected number, received string' },
      { field: 'server.requestTimeoutSeconds', message: 'Invalid input: expected number, received boolean' },
    ]);
  });
});
