import { describe, expect, it } from 'vitest';
import { rcaConfigSchema } from '../config.js';
import { analyzeIncident } from '../analyzeIncident.js';
import type { RcaInput, SignalSeries } from '../types.js';

const config = rcaConfigSchema.parse({});
const times = Array.from({ length: 80 }, (_, i) => i * 60);
const window = { baselineStart: 0, start: 3600, end: 4740 };
const wobble = (i: number, k: number) => (((i + 3) * (k + 7) * 7919) % 17) / 17 - 0.5;

function latency(service: string, k: number, shift: number): SignalSeries {
  return {
    service,
    signal: 'latency_p99',
    badDirection: 'up',
    timestamps: times,
    values: times.map((t, i) => 1 + 0.1 * wobble(i, k) + (t >= 3600 ? shift : 0)),
  };
}

// frontend → checkout → payment; frontend → catalog.
const graph = {
  services: ['frontend', 'checkout', 'payment', 'catalog'],
  edges: [
    { from: 'frontend', to: 'checkout', origin: 'config' as const },
    { from: 'checkout', to: 'payment', origin: 'config' as const },
    { from: 'frontend', to: 'catalog', origin: 'config' as const },
  ],
};

describe('ranking with the service graph', () => {
  it('puts the deepest anomalous callee first although its callers moved more', () => {
    const input: RcaInput = {
      window,
      graph,
      target: { service: 'frontend', signal: 'latency_p99' },
      series: [
        latency('frontend', 1, 3),
        latency('checkout', 2, 3),
        latency('payment', 3, 1.5),
        latency('catalog', 4, 0),
      ],
    };
    const out = analyzeIncident(input, config);
    expect(out.candidates[0]!.service).toBe('payment');
    expect(out.candidates.map((c) => c.service)).not.toContain('catalog');
    expect(out.candidates[0]!.faultType).toBe('latency');
    expect(out.candidates[0]!.evidence.metrics[0]!.signal).toBe('latency_p99');
  });

  it('without the graph the largest mover wins, showing the graph is what decides above', () => {
    const input: RcaInput = {
      window,
      graph: { services: graph.services, edges: [] },
      series: [latency('frontend', 1, 3), latency('checkout', 2, 3.2), latency('payment', 3, 1.5)],
    };
    expect(analyzeIncident(input, config).candidates[0]!.service).toBe('checkout');
  });

  it("for a target that did not move, lists only its call tree's services showing its symptom, and says so", () => {
    const input: RcaInput = {
      window,
      graph,
      target: { service: 'frontend', signal: 'latency_p99' },
      series: [latency('frontend', 1, 0), latency('payment', 3, 2)],
    };
    const out = analyzeIncident(input, config);
    expect(out.candidates.map((c) => c.service)).toEqual(['payment']);
    expect(out.reason).toMatch(
      /frontend\/latency_p99 shows no anomaly.*services in its call tree that show its latency/,
    );
    // Off, a quiet target gets no candidate at all.
    const off = analyzeIncident(input, rcaConfigSchema.parse({ ranking: { quietTargetLeads: false } }));
    expect(off.candidates).toEqual([]);
    expect(off.reason).toMatch(/frontend/);
  });

  it('for a quiet target, a service outside its call tree or showing another kind of signal leads nothing', () => {
    const cpu: SignalSeries = {
      ...latency('payment', 3, 0),
      signal: 'cpu_usage',
      values: times.map((t, i) => 0.2 + 0.01 * wobble(i, 3) + (t >= 3600 ? 0.5 : 0)),
    };
    const input: RcaInput = {
      window,
      graph,
      target: { service: 'checkout', signal: 'latency_p99' },
      // catalog (not called by checkout) is slow; payment (called by it) only burns CPU.
      series: [latency('checkout', 1, 0), latency('catalog', 4, 2), cpu],
    };
    const out = analyzeIncident(input, config);
    expect(out.candidates).toEqual([]);
    expect(out.reason).toMatch(/checkout\/latency_p99 shows no anomaly in the window$/);
    // The same input with catalog under checkout: catalog's latency now leads.
    const under = {
      ...graph,
      edges: [...graph.edges, { from: 'checkout', to: 'catalog', origin: 'config' as const }],
    };
    expect(analyzeIncident({ ...input, graph: under }, config).candidates.map((c) => c.service)).toEqual([
      'catalog',
    ]);
  });

  it('counts Kubernetes events and log bursts as evidence, and events name the fault type', () => {
    const logs = [
      ...Array.from({ length: 60 }, (_, i) => ({
        service: 'payment',
        timestamp: i * 60,
        message: `charged order ${i} in ${i % 7} ms`,
      })),
      ...Array.from({ length: 40 }, (_, i) => ({
        service: 'payment',
        timestamp: 3600 + i * 20,
        message: `ERROR connection refused to db-${i % 3}:5432`,
      })),
    ];
    const input: RcaInput = {
      window,
      graph,
      series: [latency('frontend', 1, 0.6), latency('payment', 3, 0)],
      logs,
      events: [
        {
          service: 'payment',
          time: 3650,
          type: 'Warning',
          reason: 'OOMKilled',
          message: 'container killed',
          count: 3,
          object: 'Pod/payment-1',
        },
      ],
    };
    const out = analyzeIncident(input, config);
    const payment = out.candidates.find((c) => c.service === 'payment')!;
    expect(out.candidates[0]!.service).toBe('payment');
    expect(payment.faultType).toBe('oom-killed');
    expect(payment.evidence.logs[0]!.template).toContain('connection refused');
    expect(payment.evidence.logs[0]!.isNew).toBe(true);
    expect(payment.evidence.logs[0]!.countIncident).toBe(40);
    expect(payment.evidence.events[0]!.reason).toBe('OOMKilled');
  });

  it("charges a caller's client-side latency to its callee", () => {
    const client = {
      ...latency('checkout', 2, 3),
      signal: 'client_latency_p99',
      perspective: 'client' as const,
    };
    const input: RcaInput = {
      window,
      graph,
      series: [client, latency('payment', 3, 0.1), latency('catalog', 4, 0.5)],
    };
    const withView = analyzeIncident(input, config).candidates.map((c) => c.service);
    expect(withView[0]).toBe('payment');
    const without = analyzeIncident(input, {
      ...config,
      ranking: { ...config.ranking, callerViewWeight: 0 },
    }).candidates;
    expect(without.map((c) => c.service)).not.toContain('payment');
  });

  it("prefers evidence of the symptom's kind: an error symptom is explained by errors below it", () => {
    // frontend's errors rose; checkout's errors rose a little, catalog's latency a lot. Both are callees of frontend.
    const errors = (service: string, k: number, shift: number): SignalSeries => ({
      ...latency(service, k, 0),
      signal: 'error_ratio',
      values: times.map((t, i) => 0.01 + 0.001 * wobble(i, k) + (t >= 3600 ? shift : 0)),
    });
    const input: RcaInput = {
      window,
      graph,
      target: { service: 'frontend', signal: 'error_ratio' },
      series: [errors('frontend', 1, 0.01), errors('checkout', 2, 0.006), latency('catalog', 4, 0.7)],
    };
    expect(analyzeIncident(input, config).candidates[0]!.service).toBe('checkout');
    // Blind to kinds: other kinds weigh fully, and a callee showing none of the symptom still earns the ancestors bonus.
    const kindBlind = {
      ...config,
      ranking: { ...config.ranking, otherKindWeight: 1, symptomKindExplains: false },
    };
    expect(analyzeIncident(input, kindBlind).candidates[0]!.service).toBe('catalog');
  });

  it('does not take a traffic peak of the target for a symptom: load is not a fault', () => {
    // frontend's request rate jumps at one point (a burst of 20 robust sigma); its latency and errors stay put.
    const traffic: SignalSeries = {
      ...latency('frontend', 1, 0),
      signal: 'request_rate',
      badDirection: 'both',
      values: times.map((t, i) => 100 + 2 * wobble(i, 1) + (t === 4200 ? 40 : 0)),
    };
    const input: RcaInput = {
      window,
      graph,
      target: { service: 'frontend' },
      series: [traffic, latency('frontend', 1, 0), latency('payment', 3, 2)],
    };
    const out = analyzeIncident(input, config);
    expect(out.candidates).toEqual([]);
    expect(out.reason).toMatch(/frontend shows no anomaly/);
    // The same burst held through the incident is a sustained shift, and then the target counts as anomalous.
    const held = { ...traffic, values: times.map((t, i) => 100 + 2 * wobble(i, 1) + (t >= 3600 ? 40 : 0)) };
    const sustained = analyzeIncident(
      { ...input, series: [held, latency('frontend', 1, 0), latency('payment', 3, 2)] },
      config,
    );
    expect(sustained.candidates.map((c) => c.service)).toContain('payment');
  });

  it('names the fault from a saturated resource rather than from the latency it causes', () => {
    const cpu = (shift: number): SignalSeries => ({
      ...latency('payment', 3, 0),
      signal: 'cpu',
      values: times.map((t, i) => 0.2 + 0.01 * wobble(i, 5) + (t >= 3600 ? shift : 0)),
    });
    // Latency moved by 50 robust sigma, CPU by 10: the CPU saturation explains the latency, not the other way round.
    const input: RcaInput = { window, graph, series: [latency('payment', 3, 3), cpu(0.1)] };
    const payment = analyzeIncident(input, config).candidates[0]!;
    expect(payment.service).toBe('payment');
    expect(payment.signal).toBe('latency_p99');
    expect(payment.faultType).toBe('cpu-saturation');
    // With the CPU unchanged (or lower) the latency names the fault as before.
    expect(
      analyzeIncident({ ...input, series: [latency('payment', 3, 3), cpu(0)] }, config).candidates[0]!
        .faultType,
    ).toBe('latency');
    expect(
      analyzeIncident({ ...input, series: [latency('payment', 3, 3), cpu(-0.1)] }, config).candidates[0]!
        .faultType,
    ).toBe('latency');
  });

  it('names the fault from the resource that changed first, and only from a material change', () => {
    const resource = (signal: string, base: number, rise: number, from: number): SignalSeries => ({
      ...latency('payment', 3, 0),
      signal,
      values: times.map((t, i) => base + 0.002 * base * wobble(i, signal.length) + (t >= from ? rise : 0)),
    });
    const input = (...series: SignalSeries[]): RcaInput => ({
      window,
      graph,
      series: [latency('payment', 3, 3), ...series],
    });
    const typeOf = (i: RcaInput) => analyzeIncident(i, config).candidates[0]!.faultType;
    // CPU from the incident's start, memory 5 minutes later: the later rise is a consequence.
    expect(typeOf(input(resource('cpu', 0.2, 0.3, 3600), resource('memory_bytes', 100, 40, 3900)))).toBe(
      'cpu-saturation',
    );
    expect(typeOf(input(resource('cpu', 0.2, 0.3, 3900), resource('memory_bytes', 100, 40, 3600)))).toBe(
      'memory-pressure',
    );
    // Memory up 3 % on a flat baseline is hundreds of robust sigma but no pressure: the CPU names the fault.
    expect(typeOf(input(resource('cpu', 0.2, 0.3, 3600), resource('memory_bytes', 100, 3, 3600)))).toBe(
      'cpu-saturation',
    );
    expect(typeOf(input(resource('memory_bytes', 100, 3, 3600)))).toBe('latency');
  });
});
