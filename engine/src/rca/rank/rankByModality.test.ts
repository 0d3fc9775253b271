import { describe, expect, it } from 'vitest';
import { rcaConfigSchema } from '../config.js';
import { analyzeIncident } from '../analyzeIncident.js';
import type { LogRecord, RcaInput, SignalSeries } from '../types.js';

const config = rcaConfigSchema.parse({});
const times = Array.from({ length: 80 }, (_, i) => i * 60);
const window = { baselineStart: 0, start: 3600, end: 4740 };
const wobble = (i: number, k: number) => (((i + 3) * (k + 7) * 7919) % 17) / 17 - 0.5;

function series(service: string, k: number, shift: number, modality?: 'traces'): SignalSeries {
  return {
    service,
    signal: modality ? 'trace_self_time_p90' : 'memory',
    badDirection: 'up',
    ...(modality ? { modality } : {}),
    timestamps: times,
    values: times.map((t, i) => 1 + 0.1 * wobble(i, k) + (t >= 3600 ? shift : 0)),
  };
}

const graph = { services: ['noisy', 'db', 'web'], edges: [] };
// db: new failure lines after the onset; web: steady lines throughout.
const logs: LogRecord[] = [
  ...Array.from({ length: 60 }, (_, i) => ({
    service: 'db',
    timestamp: i * 60,
    message: `query ${i} took ${i % 9} ms`,
  })),
  ...Array.from({ length: 20 }, (_, i) => ({
    service: 'db',
    timestamp: 3600 + i * 50,
    message: `ERROR deadlock detected on table t${i % 4}`,
  })),
];

describe('rankByModality', () => {
  it('lets two kinds of evidence that agree outvote one kind with a huge score', () => {
    const input: RcaInput = {
      window,
      graph,
      series: [
        series('noisy', 1, 100),
        series('db', 2, 0.3),
        series('db', 3, 0.5, 'traces'),
        series('web', 4, 0.35, 'traces'),
      ],
      logs,
    };
    const out = analyzeIncident(input, config);
    expect(out.candidates[0]!.service).toBe('db');
    expect(out.candidates[0]!.evidence.logs[0]!.template).toContain('deadlock');
    // Summed as one scale, the huge metric score wins.
    const summed = analyzeIncident(
      { ...input, series: input.series.map(({ modality: _m, ...s }) => s), logs: [] },
      config,
    );
    expect(summed.candidates[0]!.service).toBe('noisy');
  });

  it('leaves a single kind of evidence ranked by its scores', () => {
    const input: RcaInput = { window, graph, series: [series('noisy', 1, 3), series('db', 2, 0.6)] };
    const out = analyzeIncident(input, config);
    expect(out.candidates.map((c) => c.service)).toEqual(['noisy', 'db']);
    expect(out.candidates[0]!.score).toBeGreaterThan(out.candidates[1]!.score * 2);
  });

  it('lets a service that stands out in one kind beat the winner of a close race in another', () => {
    // Metrics: web leads api by a hair, both far above the threshold. Traces: db stands alone, far above it.
    const input: RcaInput = {
      window,
      graph: { services: ['web', 'api', 'db'], edges: [] },
      series: [series('web', 1, 2.1), series('api', 2, 2.0), series('db', 3, 3, 'traces')],
    };
    const out = analyzeIncident(input, config);
    expect(out.candidates[0]!.service).toBe('db');
    // First place in each kind is not enough on its own: web, which barely won its kind, trails db clearly.
    const web = out.candidates.find((c) => c.service === 'web')!;
    expect(out.candidates[0]!.score).toBeGreaterThan(web.score * 1.5);
  });
});
