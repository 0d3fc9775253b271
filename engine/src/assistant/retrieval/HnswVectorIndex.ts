import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Index, MetricKind, ScalarKind } from 'usearch';
import { topK, type ScoredIndex } from './Bm25Index.js';
import type { VectorIndex } from './VectorIndex.js';

/** The configured HNSW settings: those of a collection of REFERENCE_SIZE chunks (see scaledHnswParams). */
export interface HnswParams {
  connectivity: number;
  expansionAdd: number;
  expansionSearch: number;
}

/** The size at which the configured parameters apply unchanged; smaller collections keep them. */
export const REFERENCE_SIZE = 10_000;

/**
 * HNSW settings for a collection of `count` vectors, grown with log N from the configured ones (valid at 10k):
 *   M = M0 + 4·log10(N / 10k)          16 → 20 at 100k, 22 at 300k, 24 at 1M
 *   efSearch = ef0 · (1 + log2(N / 10k) / 2)   96 → 255 at 100k, 332 at 300k, 415 at 1M
 *   efConstruction = efC0 (build time grows with it; the wider search beam makes up for a rougher graph)
 * WHY: at fixed M and ef the greedy search's chance of missing a true neighbour grows with the graph's depth and the
 * density of near neighbours, which both grow with log N; the rule is one formula for every size, not a value per
 * size (rag-scale prints the curve it gives). The fixed M 16 / ef 96 fell to 0.977 strict recall@10 at 100k.
 */
export function scaledHnswParams(base: HnswParams, count: number): HnswParams {
  const octaves = Math.max(0, Math.log2(count / REFERENCE_SIZE));
  const expansionSearch = Math.round(base.expansionSearch * (1 + octaves / 2));
  return {
    connectivity: Math.round(base.connectivity + 4 * Math.log10(2 ** octaves)),
    expansionSearch,
    expansionAdd: base.expansionAdd,
  };
}

/**
 * HNSW through usearch (prebuilt native binary, no compiler needed), over int8-quantised vectors: the graph and its
 * vectors take a quarter of float32's memory (128 B instead of 512 B per 128-dim vector: 384 MB saved at 1M chunks).
 * The beam's candidates (efSearch of them) are then rescored exactly against the float32 rows the caller already
 * holds, so quantisation only affects which candidates are visited, not the order returned. Keys are chunk positions.
 * The graph is serialised to bytes so it is persisted beside the vectors and a second replica loads it instead of
 * rebuilding. usearch only saves to a path, hence the temporary file.
 */
export class HnswVectorIndex implements VectorIndex {
  readonly kind = 'hnsw' as const;
  /** Candidates fetched from the graph per query (the effective efSearch: usearch widens its beam to what is asked). */
  readonly expansionSearch: number;

  private constructor(
    private readonly index: Index,
    readonly size: number,
    private readonly vectors: Float32Array,
    private readonly dims: number,
    base: HnswParams,
  ) {
    this.expansionSearch = scaledHnswParams(base, size).expansionSearch;
  }

  /** `params` are the configured (10k) settings; the index scales them to the collection's size. */
  static build(vectors: Float32Array, dims: number, params: HnswParams): HnswVectorIndex {
    const count = vectors.length / dims;
    const index = HnswVectorIndex.create(dims, scaledHnswParams(params, count));
    if (count > 0) {
      const keys = new BigUint64Array(count);
      for (let i = 0; i < count; i++) keys[i] = BigInt(i);
      index.add(keys, vectors, 0);
    }
    return new HnswVectorIndex(index, count, vectors, dims, params);
  }

  /** `vectors`: the float32 rows the graph was built from (persisted beside it), used for the exact rescoring. */
  static deserialize(
    buffer: Buffer,
    dims: number,
    params: HnswParams,
    vectors: Float32Array,
  ): HnswVectorIndex {
    const index = HnswVectorIndex.create(dims, params);
    const dir = mkdtempSync(join(tmpdir(), 'aicloudops-hnsw-'));
    try {
      const file = join(dir, 'index.usearch');
      writeFileSync(file, buffer);
      index.load(file);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const size = Number(index.size());
    if (vectors.length !== size * dims)
      throw new Error(`HNSW graph holds ${size} vectors, ${vectors.length / dims} given`);
    return new HnswVectorIndex(index, size, vectors, dims, params);
  }

  private static create(dims: number, params: HnswParams): Index {
    return new Index({
      dimensions: dims,
      metric: MetricKind.IP,
      quantization: ScalarKind.I8,
      connectivity: params.connectivity,
      expansion_add: params.expansionAdd,
      expansion_search: params.expansionSearch,
      multi: false,
    });
  }

  search(query: Float32Array, k: number, allow?: (index: number) => boolean): ScoredIndex[] {
    if (this.size === 0 || k <= 0) return [];
    // Filtered-out keys are dropped after the search, so ask for more than k when a filter is present.
    const want = Math.min(this.size, Math.max(this.expansionSearch, allow ? k * 3 : k));
    const result = this.index.search(query, want, 1);
    const keys = new Int32Array(result.keys.length);
    for (let i = 0; i < keys.length; i++) keys[i] = Number(result.keys[i]!);
    const vectors = this.vectors;
    const dims = this.dims;
    const exact = new Map<number, number>();
    for (const key of keys) {
      let s = 0;
      for (let d = 0, o = key * dims; d < dims; d++) s += vectors[o + d]! * query[d]!;
      exact.set(key, Math.fround(s));
    }
    return topK(keys, (i) => exact.get(i)!, k, allow);
  }

  serialize(): Buffer {
    const dir = mkdtempSync(join(tmpdir(), 'aicloudops-hnsw-'));
    try {
      const file = join(dir, 'index.usearch');
      this.index.save(file);
      return readFileSync(file);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}
