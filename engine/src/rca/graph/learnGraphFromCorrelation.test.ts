import { describe, expect, it } from 'vitest';
import type { SignalSeries } from '../types.js';
import { learnGraphFromCorrelation } from './learnGraphFromCorrelation.js';
import { analyzeIncident } from '../analyzeIncident.js';
import { rcaConfigSchema } from '../config.js';

const window = { baselineStart: 0, start: 3600, end: 3900 };
const times = Array.from({ length: 66 }, (_, i) => i * 60);
// Deterministic pseudo-random user load: web's requests, half of which web passes on to api.
const load = times.map((_, i) => 20 + ((i * 7919) % 23) - 11);
const own = (k: number) => times.map((_, i) => (((i + k) * 104729) % 19) - 9);

function requests(service: string, values: number[], jitterMs = 0): SignalSeries {
  return {
    service,
    signal: 'request_rate',
    badDirection: 'both',
    eventsPerUnit: 60,
    timestamps: times.map((t) => t + jitterMs / 1000),
    values,
  };
}
function latency(service: string, seconds: number, extra = 0): SignalSeries {
  const wobble = (i: number) => ((i * 7919) % 13) / 13 - 0.5;
  return {
    service,
    signal: 'latency_p99',
    badDirection: 'up',
    timestamps: times,
    values: times.map((t, i) => seconds * (1 + 0.05 * wobble(i)) + (t >= 3600 ? extra : 0)),
  };
}

const series: SignalSeries[] = [
  requests('web', load),
  // api's traffic follows web's; its pod is scraped 300 ms later, as separately scraped pods are.
  requests(
    'api',
    load.map((v) => v / 2),
    300,
  ),
  requests(
    'batch',
    own(5).map((v) => v + 40),
  ),
  latency('web', 0.3),
  latency('api', 0.1),
  latency('batch', 0.2),
];

describe('learnGraphFromCorrelation', () => {
  it('links services whose traffic moves together, slower caller to faster callee, and leaves the rest apart', () => {
    const edges = learnGraphFromCorrelation(series, window, { minCorrelation: 0.5, minPoints: 3 });
    expect(edges).toEqual([{ from: 'web', to: 'api', origin: 'correlation' }]);
  });

  it('links nothing it cannot orient: without a shared latency signal there is no edge', () => {
    const edges = learnGraphFromCorrelation(
      series.filter((s) => s.signal !== 'latency_p99'),
      window,
      { minCorrelation: 0.5, minPoints: 3 },
    );
    expect(edges).toEqual([]);
  });

  it('is what the ranking uses when no graph is given, and only then', () => {
    const config = rcaConfigSchema.parse({});
    const slow = [
      ...series.filter((s) => s.signal !== 'latency_p99'),
      latency('web', 0.3, 0.5),
      latency('api', 0.1, 0.1),
      latency('batch', 0.2),
    ];
    const learned = analyzeIncident({ window, series: slow, graph: { services: [], edges: [] } }, config);
    expect(learned.graph.edges).toEqual([{ from: 'web', to: 'api', origin: 'correlation' }]);
    // web moved more, but the learned edge says web waits for api: the callee is the suspect.
    expect(learned.candidates[0]!.service).toBe('api');
    const given = analyzeIncident(
      {
        window,
        series: slow,
        graph: { services: [], edges: [{ from: 'api', to: 'web', origin: 'config' }] },
      },
      config,
    );
    expect(given.graph.edges.map((e) => e.origin)).toEqual(['config']);
    const off = analyzeIncident(
      { window, series: slow, graph: { services: [], edges: [] } },
      { ...config, graph: { ...config.graph, learnFromCorrelation: false } },
    );
    expect(off.candidates[0]!.service).toBe('web');
  });
});
