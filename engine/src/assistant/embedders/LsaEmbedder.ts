import { EngineError } from '../../errors.js';
import { randomizedSvd, type SparseColumns } from '../retrieval/randomizedSvd.js';
import { tokenize } from '../retrieval/tokenize.js';
import { normalize, type CorpusFittedEmbedder } from './Embedder.js';

/** Below this many chunks every term is kept (see fit). */
const SMALL_COLLECTION = 200;

export interface LsaOptions {
  dimensions: number;
  minDocFreq: number;
  maxVocabulary: number;
  seed: number;
  /** Latent dimensions scaled by (sigma_c / sigma_1)^sigmaPower before normalising (0: plain U^T x). */
  sigmaPower?: number;
  /**
   * Ridge strength (relative to the number of pairs) of the query alignment learned from the collection's own
   * (heading -> passage) pairs; 0 or absent: queries are embedded like passages.
   */
  queryAlignment?: number;
  /** Fit the latent space on whole sections (consecutive chunks under one heading path) instead of chunks. */
  fitOnSections?: boolean;
  /** BM25-style term frequency saturation k1 (tf (k1+1) / (tf + k1)) instead of 1 + log tf; 0 or absent: log. */
  saturation?: number;
}

/**
 * The default dense embedder, needing no downloaded weights: latent semantic analysis. Chunks become log-TF x IDF
 * vectors over stemmed terms; a truncated SVD of that matrix gives a term space where words that occur in the same
 * contexts ("affinity", "nodeSelector", "schedule onto") lie close, so a question can match a passage that uses other
 * words. It is fitted on the ingested collection, which is also why it generalises to unseen questions about that
 * collection: nothing in it was tuned on questions.
 */
export class LsaEmbedder implements CorpusFittedEmbedder {
  private vocabulary = new Map<string, number>();
  private idf: Float32Array = new Float32Array(0);
  /** vocabulary x dims, row-major. */
  private projection: Float32Array = new Float32Array(0);
  private dims = 0;
  /** dims x dims, row-major: query vector (row) x alignment = its estimate of the passage vector; empty when off. */
  private alignment: Float32Array = new Float32Array(0);

  constructor(private readonly options: LsaOptions) {}

  get id(): string {
    return `lsa:${this.options.dimensions}:${this.options.minDocFreq}:${this.options.seed}`;
  }

  get dimensions(): number {
    return this.dims || this.options.dimensions;
  }

  get fitted(): boolean {
    return this.dims > 0;
  }

