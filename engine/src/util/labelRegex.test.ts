import { describe, expect, it } from 'vitest';
import { finishesWithin } from '../../test/support/finishesWithin.js';
import { compileLabelRegex } from './labelRegex.js';

describe('compileLabelRegex', () => {
  it('anchors like Prometheus and Alertmanager', () => {
    const re = compileLabelRegex('cart|check.*');
    expect(['cart', 'checkout'].map((v) => re.test(v))).toEqual([true, true]);
    expect(['cart-1', 'xcart', ''].map((v) => re.test(v))).toEqual([false, false, false]);
    expect(compileLabelRegex('').test('')).toBe(true);
    expect(compileLabelRegex('5..').test('503')).toBe(true);
  });

  it('refuses what RE2 refuses (back-references, lookaround), with a message', () => {
    expect(() => compileLabelRegex('(a)\\1')).toThrow(/invalid escape/);
    expect(() => compileLabelRegex('(?=a)a')).toThrow(/unsupported/);
    expect(() => compileLabelRegex('(')).toThrow(/missing/);
  });

  // JavaScript's RegExp needs minutes for these (exponential backtracking; 34 characters of 'a' against (a|aa)+b
  // took 1.2 s, each further character ~1.6x). 10 s is the bound, not a speed claim.
  it('matches nested quantifiers in linear time', { timeout: 60_000 }, async () => {
    const module = new URL('./labelRegex.testing.ts', import.meta.url);
    expect(await finishesWithin(module, 'matchAdversarial', ['x'], 10_000)).toBe(true);
  });
});
