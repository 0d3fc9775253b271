import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/loadConfig.js';
import { hostGuard, isLoopbackHost } from '../../src/server/auth.js';
import { startServer, type RunningServer } from '../../src/server/startServer.js';

/**
 * DNS rebinding: a web page re-resolves its name to the engine's address and calls it same-origin with its own name
 * in Host. `server.allowedHosts` names the hosts an engine answers to; these engines listen for real and get forged
 * Host headers over HTTP.
 */
const dir = mkdtempSync(join(tmpdir(), 'host-allow-list-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const token = 'admin-token-0123456789ab';
const agent = new Agent({ keepAlive: true });
afterAll(() => agent.destroy());

async function start(server: Record<string, unknown>, logger = pino({ level: 'silent' })) {
  return startServer({
    config: {
      logLevel: 'silent',
      dataDir: mkdtempSync(join(dir, 'data-')),
      cluster: { kind: 'simulated', injectFaults: false },
      server: { port: 0, ...server },
    },
    logger,
  });
}

/** A GET naming the engine by `host` (Node's fetch does not let a caller set Host). */
function get(server: RunningServer, host: string, path = '/api/v1/config', bearer?: string) {
  return new Promise<{ status: number; body: string }>((done, fail) => {
    const headers: Record<string, string> = { host };
    if (bearer) headers.authorization = `Bearer ${bearer}`;
    const req = httpRequest(`${server.url}${path}`, { headers, agent }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => done({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', fail);
    req.end();
  });
}

describe('server.allowedHosts', () => {
  it('with auth on, answers listed names, their subdomains, loopback names and IP addresses only', async () => {
    const server = await start({
      allowedHosts: ['Engine.Example.com', '.corp.example'],
      auth: { enabled: true, tokens: [{ name: 'a', token, role: 'admin' }] },
    });
    try {
      const { port } = new URL(server.url);
      for (const host of [
        `engine.example.com:${port}`,
        'ENGINE.EXAMPLE.COM',
        'engine.example.com.',
        'corp.example',
        `grafana.corp.example:${port}`,
        'localhost',
        `127.0.0.1:${port}`,
        '10.1.2.3:8080',
        '[fd00::1]:8080',
      ])
        expect((await get(server, host, '/api/v1/config', token)).status, host).toBe(200);
      for (const host of [
        `evil.example:${port}`,
        'evilcorp.example',
        'engine.example.com.evil.example',
        'engine.example.com@evil.example',
        'example.com',
      ]) {
        const answer = await get(server, host, '/api/v1/config', token);
        expect(answer.status, host).toBe(403);
        expect(JSON.parse(answer.body).error.issues, host).toEqual([
          {
            field: 'headers.host',
            message: 'must be one of server.allowedHosts, a loopback name or an IP address',
          },
        ]);
      }
      // Public routes too: a rebinding page learns nothing from /readyz either.
      expect((await get(server, 'evil.example', '/readyz')).status).toBe(403);
      expect((await get(server, 'engine.example.com', '/healthz')).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('with allowAnonymous on 0.0.0.0, refuses a rebound name and warns about nothing', async () => {
    const lines: Array<{ level: number; field?: string }> = [];
    const server = await start(
      {
        host: '0.0.0.0',
        allowedHosts: ['engine.example.com'],
        auth: { enabled: false, allowAnonymous: true },
      },
      pino({ level: 'warn' }, sink(lines)),
    );
    try {
      expect((await get(server, 'evil.example')).status).toBe(403);
      expect((await get(server, 'engine.example.com')).status).toBe(200);
      expect(lines.filter((l) => l.field === 'server.allowedHosts')).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('with allowAnonymous and no allowedHosts, answers any name and warns at start naming server.allowedHosts', async () => {
    for (const host of ['0.0.0.0', '127.0.0.1']) {
      const lines: Array<{ level: number; field?: string; msg: string }> = [];
      const server = await start(
        { host, auth: { enabled: false, allowAnonymous: true } },
        pino({ level: 'warn' }, sink(lines)),
      );
      try {
        const warning = lines.find((l) => l.field === 'server.allowedHosts');
        expect(warning?.level, host).toBe(40);
        expect(warning?.msg).toMatch(/DNS rebinding/);
        expect((await get(server, 'evil.example')).status).toBe(200);
      } finally {
        await server.close();
      }
    }
  });

  it('refuses an entry that is not a host name, naming the entry', () => {
    for (const entry of ['http://engine.example.com', 'engine.example.com:8080', 'engine/x', '*', ''])
      expect(() => parseConfig({ server: { allowedHosts: [entry] } }), entry).toThrow(
        expect.objectContaining({
          code: 'INVALID_CONFIG',
          issues: [expect.objectContaining({ field: 'server.allowedHosts.0' })],
        }),
      );
  });
});

function sink<T>(lines: T[]): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()) as T);
      done();
    },
  });
}

/** The check before answers were cached per Host value: `new URL` on every request. */
function uncachedLoopbackAnswer(header: string): boolean {
  let hostname: string;
  try {
    hostname = new URL(`http://${header}`).hostname;
  } catch {
    hostname = header;
  }
  return isLoopbackHost(hostname);
}

describe('the Host check with answers cached per Host value', () => {
  const names = [
    ...[
      'localhost',
      'LOCALHOST',
      'LocalHost.',
      'localhost.',
      'localhost..',
      '127.0.0.1',
      '127.0.0.1.',
      '127.1',
    ],
    ...[
      '2130706433',
      '0x7f.0.0.1',
      '0177.0.0.1',
      '127.0.0.256',
      '127.255.255.255',
      '128.0.0.1',
      '0.0.0.0',
      '0',
    ],
    ...[
      '[::1]',
      '[0:0:0:0:0:0:0:1]',
      '::1',
      '[::ffff:127.0.0.1]',
      '[::]',
      '[::1',
      '::1]',
      '[fe80::1%25eth0]',
    ],
    ...['evil.example', 'localhost.evil.example', 'evil.example@localhost', 'localhost@evil.example'],
    ...['user:pass@127.0.0.1', 'a@b@localhost', '127.0.0.1 evil', ' localhost', 'localhost ', '', ' ', '\t'],
    ...['%6cocalhost', 'local%00host', 'localhost\\evil', 'localhost/evil', 'localhost?x', 'localhost#x'],
    ...[
      'ⓛocalhost',
      'ｌｏｃａｌｈｏｓｔ',
      'xn--localhost',
      'localhost:abc',
      'localhost:8080:1',
      'LOCALHOST%2e',
    ],
  ];
  const ports = ['', ':8080', ':0', ':65535', ':65536', ':', ':-1', ':08080'];
  const headers = names.flatMap((name) => ports.map((port) => `${name}${port}`));

  it('answers every Host, odd ones included, as new URL on each request did, cached, evicted and again', () => {
    const guard = hostGuard({ enabled: false, tokens: [], listenHost: '127.0.0.1' })!;
    const answer = (host: string | undefined) => {
      try {
        guard({ headers: { host } } as unknown as FastifyRequest);
        return true;
      } catch {
        return false;
      }
    };
    expect(answer(undefined)).toBe(true);
    const expected = headers.map(uncachedLoopbackAnswer);
    expect(expected.filter(Boolean).length).toBeGreaterThan(50);
    expect(expected.filter((a) => !a).length).toBeGreaterThan(100);
    // Each twice in a row (the second from the cache), then again after more distinct values than the cache holds.
    for (let round = 0; round < 2; round++) {
      if (round === 1) for (let i = 0; i < 1000; i++) answer(`host-${i}.example`);
      expect(
        headers.map((host) => [answer(host), answer(host)]),
        `round ${round}`,
      ).toEqual(expected.map((a) => [a, a]));
    }
  });
});
