import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngineClient, decodePromValue } from './EngineClient.js';

/**
 * The engine writes ±Inf and NaN as Prometheus does ("+Inf", "-Inf", "NaN"; JSON has no such numbers); queryRange
 * hands the plugins numbers, as before, so their charts and anomaly scores keep working on number[].
 */
let server: Server;
let baseUrl: string;
beforeAll(async () => {
  server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        series: [{ labels: { a: 'b' }, timestamps: [1, 2, 3, 4], values: [1.5, '+Inf', '-Inf', 'NaN'] }],
      }),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('PromQL values', () => {
  it('decode to numbers', () => {
    expect([1, '+Inf', '-Inf', 'NaN'].map((v) => decodePromValue(v as never))).toEqual([
      1,
      Infinity,
      -Infinity,
      NaN,
    ]);
  });

  it('come back from queryRange as numbers', async () => {
    const { series } = await createEngineClient({ baseUrl }).queryRange({
      query: 'x',
      start: 1,
      end: 4,
      step: 1,
    });
    expect(series).toEqual([
      { labels: { a: 'b' }, timestamps: [1, 2, 3, 4], values: [1.5, Infinity, -Infinity, NaN] },
    ]);
  });
});
