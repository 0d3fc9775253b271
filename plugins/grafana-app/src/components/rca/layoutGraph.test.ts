import { layoutGraph } from './layoutGraph';

describe('layoutGraph', () => {
  test('puts each service one column right of its deepest caller, and survives a cycle', () => {
    const edges = [
      { source: 'frontend', target: 'checkout' },
      { source: 'checkout', target: 'payment' },
      { source: 'frontend', target: 'payment' },
      { source: 'payment', target: 'checkout' },
    ];
    const layout = layoutGraph(['payment', 'checkout', 'frontend', 'lonely'], edges);
    const x = (id: string) => layout.positions.get(id)!.x;
    expect(x('frontend')).toBe(x('lonely'));
    expect(x('checkout')).toBeGreaterThan(x('frontend'));
    expect(x('payment')).toBeGreaterThan(x('frontend'));
    expect(layout.positions.size).toBe(4);
    for (const p of layout.positions.values()) {
      expect(p.x).toBeLessThan(layout.width);
      expect(p.y).toBeLessThan(layout.height);
    }
  });

  test('a chain lays out left to right in order', () => {
    const layout = layoutGraph(
      ['c', 'b', 'a'],
      [
        { source: 'a', target: 'b' },
        { source: 'b', target: 'c' },
      ]
    );
    const xs = ['a', 'b', 'c'].map((id) => layout.positions.get(id)!.x);
    expect(xs).toEqual([...xs].sort((p, q) => p - q));
    expect(new Set(xs).size).toBe(3);
  });
});
