import { describe, expect, it } from 'vitest';
import { cooccurrences, ppmi, WordContextEmbedder, type WordContextOptions } from './WordContextEmbedder.js';

const options: WordContextOptions = { dimensions: 8, window: 2, minCount: 1, maxVocabulary: 1000, seed: 7 };
const cosine = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i]!, 0);

/**
 * "drain" and "evict" never share a text but are used between the same words; "replicas" and "scale" live in other
 * contexts. A document-level model sees drain and evict in different documents; a word-context model brings them together.
 */
const corpus = [
  ...Array.from({ length: 6 }, () => 'worker node drain pods safely before maintenance'),
  ...Array.from({ length: 6 }, () => 'worker node evict pods safely before maintenance'),
  ...Array.from({ length: 6 }, () => 'deployment replicas scale horizontally under load'),
  ...Array.from({ length: 6 }, () => 'autoscaler changes deployment replicas when cpu load grows'),
  ...Array.from({ length: 6 }, () => 'secret volume mounts token file readonly'),
  ...Array.from({ length: 6 }, () => 'service routes traffic to endpoints through kube proxy'),
  ...Array.from({ length: 6 }, () => 'ingress controller terminates tls for external hosts'),
  ...Array.from({ length: 6 }, () => 'etcd stores cluster state behind the api server'),
];

describe('WordContextEmbedder', () => {
  it('counts each pair once per window position, weighted (window - d + 1) / window', () => {
    const pairs = cooccurrences([Int32Array.from([0, 1, 2]), Int32Array.from([1, 0])], 3, 2);
    const got = Array.from(pairs.a, (a, i) => `${a}-${pairs.b[i]}:${pairs.count[i]}`);
    expect(got).toEqual(['0-1:2', '0-2:0.5', '1-2:1']);
  });

  it('keeps only positive PMI, in both directions of a pair', () => {
    // 0 and 1 always together, 2 and 3 always together: cross pairs never occur, so only 0-1 and 2-3 (both ways) stay.
    const pairs = cooccurrences(
      [Int32Array.from([0, 1]), Int32Array.from([2, 3]), Int32Array.from([0, 1])],
      4,
      1,
    );
    const m = ppmi(pairs, 4, 0.75, 1);
    const entries = m.columns.flatMap((c, ctx) =>
      Array.from(c.ids, (w, i) => ({ w, ctx, v: c.weights[i]! })),
    );
    expect(entries.map((e) => `${e.w}->${e.ctx}`).sort()).toEqual(['0->1', '1->0', '2->3', '3->2']);
    expect(entries.every((e) => e.v > 0)).toBe(true);
    // A shift of log k removes what PMI does not exceed it by.
    expect(ppmi(pairs, 4, 0.75, 1000).columns.every((c) => c.ids.length === 0)).toBe(true);
  });

  it('puts words used in the same local contexts close, though they never share a text', async () => {
    const e = new WordContextEmbedder(options);
    await e.fit(corpus);
    const [drain, evict, replicas] = await Promise.all(
      ['drain', 'evict', 'replicas'].map((w) => e.embedQuery(w)),
    );
    expect(cosine(drain!, evict!)).toBeGreaterThan(0.8);
    expect(cosine(drain!, evict!)).toBeGreaterThan(cosine(drain!, replicas!) + 0.3);
    // A question in other words finds the text about the same thing (the drain text, though it says evict), by a wide
    // margin over every other topic once the common component is removed.
    const q = await e.embedQuery('evict everything from a worker');
    const docs = await e.embedDocuments([0, 12, 24, 30, 36, 42].map((i) => corpus[i]!));
    const [drainText, ...others] = docs.map((d) => cosine(q, d));
    expect(drainText).toBeGreaterThan(Math.max(...others) + 0.5);
  });

  it('restores from its bytes: the same vectors, and names its settings in its id', async () => {
    const e = new WordContextEmbedder(options);
    await e.fit(corpus);
    const restored = new WordContextEmbedder(options);
    await restored.restore(e.serialize());
    expect(Array.from(await restored.embedQuery('drain pods'))).toEqual(
      Array.from(await e.embedQuery('drain pods')),
    );
    expect(e.id).not.toBe(new WordContextEmbedder({ ...options, window: 5 }).id);
    await expect(restored.restore(Buffer.from([1, 0, 0, 0, 123]))).rejects.toThrow(/corrupt/);
  });

  it('refuses to embed before it is fitted', async () => {
    await expect(new WordContextEmbedder(options).embedQuery('x')).rejects.toThrow(/before it was fitted/);
  });
});
