import { describe, expect, it } from 'vitest';
import { DEFAULT_SATURATION, DEFAULT_SIGMA_POWER, LsaEmbedder, type LsaOptions } from './LsaEmbedder.js';

const base: LsaOptions = { dimensions: 4, minDocFreq: 1, maxVocabulary: 1000, seed: 7 };
const cosine = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i]!, 0);

/** Four terms in four documents of full rank: the latent space is the whole term space. */
const triangular = ['alpha beta', 'beta gamma', 'gamma delta', 'delta'];

async function fitted(options: Partial<LsaOptions>, texts = triangular): Promise<LsaEmbedder> {
  const lsa = new LsaEmbedder({ ...base, ...options });
  await lsa.fit(texts);
  return lsa;
}

describe('LsaEmbedder weighting', () => {
  it('flattens the latent dimensions by sigma^p: at p = -1 the documents are whitened (mutually orthogonal)', async () => {
    const overlap = async (sigmaPower: number) => {
      const [a, b] = await (
        await fitted({ sigmaPower, saturation: 0 })
      ).embedDocuments(triangular.slice(0, 2));
      return cosine(a!, b!);
    };
    const plain = await overlap(0);
    const half = await overlap(-0.5);
    const whitened = await overlap(-1);
    expect(plain).toBeGreaterThan(0.2);
    expect(Math.abs(whitened)).toBeLessThan(1e-3);
    expect(half).toBeLessThan(plain - 0.05);
    expect(half).toBeGreaterThan(whitened + 0.05);
  });

  it('saturates term frequency BM25-style: a term repeated in a passage owns less of its vector than with 1 + log tf', async () => {
    const texts = [
      'alpha alpha alpha alpha alpha alpha alpha alpha beta',
      'beta gamma',
      'gamma delta',
      'delta',
    ];
    const similarity = async (saturation: number) => {
      const lsa = await fitted({ saturation, sigmaPower: 0 }, texts);
      const [doc] = await lsa.embedDocuments(texts.slice(0, 1));
      return cosine(doc!, await lsa.embedQuery('beta'));
    };
    // With plain U (orthonormal, full rank) cosines are those of the weighted term vectors: beta's share of the
    // passage is 1 / sqrt(1 + (w_alpha idf_alpha)^2 ...) and grows when alpha's eight occurrences weigh 1.96, not 3.08.
    expect(await similarity(DEFAULT_SATURATION)).toBeGreaterThan((await similarity(0)) + 0.05);
  });

  it('names its weighting in its id, so snapshots made with another weighting are rebuilt', () => {
    expect(new LsaEmbedder(base).id).toBe(`lsa:4:1:7:tf${DEFAULT_SATURATION}:sigma${DEFAULT_SIGMA_POWER}`);
    expect(new LsaEmbedder({ ...base, saturation: 0, sigmaPower: 0 }).id).not.toBe(new LsaEmbedder(base).id);
  });

  it('restores the default weighting from its bytes: the same query vectors', async () => {
    const texts = [...triangular, 'alpha gamma gamma', 'beta delta delta delta'];
    const lsa = await fitted({}, texts);
    const restored = new LsaEmbedder(base);
    await restored.restore(lsa.serialize());
    const [q, r] = [await lsa.embedQuery('alpha gamma'), await restored.embedQuery('alpha gamma')];
    expect(Array.from(r)).toEqual(Array.from(q));
  });
});
