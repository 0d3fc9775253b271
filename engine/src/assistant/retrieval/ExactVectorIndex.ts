import type { ScoredIndex } from './Bm25Index.js';
import { topK } from './Bm25Index.js';
import type { VectorIndex } from './VectorIndex.js';

/** Brute-force inner product over one contiguous Float32Array: exact, and fastest below a few ten thousand vectors. */
export class ExactVectorIndex implements VectorIndex {
  readonly kind = 'exact' as const;
  private readonly scores: Float32Array;

  constructor(
    private readonly vectors: Float32Array,
    private readonly dims: number,
  ) {
    this.scores = new Float32Array(vectors.length / dims);
  }

  get size(): number {
    return this.scores.length;
  }

  search(query: Float32Array, k: number, allow?: (index: number) => boolean): ScoredIndex[] {
    const { vectors, dims, scores } = this;
    for (let i = 0, o = 0; i < scores.length; i++, o += dims) {
      let s = 0;
      for (let d = 0; d < dims; d++) s += vectors[o + d]! * query[d]!;
      scores[i] = s;
    }
    return topK(scores.keys(), (i) => scores[i]!, k, allow);
  }

  serialize(): Buffer {
    return Buffer.alloc(0);
  }
}
