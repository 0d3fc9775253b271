import { EngineError } from '../../errors.js';
import { randomizedSvd, symmetricEigen, type SparseColumns } from '../retrieval/randomizedSvd.js';
import { tokenize } from '../retrieval/tokenize.js';
import { normalize, type CorpusFittedEmbedder } from './Embedder.js';

export interface WordContextOptions {
  dimensions: number;
  /** Words on each side counted as a word's context (weighted (window - d + 1) / window, word2vec's expected weight). */
  window: number;
  /** Words seen fewer times than this get no vector. */
  minCount: number;
  maxVocabulary: number;
  seed: number;
  /** Context-distribution smoothing: contexts' counts raised to this power in PMI's denominator. */
  contextSmoothing?: number;
  /** Shifted PPMI: log(shift) subtracted from PMI (1: plain PPMI). */
  shift?: number;
  /** Word vectors are U Sigma^eigenPower (0.5: symmetric weighting). */
  eigenPower?: number;
  /** SIF weight a / (a + p(w)) of a word in a text's average. */
  sifA?: number;
}

export const WORD_CONTEXT_DEFAULTS = {
  contextSmoothing: 0.75,
  shift: 1,
  eigenPower: 0.5,
  sifA: 1e-3,
} as const;

/**
 * Word vectors from local context, fitted on the collection: a word x context PPMI matrix over a +-window of the
 * tokenizer's terms (context-distribution smoothing 0.75), factorised by the randomized truncated SVD, rows U Sigma^p.
 * Levy, Goldberg & Dagan (2015) show this matches skip-gram with negative sampling on small corpora. Texts are SIF
 * averages (Arora, Liang & Ma 2017): words weighted a / (a + p(w)), then the collection's first principal component
 * (what every average shares) removed. Unlike LSA, which sees whole passages, two words are close when they are used
 * next to the same words ("drain" and "evict" both take "node", "pods"), whichever pages they are on.
 * Hand-written because no maintained JS library fits word vectors from a co-occurrence matrix.
 */
export class WordContextEmbedder implements CorpusFittedEmbedder {
  private vocabulary = new Map<string, number>();
  /** Per word: its SIF weight. */
  private weights: Float32Array = new Float32Array(0);
  /** vocabulary x dims, row-major, unit rows (zero for a word without context). */
  private wordVectors: Float32Array = new Float32Array(0);
  /** The common component removed from every text vector (unit, or all zeros). */
  private common: Float32Array = new Float32Array(0);
  private dims = 0;

  constructor(private readonly options: WordContextOptions) {}

  private get settings(): Required<WordContextOptions> {
    return { ...WORD_CONTEXT_DEFAULTS, ...this.options } as Required<WordContextOptions>;
  }

  get id(): string {
    const s = this.settings;
    return `wordctx:${s.dimensions}:w${s.window}:min${s.minCount}:${s.seed}:cds${s.contextSmoothing}:k${s.shift}:p${s.eigenPower}:a${s.sifA}`;
  }

  get dimensions(): number {
    return this.dims || this.options.dimensions;
  }

  get fitted(): boolean {
    return this.dims > 0;
  }

