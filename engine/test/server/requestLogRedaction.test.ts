import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/startServer.js';

/**
 * The README promises `?token=***` and `&api_key=***` in the logs, "fastify's request lines included"; those lines
 * carried the values as sent (`"url":"/api/v1/workloads?namespace=shop&api_key=zzzsecret"`). The engine here logs
 * through its own logger (createLogger, as `aicloudops serve` does), whose pino destination is pointed at a file
 * instead of stdout, and answers real HTTP with auth on.
 */
const dir = mkdtempSync(join(tmpdir(), 'request-log-'));
const logFile = join(dir, 'engine.log');
const TOKEN = 'viewer-token-0123456789';
let server: RunningServer;

beforeAll(async () => {
  const destination = pino.destination.bind(pino);
  // createLogger writes to fd 1 through pino.destination; the same destination kind, on a file this test reads.
  vi.spyOn(pino, 'destination').mockImplementation(() => destination({ dest: logFile, sync: true }));
  server = await startServer({
    config: {
      logLevel: 'info',
      server: {
        host: '127.0.0.1',
        port: 0,
        auth: { enabled: true, tokens: [{ name: 'v', token: TOKEN, role: 'viewer' }] },
      },
      cluster: { kind: 'simulated', injectFaults: false },
    },
  });
  expect(pino.destination).toHaveBeenCalled();
}, 60_000);
afterAll(async () => {
  await server?.close();
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

const get = (path: string) =>
  fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });

/** The `url` of every logged request line for a path. */
function loggedUrls(path: string): string[] {
  return readFileSync(logFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { req?: { url?: string } })
    .map((entry) => entry.req?.url ?? '')
    .filter((url) => url.startsWith(path));
}

describe('request log lines', () => {
  it('mask credential query parameters, whatever else the query holds', async () => {
    await get('/api/v1/workloads?namespace=shop&api_key=zzzsecret');
    await get('/api/v1/assistant/search?q=a&token=secret123');
    await get('/api/v1/workloads?namespace=shop&%74oken=encodedsecret');
    const text = readFileSync(logFile, 'utf8');
    for (const secret of ['zzzsecret', 'secret123', 'encodedsecret', TOKEN])
      expect(text).not.toContain(secret);
    expect(loggedUrls('/api/v1/workloads?namespace=shop&api_key')).toContain(
      '/api/v1/workloads?namespace=shop&api_key=***',
    );
    expect(loggedUrls('/api/v1/assistant/search')).toContain(
      '/api/v1/assistant/search?q=%5Bredacted%5D&token=***',
    );
    expect(loggedUrls('/api/v1/workloads?namespace=shop&token')).toContain(
      '/api/v1/workloads?namespace=shop&token=***',
    );
  });
});
