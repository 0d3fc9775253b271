import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../util/seededRandom.js';
import { ExactVectorIndex } from './ExactVectorIndex.js';
import { HnswVectorIndex, scaledHnswParams } from './HnswVectorIndex.js';

/** Unit vectors around 40 centres, so that neighbours are close as in text embeddings rather than uniform noise. */
function clustered(count: number, dims: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  const centres = Array.from({ length: 40 }, () => Array.from({ length: dims }, () => random() - 0.5));
  const vectors = new Float32Array(count * dims);
  for (let i = 0; i < count; i++) {
    const centre = centres[i % centres.length]!;
    let norm = 0;
    for (let d = 0; d < dims; d++) norm += (vectors[i * dims + d] = centre[d]! + (random() - 0.5) * 0.6) ** 2;
    for (let d = 0; d < dims; d++) vectors[i * dims + d]! /= Math.sqrt(norm);
  }
  return vectors;
}

describe('HnswVectorIndex (int8 graph, exact rescoring)', () => {
  const dims = 32;
  const n = 6000;
  const vectors = clustered(n, dims, 3);
  const exact = new ExactVectorIndex(vectors, dims);
  const params = { connectivity: 16, expansionAdd: 128, expansionSearch: 96 };
  const queries = Array.from({ length: 100 }, (_, q) =>
    vectors.slice(q * 53 * dims, (q * 53 + 1) * dims).map((x, d) => x + (d % 3) * 0.01),
  );

  const recall = (index: HnswVectorIndex) => {
    let found = 0;
    for (const query of queries) {
      const truth = new Set(exact.search(query, 10).map((h) => h.index));
      found += index.search(query, 10).filter((h) => truth.has(h.index)).length;
    }
    return found / (queries.length * 10);
  };

  it('keeps recall@10 on quantised vectors and returns exact float32 scores', () => {
    const hnsw = HnswVectorIndex.build(vectors, dims, params);
    expect(recall(hnsw)).toBeGreaterThanOrEqual(0.95);
    const query = queries[0]!;
    const truth = exact.search(query, 10);
    // Rescored against the float32 rows: the same scores as the exact scan for the neighbours both found.
    for (const hit of hnsw.search(query, 10)) {
      const same = truth.find((t) => t.index === hit.index);
      if (same) expect(hit.score).toBe(same.score);
    }
  });

  it('restores from bytes with the vectors it rescores against', () => {
    const bytes = HnswVectorIndex.build(vectors, dims, params).serialize();
    // int8: 32 bytes per 32-dim vector plus the graph, below float32's 128 bytes per vector plus the graph.
    expect(bytes.length).toBeLessThan(n * (dims * 4 + 16 * 2 * 4));
    const restored = HnswVectorIndex.deserialize(bytes, dims, params, vectors);
    expect(recall(restored)).toBeGreaterThanOrEqual(0.95);
    const query = queries[1]!;
    expect(restored.search(query, 1)[0]!.score).toBe(exact.search(query, 1)[0]!.score);
    expect(restored.search(query, 5, (i) => i % 2 === 1).every((h) => h.index % 2 === 1)).toBe(true);
    expect(() => HnswVectorIndex.deserialize(bytes, dims, params, vectors.subarray(dims))).toThrow(
      /6000 vectors, 5999 given/,
    );
  });

  it('grows M and efSearch with log N by one rule, keeping the configured values up to 10k', () => {
    const at = (count: number) => scaledHnswParams(params, count);
    expect(at(5_000)).toEqual(params);
    expect(at(10_000)).toEqual(params);
    expect(at(100_000)).toEqual({ connectivity: 20, expansionSearch: 255, expansionAdd: 128 });
    expect(at(300_000)).toEqual({ connectivity: 22, expansionSearch: 332, expansionAdd: 128 });
    expect(at(1_000_000)).toEqual({ connectivity: 24, expansionSearch: 415, expansionAdd: 128 });
  });
});