  async fit(texts: string[]): Promise<void> {
    const s = this.settings;
    const tokenized = texts.map((t) => tokenize(t));
    const counts = new Map<string, number>();
    let total = 0;
    for (const tokens of tokenized) for (const t of tokens) counts.set(t, (counts.get(t) ?? 0) + 1);
    const kept = [...counts.entries()]
      .filter(([, c]) => c >= s.minCount)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, s.maxVocabulary);
    this.vocabulary = new Map(kept.map(([term], i) => [term, i]));
    for (const [, c] of kept) total += c;
    this.weights = Float32Array.from(kept.map(([, c]) => s.sifA / (s.sifA + c / Math.max(total, 1))));
    const ids = tokenized.map((tokens) => this.ids(tokens));
    const matrix = ppmi(cooccurrences(ids, kept.length, s.window), kept.length, s.contextSmoothing, s.shift);
    const k = Math.min(s.dimensions, kept.length);
    if (k < 1) {
      this.wordVectors = new Float32Array(kept.length);
      this.common = new Float32Array(1);
      this.dims = 1;
      return;
    }
    const {
      u,
      k: got,
      singularValues,
    } = randomizedSvd(matrix, k, { seed: s.seed, oversample: 16, powerIterations: 1 });
    this.dims = got;
    this.wordVectors = scaledUnitRows(u, got, singularValues, s.eigenPower);
    this.common = new Float32Array(got);
    this.common = firstComponent(
      ids.map((x) => this.average(x)),
      got,
    );
  }

  async embedDocuments(texts: string[]): Promise<Float32Array[]> {
    return texts.map((t) => this.embed(t));
  }

  async embedQuery(text: string): Promise<Float32Array> {
    return this.embed(text);
  }

  serialize(): Buffer {
    const header = Buffer.from(
      JSON.stringify({ options: this.options, dims: this.dims, terms: [...this.vocabulary.keys()] }),
    );
    const len = Buffer.alloc(4);
    len.writeUInt32LE(header.length);
    const floats = [this.weights, this.common, this.wordVectors].map((f) =>
      Buffer.from(f.buffer, f.byteOffset, f.byteLength),
    );
    return Buffer.concat([len, header, ...floats]);
  }

  async restore(state: Buffer): Promise<void> {
    try {
      const len = state.readUInt32LE(0);
      const header = JSON.parse(state.subarray(4, 4 + len).toString('utf8')) as {
        dims: number;
        terms: string[];
      };
      const body = state.subarray(4 + len);
      // Copy into aligned memory: a Buffer slice may start at an offset Float32Array cannot view.
      const floats = new Float32Array(body.length / 4);
      new Uint8Array(floats.buffer).set(body);
      const v = header.terms.length;
      if (floats.length !== v + header.dims + v * header.dims) throw new Error('size mismatch');
      this.vocabulary = new Map(header.terms.map((t, i) => [t, i]));
      this.weights = floats.slice(0, v);
      this.common = floats.slice(v, v + header.dims);
      this.wordVectors = floats.slice(v + header.dims);
      this.dims = header.dims;
    } catch (error) {
      throw new EngineError('INTERNAL', 'stored word-context model is corrupt; re-ingest to rebuild it', {
        cause: error,
      });
    }
  }

  private ids(tokens: string[]): Int32Array {
    const out: number[] = [];
    for (const t of tokens) {
      const id = this.vocabulary.get(t);
      if (id !== undefined) out.push(id);
    }
    return Int32Array.from(out);
  }

  /** SIF-weighted average of the words' vectors (not normalised). */
  private average(ids: Int32Array): Float32Array {
    const out = new Float32Array(this.dims);
    const { wordVectors, weights, dims } = this;
    for (const id of ids) {
      const w = weights[id]!;
      const o = id * dims;
      for (let c = 0; c < dims; c++) out[c]! += w * wordVectors[o + c]!;
    }
    if (ids.length) for (let c = 0; c < dims; c++) out[c]! /= ids.length;
    return out;
  }

  private embed(text: string): Float32Array {
    if (!this.fitted)
      throw new EngineError('INTERNAL', 'word-context embedder used before it was fitted on a collection');
    const v = this.average(this.ids(tokenize(text)));
    let dot = 0;
    for (let c = 0; c < this.dims; c++) dot += v[c]! * this.common[c]!;
    for (let c = 0; c < this.dims; c++) v[c]! -= dot * this.common[c]!;
    return normalize(v);
  }
}

/**
 * Weighted co-occurrence counts of word pairs within the window, as sorted unordered pairs (a <= b): each event is
 * one number ((a * V + b) * 8 + distance) in a Float64Array, sorted and summed in runs. A Map keyed by pair held
 * millions of entries (hundreds of MB); the sort needs 8 bytes per event.
 */
