import { execFile, spawn } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/loadConfig.js';
import { EngineError } from '../../src/errors.js';
import { enforceAuthPolicy, isLoopbackHost } from '../../src/server/auth.js';
import { startServer } from '../../src/server/startServer.js';

const bin = resolve(import.meta.dirname, '..', '..', 'bin', 'aicloudops.js');

/** The real CLI from source in a child process, without the caller's AICLOUDOPS_* settings. */
function runCli(
  args: string[],
  extraEnv: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AICLOUDOPS_')));
  const options = { env: { ...env, AICLOUDOPS_FROM_SOURCE: '1', ...extraEnv }, timeout: 60_000 };
  return new Promise((done) => {
    execFile(process.execPath, [bin, ...args], options, (error, stdout, stderr) => {
      const code = error ? (error as { code?: unknown }).code : 0;
      done({ code: typeof code === 'number' ? code : 1, stdout, stderr });
    });
  });
}
const token = 'admin-token-0123456789ab';
const live = {
  profile: 'live',
  metrics: { url: 'http://prometheus:9090' },
  store: { url: 'redis://:pw@redis:6379' },
  cluster: { kind: 'kubernetes', inCluster: true },
};

function refusal(input: Record<string, unknown>): EngineError | undefined {
  try {
    enforceAuthPolicy(parseConfig(input));
    return undefined;
  } catch (error) {
    return error as EngineError;
  }
}

describe('enforceAuthPolicy', () => {
  it.each([
    ['demo on loopback, no auth', { server: { host: '127.0.0.1' } }, false],
    ['demo on localhost, no auth', { server: { host: 'localhost' } }, false],
    ['demo on ::1, no auth', { server: { host: '::1' } }, false],
    ['demo on 0.0.0.0, no auth', { server: { host: '0.0.0.0' } }, true],
    ['demo on ::, no auth', { server: { host: '::' } }, true],
    ['demo on a LAN address, no auth', { server: { host: '10.1.2.3' } }, true],
    [
      'demo on 0.0.0.0 with tokens',
      { server: { host: '0.0.0.0', auth: { enabled: true, tokens: [{ name: 'a', token, role: 'admin' }] } } },
      false,
    ],
    [
      'demo on 0.0.0.0, allowAnonymous',
      { server: { host: '0.0.0.0', auth: { allowAnonymous: true } } },
      false,
    ],
    [
      'live with auth disabled on loopback',
      { ...live, server: { host: '127.0.0.1', auth: { enabled: false } } },
      true,
    ],
    [
      'live with auth disabled on 0.0.0.0',
      { ...live, server: { host: '0.0.0.0', auth: { enabled: false } } },
      true,
    ],
    [
      'live with auth disabled, allowAnonymous',
      { ...live, server: { host: '0.0.0.0', auth: { enabled: false, allowAnonymous: true } } },
      false,
    ],
    [
      'live with tokens on 0.0.0.0',
      { ...live, server: { host: '0.0.0.0', auth: { tokens: [{ name: 'a', token, role: 'admin' }] } } },
      false,
    ],
  ])('%s → refused: %s', (_name, input, refused) => {
    const error = refusal(input);
    expect(!!error).toBe(refused);
    if (error) {
      expect(error.code).toBe('INVALID_CONFIG');
      expect(error.issues[0]!.field).toBe('server.auth');
      expect(error.message).toMatch(/server\.auth\.allowAnonymous: true/);
    }
  });

  it('knows loopback addresses', () => {
    expect(
      ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1'].every(isLoopbackHost),
    ).toBe(true);
    expect(
      ['0.0.0.0', '::', '192.168.1.10', 'engine.internal', '127.0.0.1.evil.example'].some(isLoopbackHost),
    ).toBe(false);
  });
});

