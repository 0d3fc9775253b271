import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../util/seededRandom.js';
import { nearestRow, tailNorms } from './nearestRow.js';

/** The plain scan nearestRow must equal: every component of every allowed row, the first row on ties. */
function scan(vectors: Float32Array, dims: number, rows: number[], query: Float32Array, allow?: (r: number) => boolean): number {
  let best = -1;
  let bestScore = -Infinity;
  for (const r of rows) {
    if (allow && !allow(r)) continue;
    let s = 0;
    for (let d = 0; d < dims; d++) s += vectors[r * dims + d]! * query[d]!;
    if (s > bestScore) {
      bestScore = s;
      best = r;
    }
  }
  return best;
}

/** Normalised rows whose length decays over the components, as LSA's do, with exact copies (ties) among them. */
function rows(count: number, dims: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  const out = new Float32Array(count * dims);
  for (let r = 0; r < count; r++) {
    if (r % 17 === 16) {
      out.copyWithin(r * dims, (r - 5) * dims, (r - 4) * dims);
      continue;
    }
    let n = 0;
    for (let d = 0; d < dims; d++) {
      const v = (random() * 2 - 1) / (1 + d / 8);
      out[r * dims + d] = v;
      n += v * v;
    }
    for (let d = 0; d < dims; d++) out[r * dims + d]! /= Math.sqrt(n);
  }
  return out;
}

describe('nearestRow', () => {
  it('returns the plain scan’s row for random queries, row subsets and filters', () => {
    const dims = 128;
    const vectors = rows(3000, dims, 3);
    const tails = tailNorms(vectors, dims, 32);
    for (let q = 0; q < 200; q++) {
      // Half the queries are stored rows (the nearest is then a tie between a row and its copy), half are random.
      const query = q % 2 === 0 ? vectors.slice((q % 3000) * dims, (q % 3000 + 1) * dims) : rows(1, dims, 100 + q);
      const subset = Array.from({ length: 300 + (q % 7) * 300 }, (_, i) => (i * 7 + q) % 3000);
      expect(nearestRow(vectors, dims, subset, query, tails)).toBe(scan(vectors, dims, subset, query));
      const allow = (r: number) => r % 4 !== q % 4;
      expect(nearestRow(vectors, dims, subset, query, tails, allow)).toBe(scan(vectors, dims, subset, query, allow));
    }
  });

  it('fails to match the scan when a tail bound is too small (the bound decides)', () => {
    const dims = 128;
    const vectors = rows(2000, dims, 5);
    const wrong = tailNorms(vectors, dims, 32).map((t) => t * 0.1);
    let differ = 0;
    for (let q = 0; q < 50; q++) {
      const query = rows(1, dims, 300 + q);
      const all = Array.from({ length: 2000 }, (_, i) => i);
      if (nearestRow(vectors, dims, all, query, wrong) !== scan(vectors, dims, all, query)) differ++;
    }
    expect(differ).toBeGreaterThan(0);
  });

  it('returns -1 when no row is allowed', () => {
    const vectors = rows(10, 128, 1);
    expect(nearestRow(vectors, 128, [1, 2, 3], vectors.subarray(0, 128), tailNorms(vectors, 128, 32), () => false)).toBe(-1);
  });
});
