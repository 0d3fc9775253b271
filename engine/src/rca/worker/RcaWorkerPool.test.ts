import { afterAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../util/seededRandom.js';
import { analyzeIncident } from '../analyzeIncident.js';
import { rcaConfigSchema } from '../config.js';
import type { RcaInput, SignalSeries } from '../types.js';
import { RcaWorkerPool } from './RcaWorkerPool.js';

/** 12 services × 3 signals over 2 h at 15 s, one with a latency step, no edges (so the graph is learned), some logs. */
function incident(seed: number): RcaInput {
  const r = seededRandom(seed);
  const start = 1_700_000_000;
  const timestamps = Array.from({ length: 480 }, (_, i) => start + i * 15);
  const onset = timestamps[420]!;
  const services = Array.from({ length: 12 }, (_, i) => `svc-${i}`);
  const series: SignalSeries[] = services.flatMap((service) =>
    ['latency_p99', 'error_ratio', 'cpu'].map((signal) => {
      const level = 1 + r() * 50;
      const values = timestamps.map(
        (t) =>
          level *
          (1 + 0.05 * (r() - 0.5)) *
          (service === 'svc-5' && signal === 'latency_p99' && t >= onset ? 4 : 1),
      );
      return { service, signal, badDirection: 'up' as const, timestamps, values };
    }),
  );
  const logs = Array.from({ length: 300 }, (_, i) => ({
    service: services[i % services.length]!,
    timestamp: start + r() * 7200,
    message: `request ${Math.floor(r() * 1e5)} took ${Math.floor(r() * 900)} ms`,
  }));
  return {
    window: { baselineStart: start, start: onset, end: timestamps.at(-1)! },
    series,
    graph: { services, edges: [] },
    logs,
  };
}

const withoutTimings = ({ timings: _, ...rest }: ReturnType<typeof analyzeIncident>) => rest;
const config = rcaConfigSchema.parse({});
const pool = new RcaWorkerPool(2);
afterAll(() => pool.close());

describe('RcaWorkerPool', () => {
  it('gives exactly the output of analyzeIncident on the main thread, for concurrent incidents', async () => {
    const inputs = [1, 2, 3, 4, 5].map(incident);
    const progress: number[] = [];
    const fromWorkers = await Promise.all(
      inputs.map((input, i) => pool.analyze(input, config, i === 0 ? (f) => progress.push(f) : undefined)),
    );
    const inline = inputs.map((input) => analyzeIncident(input, config));
    expect(fromWorkers.map(withoutTimings)).toEqual(inline.map(withoutTimings));
    expect(inline[0]!.candidates[0]!.service).toBe('svc-5');
    expect(progress).toEqual([0.6, 0.75, 0.9]);
  }, 60_000);

  it('rejects input that cannot cross to a worker and keeps serving', async () => {
    const bad = { ...incident(9), graph: { services: [], edges: [], extra: () => 1 } } as unknown as RcaInput;
    await expect(pool.analyze(bad, config)).rejects.toThrow(/cannot be sent to a worker/);
    await expect(pool.analyze(incident(9), config)).resolves.toHaveProperty('candidates');
  }, 60_000);

  it('cancels a running and a queued analysis when their signal aborts, and keeps serving', async () => {
    const single = new RcaWorkerPool(1);
    try {
      const running = new AbortController();
      const queued = new AbortController();
      const first = single.analyze(incident(11), config, undefined, running.signal);
      const second = single.analyze(incident(12), config, undefined, queued.signal);
      const third = single.analyze(incident(13), config);
      running.abort();
      queued.abort();
      await expect(first).rejects.toThrow(/RCA cancelled/);
      await expect(second).rejects.toThrow(/RCA cancelled/);
      expect(withoutTimings(await third)).toEqual(withoutTimings(analyzeIncident(incident(13), config)));
    } finally {
      await single.close();
    }
  }, 60_000);

  it('refuses work once closed', async () => {
    const closed = new RcaWorkerPool(1);
    await closed.close();
    await expect(closed.analyze(incident(1), config)).rejects.toThrow(/closed/);
  });
});