describe('startServer and `aicloudops serve` refuse exposed anonymous admin', () => {
  const dir = mkdtempSync(join(tmpdir(), 'auth-policy-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('startServer rejects the demo profile on 0.0.0.0 before anything listens', async () => {
    await expect(
      startServer({ config: { logLevel: 'silent', server: { host: '0.0.0.0', port: 0 } } }),
    ).rejects.toMatchObject({
      code: 'INVALID_CONFIG',
      issues: [{ field: 'server.auth' }],
    });
  });

  it('with allowAnonymous it starts on 0.0.0.0 and logs a loud warning naming the setting', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const server = await startServer({
      config: {
        dataDir: join(dir, 'data'),
        cluster: { kind: 'simulated', injectFaults: false },
        server: { host: '0.0.0.0', port: 0, auth: { allowAnonymous: true } },
      },
      logger: pino({ level: 'warn' }, sink),
    });
    try {
      const warning = lines
        .map((l) => JSON.parse(l) as { level: number; msg: string; field?: string })
        .find((l) => l.level === 40 && /SECURITY WARNING/.test(l.msg));
      expect(warning).toMatchObject({ field: 'server.auth.allowAnonymous' });
      expect(warning!.msg).toMatch(/every caller is an anonymous admin/);
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  // DNS rebinding: a web page whose name re-resolves to 127.0.0.1 reaches a demo engine same-origin, with its own
  // name in Host. Without auth the engine is an anonymous admin, so it answers only loopback names.
  it(
    'without auth on loopback, refuses a request that names the engine by another host',
    { timeout: 60_000 },
    async () => {
      const server = await startServer({
        config: {
          logLevel: 'silent',
          dataDir: join(dir, 'data-rebind'),
          cluster: { kind: 'simulated', injectFaults: false },
          server: { port: 0 },
        },
        logger: pino({ level: 'silent' }),
      });
      const get = (host: string, path = '/api/v1/config') =>
        new Promise<{ status: number; body: string }>((done, fail) => {
          const req = httpRequest(`${server.url}${path}`, { headers: { host } }, (res) => {
            let body = '';
            res.on('data', (c) => (body += c));
            res.on('end', () => done({ status: res.statusCode ?? 0, body }));
          });
          req.on('error', fail);
          req.end();
        });
      try {
        const { port } = new URL(server.url);
        const rebound = await get(`evil.example:${port}`);
        expect(rebound.status).toBe(403);
        expect(JSON.parse(rebound.body).error.issues).toEqual([
          { field: 'headers.host', message: 'must be a loopback host while auth is off' },
        ]);
        for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`])
          expect((await get(host)).status, host).toBe(200);
      } finally {
        await server.close();
      }
    },
  );

  it('`serve --profile demo --host 0.0.0.0` exits with an error naming server.auth', async () => {
    const { code, stderr } = await runCli(['serve', '--profile', 'demo', '--host', '0.0.0.0', '--port', '0']);
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/INVALID_CONFIG/);
    expect(stderr).toMatch(/server\.auth/);
  });

  it('doctor masks the credentials of a source URL in its report', async () => {
    const { code, stdout, stderr } = await runCli(['doctor'], {
      AICLOUDOPS_METRICS__KIND: 'prometheus',
      AICLOUDOPS_METRICS__URL: 'http://promuser:doctor-secret@127.0.0.1:9',
      AICLOUDOPS_METRICS__TIMEOUT_SECONDS: '1',
    });
    expect(code).toBe(1);
    // The URL's credentials are sent as a Basic header; the report names the bare URL.
    expect(stdout).toContain('http://127.0.0.1:9');
    expect(stdout + stderr).not.toContain('doctor-secret');
  });

  it('a served engine logs no search text, and neither logs nor /readyz nor /config show the model credentials', async () => {
    const config = join(dir, 'served.yaml');
    writeFileSync(
      config,
      [
        'logLevel: info',
        `dataDir: ${join(dir, 'served-data')}`,
        'cluster: { kind: simulated, injectFaults: false }',
        'server:',
        '  host: 127.0.0.1',
        '  port: 0',
        `  auth: { enabled: true, tokens: [{ name: admin, token: ${token}, role: admin }] }`,
        'model: { provider: openai, baseURL: "http://modeluser:model-secret@127.0.0.1:9/v1", apiKey: sk-model-secret-000, chatModel: x, maxRetries: 0, timeoutSeconds: 1 }',
      ].join('\n'),
    );
    const child = spawn(process.execPath, [bin, '--config', config, 'serve'], {
      env: { ...process.env, AICLOUDOPS_FROM_SOURCE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    try {
      const url = await new Promise<string>((resolveUrl, reject) => {
        const timer = setInterval(() => {
          const match = /API\s+(http:\/\/\S+)\/api\/v1/.exec(stderr);
          if (match) {
            clearInterval(timer);
            resolveUrl(match[1]!);
          }
        }, 100);
        child.once('exit', (code) => {
          clearInterval(timer);
          reject(new Error(`serve exited with ${code}: ${stderr}`));
        });
      });
      const headers = { authorization: `Bearer ${token}` };
      expect(
        (await fetch(`${url}/api/v1/assistant/search?q=servedcanary+payments`, { headers })).status,
      ).toBe(200);
      const ready = await (await fetch(`${url}/readyz`, { headers })).text();
      const config = await (await fetch(`${url}/api/v1/config`, { headers })).text();
      const status = await (await fetch(`${url}/api/v1/assistant/status`, { headers })).text();
      expect(status).toContain('model');
      await new Promise((r) => setTimeout(r, 300));
      expect(stdout).toContain('q=%5Bredacted%5D');
      for (const text of [stdout, stderr, ready, config, status]) {
        for (const secret of ['servedcanary', 'model-secret', 'sk-model-secret-000', token])
          expect(text).not.toContain(secret);
      }
      expect(config).toContain('modeluser:***@127.0.0.1:9');
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  }, 60_000);
});
