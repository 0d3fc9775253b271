import type { ScoredIndex } from './Bm25Index.js';

/**
 * Nearest neighbours by inner product over L2-normalised vectors (= cosine). ExactVectorIndex scans everything;
 * HnswVectorIndex (usearch) answers approximately in logarithmic time for large collections.
 */
export interface VectorIndex {
  readonly kind: 'exact' | 'hnsw';
  readonly size: number;
  search(query: Float32Array, k: number, allow?: (index: number) => boolean): ScoredIndex[];
  /** Bytes that restore the index without rebuilding it (empty for exact, which rebuilds from the vectors). */
  serialize(): Buffer;
}
