import { describe, expect, it } from 'vitest';
import { seriesFromSpans, type Span } from './seriesFromSpans.js';

/** frontend (server span) → frontend client span → backend server span; `extra` ms of backend work, `gap` ms on the wire. */
function trace(id: number, start: number, backendMs: number, gapMs: number): Span[] {
  const frontendOwn = 5;
  const client = backendMs + gapMs;
  return [
    {
      traceId: `t${id}`,
      spanId: 'a',
      parentId: '',
      service: 'frontend',
      operation: 'GET /',
      start,
      durationMs: frontendOwn + client,
    },
    {
      traceId: `t${id}`,
      spanId: 'b',
      parentId: 'a',
      service: 'frontend',
      operation: 'HTTP GET',
      start,
      durationMs: client,
    },
    {
      traceId: `t${id}`,
      spanId: 'c',
      parentId: 'b',
      service: 'backend',
      operation: '/items',
      start,
      durationMs: backendMs,
    },
  ];
}

const valuesOf = (out: ReturnType<typeof seriesFromSpans>, service: string, signal: string) =>
  out.series.find((s) => s.service === service && s.signal === signal)?.values ?? [];

describe('seriesFromSpans', () => {
  it('charges a slow callee its own time, not every caller', () => {
    const spans = [...trace(1, 0, 10, 1), ...trace(2, 60, 200, 1)];
    const out = seriesFromSpans(spans, 60);
    expect(out.edges).toEqual([{ from: 'frontend', to: 'backend', origin: 'traces' }]);
    expect(valuesOf(out, 'backend', 'trace_self_time_p90')).toEqual([10, 200]);
    expect(valuesOf(out, 'frontend', 'trace_self_time_p90')).toEqual([5, 5]);
    // Total time still shows the callee in the caller, but as a client-side signal.
    // p90 of the frontend's two spans per bucket (16 and 11 ms, then 206 and 201 ms).
    expect(valuesOf(out, 'frontend', 'trace_latency_p90')).toEqual([15.5, 205.5]);
    expect(out.series.find((s) => s.signal === 'trace_latency_p90')!.perspective).toBe('client');
  });

  it('charges time on the wire to the callee the caller waits for', () => {
    const spans = [...trace(1, 0, 10, 1), ...trace(2, 60, 10, 300)];
    const out = seriesFromSpans(spans, 60);
    expect(valuesOf(out, 'backend', 'trace_inbound_gap_p90')).toEqual([1, 300]);
    expect(valuesOf(out, 'backend', 'trace_self_time_p90')).toEqual([10, 10]);
    expect(valuesOf(out, 'frontend', 'trace_self_time_p90')).toEqual([5, 5]);
  });
});
