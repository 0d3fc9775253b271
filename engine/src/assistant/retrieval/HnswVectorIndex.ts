import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Index, MetricKind, ScalarKind } from 'usearch';
import type { ScoredIndex } from './Bm25Index.js';
import type { VectorIndex } from './VectorIndex.js';

export interface HnswParams {
  connectivity: number;
  expansionAdd: number;
  expansionSearch: number;
}

/**
 * HNSW through usearch (prebuilt native binary, no compiler needed). Keys are chunk positions. The graph is
 * serialised to bytes so it is persisted beside the vectors and a second replica loads it instead of rebuilding.
 * usearch only saves to a path, hence the temporary file.
 */
export class HnswVectorIndex implements VectorIndex {
  readonly kind = 'hnsw' as const;

  private constructor(
    private readonly index: Index,
    readonly size: number,
  ) {}

  static build(vectors: Float32Array, dims: number, params: HnswParams): HnswVectorIndex {
    const index = HnswVectorIndex.create(dims, params);
    const count = vectors.length / dims;
    if (count > 0) {
      const keys = new BigUint64Array(count);
      for (let i = 0; i < count; i++) keys[i] = BigInt(i);
      index.add(keys, vectors, 0);
    }
    return new HnswVectorIndex(index, count);
  }

  static deserialize(buffer: Buffer, dims: number, params: HnswParams): HnswVectorIndex {
    const index = HnswVectorIndex.create(dims, params);
    const dir = mkdtempSync(join(tmpdir(), 'aicloudops-hnsw-'));
    try {
      const file = join(dir, 'index.usearch');
      writeFileSync(file, buffer);
      index.load(file);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return new HnswVectorIndex(index, Number(index.size()));
  }

  private static create(dims: number, params: HnswParams): Index {
    return new Index({
      dimensions: dims,
      metric: MetricKind.IP,
      quantization: ScalarKind.F32,
      connectivity: params.connectivity,
      expansion_add: params.expansionAdd,
      expansion_search: params.expansionSearch,
      multi: false,
    });
  }

  search(query: Float32Array, k: number, allow?: (index: number) => boolean): ScoredIndex[] {
    if (this.size === 0) return [];
    // Filtered-out keys are dropped after the search, so ask for more than k when a filter is present.
    const want = Math.min(this.size, allow ? k * 3 : k);
    const result = this.index.search(query, want, 1);
    const out: ScoredIndex[] = [];
    for (let i = 0; i < result.keys.length; i++) {
      const index = Number(result.keys[i]!);
      if (allow && !allow(index)) continue;
      // usearch's inner-product "distance" is 1 - dot.
      out.push({ index, score: 1 - result.distances[i]! });
      if (out.length === k) break;
    }
    return out;
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
