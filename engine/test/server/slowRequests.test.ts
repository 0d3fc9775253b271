import { connect } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/startServer.js';

/**
 * server.requestTimeoutSeconds: a client that sends its body a byte at a time loses its socket (408) instead of
 * holding it forever. Before, fastify's default (no request timeout) kept such sockets open indefinitely, with a
 * token and without one (the 401 was written, the socket stayed while the declared body trickled in).
 */
const TOKEN = 'viewer-token-0123456789';
let server: RunningServer;
beforeAll(async () => {
  server = await startServer({
    config: {
      logLevel: 'silent',
      server: {
        port: 0,
        requestTimeoutSeconds: 1,
        auth: { enabled: true, tokens: [{ name: 'v', token: TOKEN, role: 'viewer' }] },
      },
      cluster: { kind: 'simulated', injectFaults: false },
    },
    logger: pino({ level: 'silent' }),
  });
}, 60_000);
afterAll(async () => {
  await server?.close();
});

/** Sends headers and a trickle of body; resolves with what came back once the server closes the socket, or 'open'. */
function trickle(authorization: string | undefined, waitMs: number): Promise<string> {
  const { port } = new URL(server.url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), '127.0.0.1', () => {
      const auth = authorization ? `Authorization: ${authorization}\r\n` : '';
      socket.write(
        `POST /api/v1/assistant/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n${auth}\r\n{"question":"`,
      );
    });
    let received = '';
    const drip = setInterval(() => socket.writable && socket.write('a'), 200);
    const done = (result: string) => {
      clearInterval(drip);
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => done('open'), waitMs);
    socket.on('data', (chunk) => (received += chunk.toString()));
    socket.on('close', () => done(received || 'closed'));
    socket.on('error', () => undefined);
  });
}

describe('slow requests', () => {
  it(
    'lose their socket after server.requestTimeoutSeconds, with a token and without',
    { timeout: 60_000 },
    async () => {
      const [withToken, without] = await Promise.all([
        trickle(`Bearer ${TOKEN}`, 15_000),
        trickle(undefined, 15_000),
      ]);
      expect(withToken).not.toBe('open');
      expect(withToken).toContain('408');
      expect(without).not.toBe('open');
    },
  );
});
