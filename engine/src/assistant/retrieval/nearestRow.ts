/**
 * Tail norms of L2-normalised rows for `nearestRow`: per row, the norm of its components from `from` on, rounded up.
 * LSA vectors put most of their length in the first (largest singular value) components, so the bound below is tight.
 */
export function tailNorms(vectors: Float32Array, dims: number, from: number): Float32Array {
  const rows = Math.floor(vectors.length / dims);
  const out = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let d = r * dims + from, end = (r + 1) * dims; d < end; d++) s += vectors[d]! * vectors[d]!;
    out[r] = Math.fround(Math.sqrt(s) * (1 + 1e-6));
  }
  return out;
}

/** Components summed before the bound is tested: a quarter of 128. */
export const NEAREST_HEAD = 32;

/**
 * The row among `rows` with the largest dot product with `query` (the first on ties; -1 when none is allowed): the
 * same float64 sums in the same order as a plain scan, so the same row. A row is abandoned after NEAREST_HEAD
 * components when its partial sum plus its tail norm times the query's (Cauchy-Schwarz) cannot reach the best so far
 * (minus 1e-9, far above the rounding of 128 products of numbers below 1). At 1M chunks a page holds up to 16k of
 * them, and the full scan of 17-19 such pages was 12-25 ms of the slowest queries' 19-30 ms (rag-scale, quiet).
 */
export function nearestRow(
  vectors: Float32Array,
  dims: number,
  rows: Iterable<number>,
  query: Float32Array,
  tails: Float32Array,
  allow?: (row: number) => boolean,
): number {
  const head = Math.min(NEAREST_HEAD, dims);
  let queryTail = 0;
  for (let d = head; d < dims; d++) queryTail += query[d]! * query[d]!;
  queryTail = Math.sqrt(queryTail) * (1 + 1e-6);
  let best = -1;
  let bestScore = -Infinity;
  for (const i of rows) {
    if (allow && !allow(i)) continue;
    let s = 0;
    const o = i * dims;
    for (let d = 0; d < head; d++) s += vectors[o + d]! * query[d]!;
    if (s + tails[i]! * queryTail < bestScore - 1e-9) continue;
    for (let d = head; d < dims; d++) s += vectors[o + d]! * query[d]!;
    if (s > bestScore) {
      bestScore = s;
      best = i;
    }
  }
  return best;
}
