import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../util/seededRandom.js';
import { TranslationModel, type TranslationPair } from './TranslationModel.js';

/**
 * A corpus where the heading word "drain" always sits over passages saying "evict" (never "drain"), and "scale" over
 * passages saying "replica", each mixed with filler words that occur under every heading.
 */
function corpus(seed: number): TranslationPair[] {
  const random = seededRandom(seed);
  const filler = () => Array.from({ length: 6 }, () => `f${Math.floor(random() * 20)}`);
  const pairs: TranslationPair[] = [];
  for (let i = 0; i < 40; i++) {
    pairs.push({ query: ['drain'], passage: ['evict', 'node', ...filler()] });
    pairs.push({ query: ['scale'], passage: ['replica', 'node', ...filler()] });
    pairs.push({ query: ['node'], passage: ['node', ...filler()] });
  }
  return pairs;
}

describe('TranslationModel (IBM Model 1 on heading -> passage pairs)', () => {
  it('learns which passage word a heading word stands for, not the words every passage shares', () => {
    const model = TranslationModel.train(corpus(1), { minProbability: 0 });
    expect(model.probability('drain', 'evict')).toBeGreaterThan(0.5);
    // "node" sits under every heading, so it explains "drain" far less than "evict" does (EM moves that mass slowly:
    // 0.26 after the default 5 iterations) and stands mostly for itself.
    expect(model.probability('drain', 'evict')).toBeGreaterThan(3 * model.probability('drain', 'node'));
    expect(model.probability('node', 'node')).toBeGreaterThan(model.probability('drain', 'node'));
    expect(model.probability('scale', 'replica')).toBeGreaterThan(0.5);
    // Never seen together: no translation.
    expect(model.probability('drain', 'replica')).toBe(0);
    expect(model.probability('scale', 'evict')).toBe(0);
  });

  it('expands a query word into the passage words behind it, weights summing to at most 1', () => {
    const model = TranslationModel.train(corpus(2));
    const expansions = model.expansions('drain', 3);
    expect(expansions[0]!.term).toBe('evict');
    expect(expansions.map((x) => x.term)).not.toContain('drain');
    expect(expansions.reduce((s, x) => s + x.weight, 0)).toBeLessThanOrEqual(1 + 1e-9);
    expect(model.expansions('unknown', 3)).toEqual([]);
  });

  it('names the query words a passage answers but does not contain (document expansion)', () => {
    const model = TranslationModel.train(corpus(3));
    const words = model.likelyQueryWords(['evict', 'node', 'f1'], 2).map((x) => x.term);
    expect(words[0]).toBe('drain');
    expect(words).not.toContain('node');
  });

  it('leaves out passage words rarer than minPassageFrequency', () => {
    const pairs = [...corpus(4), { query: ['drain'], passage: ['cordon'] }];
    expect(TranslationModel.train(pairs, { minPassageFrequency: 2, minProbability: 0 }).probability('drain', 'cordon')).toBe(0);
    expect(TranslationModel.train(pairs, { minPassageFrequency: 1, minProbability: 0 }).probability('drain', 'cordon')).toBeGreaterThan(0);
  });
});