  async fit(texts: string[]): Promise<void> {
    const tokenized = texts.map((t) => tokenize(t));
    const df = new Map<string, number>();
    for (const tokens of tokenized) for (const t of new Set(tokens)) df.set(t, (df.get(t) ?? 0) + 1);
    const n = texts.length;
    // In a large collection, terms in more than half the chunks carry no topic and terms rarer than minDocFreq are
    // mostly noise. A small collection (a few runbooks) keeps every term: there, a word seen once is what tells
    // its page apart, and the latent space is nearly the full TF-IDF space anyway.
    const large = n >= SMALL_COLLECTION;
    const kept = [...df.entries()]
      .filter(([, f]) => !large || (f >= this.options.minDocFreq && f <= n * 0.5))
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, this.options.maxVocabulary);
    this.vocabulary = new Map(kept.map(([term], i) => [term, i]));
    this.idf = Float32Array.from(kept.map(([, f]) => Math.log((n + 1) / (f + 0.5))));
    const units = this.options.fitOnSections ? sections(texts, tokenized) : tokenized;
    const matrix: SparseColumns = { rows: kept.length, columns: units.map((tokens) => this.weigh(tokens)) };
    const k = Math.min(this.options.dimensions, kept.length, n);
    if (k < 1) {
      // Nothing to learn from (no text): a one-dimensional zero space, so dense search returns no preference.
      this.projection = new Float32Array(kept.length);
      this.dims = 1;
      return;
    }
    const { u, k: got, singularValues } = randomizedSvd(matrix, k, { seed: this.options.seed, oversample: 16, powerIterations: 1 });
    this.projection = u;
    this.dims = got;
    this.alignment = new Float32Array(0);
    const power = this.options.sigmaPower ?? 0;
    if (power !== 0) scaleColumns(u, got, singularValues, power);
    const ridge = this.options.queryAlignment ?? 0;
    if (ridge > 0) this.alignment = this.learnAlignment(texts, ridge);
  }

  /**
   * A linear map from the embedding of a heading path (page title and section headings, the collection's own short
   * "questions") to the embedding of the passage under it, by ridge regression shrunk towards the identity:
   * W = (Q^T Q + r n I)^-1 (Q^T D + r n I). Queries are short like headings, so mapping them this way moves them
   * towards the passages that answer them. Nothing outside the collection is used.
   */
  private learnAlignment(texts: string[], ridge: number): Float32Array {
    const k = this.dims;
    const qtq = new Float64Array(k * k);
    const qtd = new Float64Array(k * k);
    let n = 0;
    for (const text of texts) {
      const [title = '', section = ''] = text.split('\n', 2);
      const q = this.embedRaw(`${title}\n${section}`);
      if (!q) continue;
      const d = this.embedRaw(text)!;
      n++;
      for (let a = 0; a < k; a++) {
        const qa = q[a]!;
        if (qa === 0) continue;
        const o = a * k;
        for (let b = 0; b < k; b++) {
          qtq[o + b]! += qa * q[b]!;
          qtd[o + b]! += qa * d[b]!;
        }
      }
    }
    if (n === 0) return new Float32Array(0);
    for (let a = 0; a < k; a++) {
      qtq[a * k + a]! += ridge * n;
      qtd[a * k + a]! += ridge * n;
    }
    return Float32Array.from(solveSymmetric(qtq, qtd, k));
  }

  async embedDocuments(texts: string[]): Promise<Float32Array[]> {
    return texts.map((t) => this.embed(t));
  }

  async embedQuery(text: string): Promise<Float32Array> {
    const v = this.embed(text);
    if (this.alignment.length === 0) return v;
    const k = this.dims;
    const out = new Float32Array(k);
    for (let a = 0; a < k; a++) {
      const x = v[a]!;
      if (x === 0) continue;
      for (let b = 0; b < k; b++) out[b]! += x * this.alignment[a * k + b]!;
    }
    return normalize(out);
  }

  serialize(): Buffer {
    const header = Buffer.from(JSON.stringify({ options: this.options, dims: this.dims, terms: [...this.vocabulary.keys()] }));
    const len = Buffer.alloc(4);
    len.writeUInt32LE(header.length);
    return Buffer.concat([
      len,
      header,
      Buffer.from(this.idf.buffer, this.idf.byteOffset, this.idf.byteLength),
      Buffer.from(this.projection.buffer, this.projection.byteOffset, this.projection.byteLength),
      Buffer.from(this.alignment.buffer, this.alignment.byteOffset, this.alignment.byteLength),
    ]);
  }

  async restore(state: Buffer): Promise<void> {
    const loaded = LsaEmbedder.deserialize(state);
    this.vocabulary = loaded.vocabulary;
    this.idf = loaded.idf;
    this.projection = loaded.projection;
    this.alignment = loaded.alignment;
    this.dims = loaded.dims;
  }

  static deserialize(buffer: Buffer): LsaEmbedder {
    try {
      const len = buffer.readUInt32LE(0);
      const header = JSON.parse(buffer.subarray(4, 4 + len).toString('utf8')) as {
        options: LsaOptions;
        dims: number;
        terms: string[];
      };
      const embedder = new LsaEmbedder(header.options);
      const body = buffer.subarray(4 + len);
      // Copy into aligned memory: a Buffer slice may start at an offset Float32Array cannot view.
      const floats = new Float32Array(body.length / 4);
      new Uint8Array(floats.buffer).set(body);
      embedder.vocabulary = new Map(header.terms.map((t, i) => [t, i]));
      embedder.idf = floats.slice(0, header.terms.length);
      const projectionEnd = header.terms.length * (1 + header.dims);
      embedder.projection = floats.slice(header.terms.length, projectionEnd);
      embedder.alignment = floats.slice(projectionEnd);
      embedder.dims = header.dims;
      const aligned = (header.options.queryAlignment ?? 0) > 0 && embedder.alignment.length > 0;
      if (embedder.projection.length !== header.terms.length * header.dims) throw new Error('size mismatch');
      if (embedder.alignment.length !== (aligned ? header.dims * header.dims : 0)) throw new Error('size mismatch');
      return embedder;
    } catch (error) {
      throw new EngineError('INTERNAL', 'stored LSA model is corrupt; re-ingest to rebuild it', { cause: error });
    }
  }

  private weigh(tokens: string[]): { ids: Int32Array; weights: Float32Array } {
    const counts = new Map<number, number>();
    for (const t of tokens) {
      const id = this.vocabulary.get(t);
      if (id !== undefined) counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    const ids = Int32Array.from(counts.keys());
    const weights = new Float32Array(ids.length);
    let norm = 0;
    ids.forEach((id, i) => {
      const tf = counts.get(id)!;
      const k1 = this.options.saturation ?? 0;
      const w = (k1 > 0 ? (tf * (k1 + 1)) / (tf + k1) : 1 + Math.log(tf)) * this.idf[id]!;
      weights[i] = w;
      norm += w * w;
    });
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < weights.length; i++) weights[i]! /= norm;
    return { ids, weights };
  }

  private embed(text: string): Float32Array {
    if (!this.fitted) throw new EngineError('INTERNAL', 'LSA embedder used before it was fitted on a collection');
    return this.embedRaw(text) ?? new Float32Array(this.dims);
  }

  /** The normalised latent vector of a text; undefined when none of its terms is in the vocabulary. */
  private embedRaw(text: string): Float32Array | undefined {
    const { ids, weights } = this.weigh(tokenize(text));
    if (ids.length === 0) return undefined;
    const out = new Float32Array(this.dims);
    for (let p = 0; p < ids.length; p++) {
      const base = ids[p]! * this.dims;
      const w = weights[p]!;
      for (let c = 0; c < this.dims; c++) out[c]! += w * this.projection[base + c]!;
    }
    return normalize(out);
  }
}

