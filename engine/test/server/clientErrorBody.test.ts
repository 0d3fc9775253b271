import { connect } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/startServer.js';

/**
 * What Node answers on the socket itself (a body past server.requestTimeoutSeconds, a malformed request) carries the
 * engine's error body like every other error. The 408 was fastify's `{"error":"Request Timeout","message":"Client
 * Timeout","statusCode":408}` (found walking the README: a body sent one byte every 3 s).
 */
let server: RunningServer;
beforeAll(async () => {
  server = await startServer({
    config: {
      logLevel: 'silent',
      server: { host: '127.0.0.1', port: 0, requestTimeoutSeconds: 1 },
      cluster: { kind: 'simulated', injectFaults: false },
    },
    logger: pino({ level: 'silent' }),
  });
}, 60_000);
afterAll(async () => {
  await server?.close();
});

/** Writes `head`, then one byte every `dripMs`; resolves with everything the server sent once it closes the socket. */
function raw(head: string, dripMs?: number): Promise<string> {
  const { port } = new URL(server.url);
  return new Promise((resolve) => {
    let received = '';
    const socket = connect(Number(port), '127.0.0.1', () => socket.write(head));
    const drip = dripMs ? setInterval(() => socket.writable && socket.write('a'), dripMs) : undefined;
    const timer = setTimeout(() => socket.destroy(), 20_000);
    socket.on('data', (chunk) => (received += chunk.toString()));
    socket.on('close', () => {
      clearInterval(drip);
      clearTimeout(timer);
      resolve(received);
    });
    socket.on('error', () => undefined);
  });
}

const bodyOf = (response: string) => JSON.parse(response.slice(response.indexOf('\r\n\r\n') + 4)) as unknown;

describe("Node's own answers", () => {
  it(
    'a body trickling in past the request timeout is a 408 in the engine error body, with its request id',
    { timeout: 30_000 },
    async () => {
      const response = await raw(
        'POST /api/v1/rca HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
          'Content-Length: 1000\r\nX-Request-Id: slow-body-1\r\n\r\n{"namespace":"',
        300,
      );
      expect(response).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
      expect(response.toLowerCase()).toContain('content-type: application/json');
      expect(bodyOf(response)).toEqual({
        error: {
          code: 'TIMEOUT',
          message: expect.stringContaining('server.requestTimeoutSeconds (1 s)'),
          requestId: 'slow-body-1',
        },
      });
    },
  );

  it('a malformed request is a 400 in the engine error body', async () => {
    const response = await raw('NOT HTTP AT ALL\r\n\r\n');
    expect(response).toMatch(/^HTTP\/1\.1 400 /);
    expect(bodyOf(response)).toEqual({
      error: { code: 'BAD_REQUEST', message: 'malformed HTTP request', requestId: expect.any(String) },
    });
  });
});
