import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { loadConfig } from '../../src/config/loadConfig.js';
import { createStore } from '../../src/store/createStore.js';
import { ManagedProcess, freePort, requireBinary } from '../support/index.js';

/**
 * The base's Redis holds the engine's jobs, repair approvals and audit trail. Its NetworkPolicy admits only the
 * engine, but a CNI that does not enforce NetworkPolicies (flannel) left it open to every pod of the cluster with no
 * password. Here the Debian redis-server runs with the StatefulSet's own args and env (Secret values and `$(VAR)`
 * expanded as the kubelet does); the engine's store connects with the base config's `store.url`, the probe's
 * `redis-cli ping` with the container's env, and a client without the password is refused.
 */
const BASE = resolve(import.meta.dirname, '..', '..', '..', 'provisioning', 'kubernetes', 'base');

interface Container {
  args: string[];
  env?: Array<{ name: string; valueFrom?: { secretKeyRef: { name: string; key: string } } }>;
  readinessProbe: { exec: { command: string[] } };
}

const secret = parse(readFileSync(join(BASE, 'secret.yaml'), 'utf8')) as {
  metadata: { name: string };
  stringData: Record<string, string>;
};

function redisContainer(): Container {
  const docs = parseAllDocuments(readFileSync(join(BASE, 'redis.yaml'), 'utf8')).map((d) => d.toJS());
  const set = docs.find((d: { kind: string }) => d.kind === 'StatefulSet');
  return set.spec.template.spec.containers[0] as Container;
}

/** The container's environment as the kubelet builds it from the Secret. */
function containerEnv(container: Container): Record<string, string> {
  return Object.fromEntries(
    (container.env ?? []).map((e) => {
      const ref = e.valueFrom!.secretKeyRef;
      expect(ref.name).toBe(secret.metadata.name);
      expect(secret.stringData[ref.key], `the Secret has ${ref.key}`).toBeDefined();
      return [e.name, secret.stringData[ref.key]!];
    }),
  );
}

/** One RESP command over a raw socket: what any pod could send. */
function rawCommand(port: number, command: string): Promise<string> {
  return new Promise((done, fail) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(`${command}\r\n`));
    socket.once('data', (data) => {
      done(data.toString());
      socket.end();
    });
    socket.once('error', fail);
  });
}

describe("the Kubernetes base's Redis", () => {
  const dir = mkdtempSync(join(tmpdir(), 'redis-auth-'));
  let redis: ManagedProcess;
  let port: number;
  let env: Record<string, string>;

  beforeAll(async () => {
    const container = redisContainer();
    env = containerEnv(container);
    // Kubernetes expands $(NAME) in args from the container's env.
    const args = container.args.map((a) =>
      a.replace(/\$\(([A-Z_][A-Z0-9_]*)\)/g, (_m, name: string) => env[name] ?? ''),
    );
    port = await freePort();
    redis = ManagedProcess.start(
      'redis-server',
      requireBinary('/usr/bin/redis-server', 'redis-server'),
      [...args, '--port', String(port), '--bind', '127.0.0.1', '--dir', dir],
      dir,
    );
    await redis.waitUntil(async () => /^(\+PONG|-NOAUTH)/.test(await rawCommand(port, 'PING')));
  }, 30_000);

  afterAll(async () => {
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a client without the password', async () => {
    expect(await rawCommand(port, 'PING')).toMatch(/^-NOAUTH/);
    expect(await rawCommand(port, 'KEYS *')).toMatch(/^-NOAUTH/);
  });

  it("serves the engine with the base config's store.url and the Secret's values", async () => {
    const file = join(dir, 'config.yaml');
    const configMap = parse(readFileSync(join(BASE, 'config.yaml'), 'utf8')) as {
      data: Record<string, string>;
    };
    writeFileSync(file, configMap.data['config.yaml']!);
    const config = loadConfig({ path: file, env: secret.stringData });
    if (config.store.kind !== 'redis') throw new Error('the base config names no Redis');
    const url = new URL(config.store.url);
    expect(url.hostname).toBe('aicloudops-redis');
    url.hostname = '127.0.0.1';
    url.port = String(port);
    const store = await createStore({ ...config.store, url: url.toString() });
    try {
      await store.set('probe', 'ok');
      expect(await store.get('probe')).toBe('ok');
    } finally {
      await store.close();
    }
  });

  it('answers the readiness probe run with the container env', async () => {
    const [binary, ...probeArgs] = redisContainer().readinessProbe.exec.command;
    expect(binary).toBe('redis-cli');
    const { stdout } = await promisify(execFile)(
      requireBinary('/usr/bin/redis-cli', 'redis-tools'),
      ['-p', String(port), ...probeArgs],
      { env: { PATH: process.env.PATH, ...env } },
    );
    expect(stdout.trim()).toBe('PONG');
  });
});
