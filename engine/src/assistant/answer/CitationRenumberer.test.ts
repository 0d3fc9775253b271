import { describe, expect, it } from 'vitest';
import { CitationRenumberer, renumberCitations } from './CitationRenumberer.js';

describe('CitationRenumberer', () => {
  it('numbers citations 1..n in order of first use and drops unknown ones', () => {
    const out = renumberCitations(
      'Roll back [3]. Read logs [1][3]. Invented [9]. A [link](x).',
      new Set([1, 2, 3]),
    );
    expect(out.text).toBe('Roll back [1]. Read logs [2][1]. Invented . A [link](x).');
    expect(out.order).toEqual([
      { from: 3, to: 1 },
      { from: 1, to: 2 },
    ]);
  });

  it('holds back a marker split across stream tokens, so the stream equals the final text', () => {
    const r = new CitationRenumberer(new Set([4, 12]));
    const pieces = ['See [', '12', '] and [4', ']', ' then [12]', ' ['];
    const streamed = pieces.map((p) => r.push(p)).join('') + r.flush();
    expect(streamed).toBe('See [1] and [2] then [1] [');
    expect(r.order.map((o) => o.from)).toEqual([12, 4]);
  });
});