export function cooccurrences(
  texts: Int32Array[],
  vocabulary: number,
  window: number,
): { a: Int32Array; b: Int32Array; count: Float64Array } {
  let events = 0;
  for (const ids of texts) for (let d = 1; d <= window; d++) events += Math.max(0, ids.length - d);
  const keys = new Float64Array(Math.max(events, 0));
  let n = 0;
  for (const ids of texts) {
    for (let i = 0; i < ids.length; i++) {
      for (let d = 1; d <= window && i + d < ids.length; d++) {
        const [x, y] = [ids[i]!, ids[i + d]!];
        const [lo, hi] = x <= y ? [x, y] : [y, x];
        keys[n++] = (lo * vocabulary + hi) * 8 + d;
      }
    }
  }
  const sorted = keys.subarray(0, n).sort();
  const a: number[] = [];
  const b: number[] = [];
  const count: number[] = [];
  let last = -1;
  for (const key of sorted) {
    const d = key % 8;
    const pair = (key - d) / 8;
    const w = (window - d + 1) / window;
    if (pair === last) count[count.length - 1]! += w;
    else {
      last = pair;
      a.push(Math.floor(pair / vocabulary));
      b.push(pair % vocabulary);
      count.push(w);
    }
  }
  return { a: Int32Array.from(a), b: Int32Array.from(b), count: Float64Array.from(count) };
}

/** Columns (contexts) of the positive PMI matrix, both directions of each pair, contexts' counts smoothed by ^alpha. */
export function ppmi(
  pairs: { a: Int32Array; b: Int32Array; count: Float64Array },
  vocabulary: number,
  alpha: number,
  shift: number,
): SparseColumns {
  const marginal = new Float64Array(vocabulary);
  const perColumn = new Int32Array(vocabulary);
  for (let i = 0; i < pairs.a.length; i++) {
    const [x, y, c] = [pairs.a[i]!, pairs.b[i]!, pairs.count[i]!];
    marginal[x]! += c;
    perColumn[y]!++;
    if (x !== y) {
      marginal[y]! += c;
      perColumn[x]!++;
    }
  }
  let z = 0;
  const smoothed = Float64Array.from(marginal, (m) => Math.pow(m, alpha));
  for (const m of smoothed) z += m;
  const logShift = Math.log(shift);
  const columns = Array.from(perColumn, (size) => ({
    ids: new Int32Array(size),
    weights: new Float32Array(size),
    n: 0,
  }));
  const put = (word: number, context: number, c: number) => {
    const value = Math.log((c * z) / (marginal[word]! * smoothed[context]!)) - logShift;
    if (value <= 0) return;
    const col = columns[context]!;
    col.ids[col.n] = word;
    col.weights[col.n++] = value;
  };
  for (let i = 0; i < pairs.a.length; i++) {
    const [x, y, c] = [pairs.a[i]!, pairs.b[i]!, pairs.count[i]!];
    put(x, y, c);
    if (x !== y) put(y, x, c);
  }
  return {
    rows: vocabulary,
    columns: columns.map((col) => ({
      ids: col.ids.subarray(0, col.n),
      weights: col.weights.subarray(0, col.n),
    })),
  };
}

/** Rows of U Sigma^power (sigma relative to the first), each scaled to unit length. */
function scaledUnitRows(u: Float32Array, k: number, sigma: ArrayLike<number>, power: number): Float32Array {
  const top = sigma[0]! || 1;
  const scale = Array.from({ length: k }, (_, c) => Math.pow(Math.max(sigma[c]!, 1e-12) / top, power));
  const out = new Float32Array(u.length);
  for (let o = 0; o < u.length; o += k) {
    let norm = 0;
    for (let c = 0; c < k; c++) norm += (u[o + c]! * scale[c]!) ** 2;
    norm = Math.sqrt(norm);
    if (norm > 0) for (let c = 0; c < k; c++) out[o + c] = (u[o + c]! * scale[c]!) / norm;
  }
  return out;
}

/** Unit eigenvector of the largest eigenvalue of sum v v^T (uncentred, as SIF does). */
function firstComponent(vectors: Float32Array[], dims: number): Float32Array {
  const g = new Float64Array(dims * dims);
  for (const v of vectors)
    for (let i = 0; i < dims; i++) for (let j = 0; j < dims; j++) g[i * dims + j]! += v[i]! * v[j]!;
  const { values, vectors: e } = symmetricEigen(g, dims);
  let best = 0;
  for (let i = 1; i < dims; i++) if (values[i]! > values[best]!) best = i;
  return Float32Array.from({ length: dims }, (_, r) => e[r * dims + best]!);
}
