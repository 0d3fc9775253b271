/**
 * Turns text into vectors for the dense half of retrieval. Implementations: LsaEmbedder (no weights, fitted on the
 * corpus), OpenAIEmbedder (any OpenAI-compatible embeddings API), OnnxEmbedder (a local model folder). Retrieval
 * never knows which one it has.
 */
export interface Embedder {
  /** Identifies the model and its settings; vectors from another id are never mixed into the same index. */
  readonly id: string;
  readonly dimensions: number;
  /** Vectors are L2-normalised, so inner product is cosine similarity. */
  embedDocuments(texts: string[]): Promise<Float32Array[]>;
  embedQuery(text: string): Promise<Float32Array>;
}

/** An embedder that learns from the collection itself; refitted when the collection changes and persisted with it. */
export interface CorpusFittedEmbedder extends Embedder {
  readonly fitted: boolean;
  fit(texts: string[]): Promise<void>;
  serialize(): Buffer;
  /** Restores what serialize() wrote (a replica loading the shared knowledge base). */
  restore(state: Buffer): Promise<void>;
}

export const isCorpusFitted = (e: Embedder): e is CorpusFittedEmbedder =>
  typeof (e as Partial<CorpusFittedEmbedder>).fit === 'function';

export function normalize(v: Float32Array): Float32Array {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  const n = Math.sqrt(s);
  if (n > 0) for (let i = 0; i < v.length; i++) v[i]! /= n;
  return v;
}
