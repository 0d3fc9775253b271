import { describe, expect, it } from 'vitest';
import { CitationRenumberer, sameSectionAliases } from './CitationRenumberer.js';

const passage = (n: number, path: string, section: string) => ({
  n,
  chunk: { path, section, source: 'docs' },
});

describe('citations of one page section', () => {
  it('maps later passages of a section to its first one, and no other', () => {
    const aliases = sameSectionAliases([
      passage(1, 'pdb.md', 'Protecting an Application'),
      passage(2, 'disruptions.md', 'Disruptions > Pod disruption budgets'),
      passage(3, 'disruptions.md', 'Disruptions > Pod disruption budgets'),
      passage(4, 'disruptions.md', 'Disruptions > Voluntary disruptions'),
      passage(5, 'other.md', 'Disruptions > Pod disruption budgets'),
    ]);
    expect([...aliases]).toEqual([[3, 2]]);
  });

  it('gives two passages of one section one number, keeping numbering contiguous', () => {
    const r = new CitationRenumberer(new Set([1, 2, 3, 4]), new Map([[3, 2]]));
    const text = r.push('A [1]. B [2]. C [3]. D [4]. E [3][2].') + r.flush();
    expect(text).toBe('A [1]. B [2]. C [2]. D [3]. E [2].');
    expect(r.order).toEqual([
      { from: 1, to: 1 },
      { from: 2, to: 2 },
      { from: 4, to: 3 },
    ]);
  });

  it('numbers the section by whichever of its passages is cited first', () => {
    const r = new CitationRenumberer(new Set([1, 2, 3]), new Map([[3, 2]]));
    const streamed =
      ['Only the second chunk [', '3', ']', ' and [1]', '.'].map((p) => r.push(p)).join('') + r.flush();
    expect(streamed).toBe('Only the second chunk [1] and [2].');
    expect(r.order).toEqual([
      { from: 2, to: 1 },
      { from: 1, to: 2 },
    ]);
  });

  it('drops a marker streamed right after the same marker', () => {
    const r = new CitationRenumberer(new Set([2, 3]), new Map([[3, 2]]));
    const streamed = ['See [2]', '[3]', ' and [3].'].map((p) => r.push(p)).join('') + r.flush();
    expect(streamed).toBe('See [1] and [1].');
  });
});
