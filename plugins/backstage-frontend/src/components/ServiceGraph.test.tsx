import { renderInTestApp } from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import { installSvgBBox } from '../__testUtils__/svgBBox';
import { ServiceGraph, serviceGraphData, serviceGraphTestIds } from './ServiceGraph';

const result = {
  target: { service: 'checkout' },
  serviceGraph: {
    services: ['cart', 'checkout', 'frontend', 'payment'],
    edges: [
      { from: 'frontend', to: 'checkout', origin: 'metrics' },
      { from: 'checkout', to: 'payment', origin: 'metrics' },
      { from: 'checkout', to: 'cart', origin: 'metrics' },
    ],
  },
  candidates: [
    {
      service: 'payment',
      signal: 'latency_p99',
      faultType: 'latency',
      score: 2.5,
      evidence: { metrics: [], logs: [], events: [], changes: [] },
    },
    {
      service: 'cart',
      signal: 'error_ratio',
      faultType: 'errors',
      score: 1,
      evidence: { metrics: [], logs: [], events: [], changes: [] },
    },
  ],
};

describe('serviceGraphData', () => {
  it('keeps a small graph whole, ranks candidates and shades them relative to the best', () => {
    const { nodes, edges } = serviceGraphData(result);
    expect(nodes.map((n) => n.id)).toEqual(['cart', 'checkout', 'frontend', 'payment']);
    expect(edges).toHaveLength(3);
    const payment = nodes.find((n) => n.id === 'payment')!;
    const cart = nodes.find((n) => n.id === 'cart')!;
    expect(payment).toMatchObject({ candidateRank: 1, candidateScore: 2.5, share: 1, target: false });
    expect(cart).toMatchObject({ candidateRank: 2, share: 0.4 });
    expect(nodes.find((n) => n.id === 'checkout')).toMatchObject({ target: true, share: 0 });
  });

  it('keeps the candidates, the target and their neighbours when the whole graph is too large', () => {
    const others = Array.from({ length: 6 }, (_, i) => `svc-${i}`);
    const medium = {
      ...result,
      serviceGraph: {
        services: [...result.serviceGraph.services, ...others],
        edges: [
          ...result.serviceGraph.edges,
          ...others.map((s) => ({ from: 'svc-0', to: s, origin: 'metrics' })),
        ],
      },
    };
    const { nodes, edges } = serviceGraphData(medium);
    expect(nodes.map((n) => n.id)).toEqual(['cart', 'checkout', 'frontend', 'payment']);
    expect(edges).toHaveLength(3);
  });

  it('keeps the candidates and the target alone when their neighbours are too many', () => {
    const many = Array.from({ length: 20 }, (_, i) => `svc-${i}`);
    const big = {
      ...result,
      serviceGraph: {
        services: [...result.serviceGraph.services, ...many],
        edges: [
          ...result.serviceGraph.edges,
          ...many.map((s) => ({ from: 'checkout', to: s, origin: 'metrics' })),
        ],
      },
    };
    const { nodes, edges } = serviceGraphData(big);
    expect(nodes.map((n) => n.id)).toEqual(['cart', 'checkout', 'payment']);
    expect(edges.map((e) => `${e.from}>${e.to}`)).toEqual(['checkout>payment', 'checkout>cart']);
  });
});

describe('ServiceGraph', () => {
  beforeAll(installSvgBBox);

  it('draws every service with rank and score in words, the target marked', async () => {
    await renderInTestApp(<ServiceGraph result={result} />);
    const graph = await screen.findByTestId(serviceGraphTestIds.graph, {}, { timeout: 30_000 });
    await waitFor(() => expect(within(graph).getAllByTestId(serviceGraphTestIds.node)).toHaveLength(4), {
      timeout: 30_000,
    });
    const text = (service: string) => {
      const node = within(graph)
        .getAllByTestId(serviceGraphTestIds.node)
        .find((n) => n.getAttribute('data-service') === service)!;
      return Array.from(node.querySelectorAll('text'), (t) => t.textContent).join(' | ');
    };
    expect(text('payment')).toBe('payment | #1 · score 2.50');
    expect(text('cart')).toBe('cart | #2 · score 1.00');
    expect(text('checkout')).toBe('checkout ◎ | not a candidate');
    expect(text('frontend')).toBe('frontend | not a candidate');
    expect(graph.querySelectorAll('path[marker-end]')).toHaveLength(3);
    expect(screen.getByRole('figure', { name: 'Service graph around checkout' })).toBe(graph);
  }, 60_000);
});