/** Multiplies column c of a rows x k row-major matrix by (sigma_c / sigma_1)^power. */
function scaleColumns(m: Float32Array, k: number, sigma: ArrayLike<number>, power: number): void {
  const top = sigma[0]! || 1;
  const scale = Array.from({ length: k }, (_, c) => Math.pow(Math.max(sigma[c]!, 1e-12) / top, power));
  for (let o = 0; o < m.length; o += k) for (let c = 0; c < k; c++) m[o + c]! *= scale[c]!;
}

/** X with A X = B for a symmetric positive definite k x k A (Cholesky); B is k x k, both row-major. */
export function solveSymmetric(a: Float64Array, b: Float64Array, k: number): Float64Array {
  const l = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * k + j]!;
      for (let p = 0; p < j; p++) s -= l[i * k + p]! * l[j * k + p]!;
      l[i * k + j] = i === j ? Math.sqrt(Math.max(s, 1e-12)) : s / l[j * k + j]!;
    }
  }
  const x = new Float64Array(k * k);
  const y = new Float64Array(k);
  for (let col = 0; col < k; col++) {
    for (let i = 0; i < k; i++) {
      let s = b[i * k + col]!;
      for (let p = 0; p < i; p++) s -= l[i * k + p]! * y[p]!;
      y[i] = s / l[i * k + i]!;
    }
    for (let i = k - 1; i >= 0; i--) {
      let s = y[i]!;
      for (let p = i + 1; p < k; p++) s -= l[p * k + i]! * x[p * k + col]!;
      x[i * k + col] = s / l[i * k + i]!;
    }
  }
  return x;
}

/** Tokens of consecutive texts sharing their first two lines (page title and heading path) joined into one. */
function sections(texts: string[], tokenized: string[][]): string[][] {
  const out: string[][] = [];
  let key = '';
  texts.forEach((text, i) => {
    const [title = '', section = ''] = text.split('\n', 2);
    const k = `${title}\n${section}`;
    if (k === key && out.length) out[out.length - 1]!.push(...tokenized[i]!);
    else out.push([...tokenized[i]!]);
    key = k;
  });
  return out;
}
