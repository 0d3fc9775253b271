import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyBaseLogger } from 'fastify';
import pino, { type Logger } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/startServer.js';
import { loggerRedaction } from '../../src/util/redact.js';

/**
 * request.log is made without passing the request id through the logger's redaction (server/requestLogger.ts). Its
 * lines must be what fastify's ordinary child logger wrote: an engine at level info with the engine's redaction,
 * over real HTTP.
 */
const dir = mkdtempSync(join(tmpdir(), 'request-logger-'));
const lines: string[] = [];
let server: RunningServer;

beforeAll(async () => {
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  server = await startServer({
    config: {
      logLevel: 'info',
      dataDir: join(dir, 'data'),
      server: { port: 0 },
      cluster: { kind: 'simulated', injectFaults: false },
    },
    logger: pino({ level: 'info', redact: loggerRedaction({}) }, sink),
  });
}, 60_000);
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const withoutTime = (line: string) => line.replace(/"time":\d+,/, '');

describe('the request logger', () => {
  it("writes each request's lines with its id, as sent or generated", async () => {
    const given = await fetch(`${server.url}/healthz`, { headers: { 'x-request-id': 'given-id.1' } });
    const generated = await fetch(`${server.url}/api/v1/workloads?namespace=shop&api_key=zzzsecret`);
    const missing = await fetch(`${server.url}/no/such/route`);
    for (const response of [given, generated, missing]) {
      const id = response.headers.get('x-request-id')!;
      const logged = lines
        .map((l) => JSON.parse(l) as { reqId?: string; msg: string })
        .filter((l) => l.reqId === id);
      expect(logged.map((l) => l.msg).slice(0, 1), id).toEqual(['incoming request']);
      expect(logged.at(-1)?.msg, id).toBe('request completed');
    }
    expect(given.headers.get('x-request-id')).toBe('given-id.1');
    expect(lines.join('\n')).not.toContain('zzzsecret');
  });

  it("renders what fastify's ordinary child logger renders, redaction included", () => {
    const parent = server.app.log;
    const ids = ['given-id.1', '7f0c7bd4-5a3e-4a8e-9b2a-5c1d2e3f4a5b', 'a"quote\\d', 'é\u2028x'];
    for (const reqId of ids) {
      const ours = server.app.childLoggerFactory.call(server.app, parent, { reqId }, {}, {} as never);
      const ordinary = parent.child({ reqId }, {});
      const error = new Error('failed with Bearer abcdefghijklmnop');
      const write = (logger: FastifyBaseLogger) => {
        const from = lines.length;
        logger.info(
          { req: { method: 'GET', url: '/x?token=secret&a=1' }, config: { password: 'pw' } },
          'hello',
        );
        logger.warn({ err: error }, 'oops');
        logger.child({ job: 'j1' }).info({ url: 'http://u:p@h/?api_key=k' }, 'nested');
        return lines.slice(from).map(withoutTime);
      };
      const written = write(ours);
      expect(written, reqId).toEqual(write(ordinary));
      expect(written.join('\n')).not.toMatch(/secret|"pw"|abcdefghijklmnop|u:p@/);
      expect((ours as Logger).bindings()).toEqual((ordinary as Logger).bindings());
    }
  });
});
