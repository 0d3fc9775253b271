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
    const matrix: SparseColumns = { rows: kept.length, columns: tokenized.map((tokens) => this.weigh(tokens)) };
    const k = Math.min(this.options.dimensions, kept.length, n);
    if (k < 1) {
      // Nothing to learn from (no text): a one-dimensional zero space, so dense search returns no preference.
      this.projection = new Float32Array(kept.length);
      this.dims = 1;
      return;
    }
    const { u, k: got } = randomizedSvd(matrix, k, { seed: this.options.seed, oversample: 16, powerIterations: 1 });
    this.projection = u;
    this.dims = got;
  }

  async embedDocuments(texts: string[]): Promise<Float32Array[]> {
    return texts.map((t) => this.embed(t));
  }

  async embedQuery(text: string): Promise<Float32Array> {
    return this.embed(text);
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
    ]);
  }

  async restore(state: Buffer): Promise<void> {
    const loaded = LsaEmbedder.deserialize(state);
    this.vocabulary = loaded.vocabulary;
    this.idf = loaded.idf;
    this.projection = loaded.projection;
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
      embedder.projection = floats.slice(header.terms.length);
      embedder.dims = header.dims;
      if (embedder.projection.length !== header.terms.length * header.dims) throw new Error('size mismatch');
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
      const w = (1 + Math.log(counts.get(id)!)) * this.idf[id]!;
      weights[i] = w;
      norm += w * w;
    });
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < weights.length; i++) weights[i]! /= norm;
    return { ids, weights };
  }

  private embed(text: string): Float32Array {
    if (!this.fitted) throw new EngineError('INTERNAL', 'LSA embedder used before it was fitted on a collection');
    const { ids, weights } = this.weigh(tokenize(text));
    const out = new Float32Array(this.dims);
    for (let p = 0; p < ids.length; p++) {
      const base = ids[p]! * this.dims;
      const w = weights[p]!;
      for (let c = 0; c < this.dims; c++) out[c]! += w * this.projection[base + c]!;
    }
    return normalize(out);
  }
}
