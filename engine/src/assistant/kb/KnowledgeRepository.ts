import { EngineError } from '../../errors.js';
import type { Store } from '../../store/Store.js';
import type { Chunk } from './Chunk.js';

/** What a source contributed, so re-ingest can tell unchanged, changed and removed files apart. */
export interface SourceState {
  name: string;
  root: string;
  baseUrl?: string;
  /** File path → content hash. */
  files: Record<string, string>;
  ingestedAt: string;
}

export interface KnowledgeSnapshot {
  version: number;
  embedderId: string;
  dims: number;
  chunks: Chunk[];
  /** chunks.length x dims. */
  vectors: Float32Array;
  sources: Record<string, SourceState>;
  /** Corpus-fitted embedder state (LSA), if any. */
  embedderState?: Buffer;
  /** Serialised ANN graph, if the index is HNSW. */
  ann?: Buffer;
}

interface Meta {
  version: number;
  embedderId: string;
  dims: number;
  chunkCount: number;
  sources: Record<string, SourceState>;
  hasEmbedderState: boolean;
  hasAnn: boolean;
}

const KEYS = {
  meta: 'assistant:kb:meta',
  chunks: 'assistant:kb:chunks',
  vectors: 'assistant:kb:vectors',
  embedder: 'assistant:kb:embedder',
  ann: 'assistant:kb:ann',
  version: 'assistant:kb:version',
} as const;

/**
 * The knowledge base in the shared store: chunks, vectors, the fitted embedder and the ANN graph as a few blobs
 * written in one atomic batch, plus a version number replicas poll to notice that another replica re-ingested.
 * Blobs rather than one key per chunk: a 100,000-chunk load is then a handful of round trips.
 */
export class KnowledgeRepository {
  constructor(private readonly store: Store) {}

  async version(): Promise<number> {
    const raw = await this.store.get(KEYS.version);
    return raw ? Number(raw) : 0;
  }

  async save(snapshot: Omit<KnowledgeSnapshot, 'version'>): Promise<number> {
    const version = (await this.version()) + 1;
    const meta: Meta = {
      version,
      embedderId: snapshot.embedderId,
      dims: snapshot.dims,
      chunkCount: snapshot.chunks.length,
      sources: snapshot.sources,
      hasEmbedderState: Boolean(snapshot.embedderState),
      hasAnn: Boolean(snapshot.ann),
    };
    const v = snapshot.vectors;
    await this.store.batch([
      { op: 'setBuffer', key: KEYS.chunks, value: Buffer.from(JSON.stringify(snapshot.chunks)) },
      { op: 'setBuffer', key: KEYS.vectors, value: Buffer.from(v.buffer, v.byteOffset, v.byteLength) },
      snapshot.embedderState
        ? { op: 'setBuffer', key: KEYS.embedder, value: snapshot.embedderState }
        : { op: 'del', key: KEYS.embedder },
      snapshot.ann ? { op: 'setBuffer', key: KEYS.ann, value: snapshot.ann } : { op: 'del', key: KEYS.ann },
      { op: 'set', key: KEYS.meta, value: JSON.stringify(meta) },
      { op: 'set', key: KEYS.version, value: String(version) },
    ]);
    return version;
  }

  async load(): Promise<KnowledgeSnapshot | undefined> {
    const rawMeta = await this.store.get(KEYS.meta);
    if (!rawMeta) return undefined;
    const meta = JSON.parse(rawMeta) as Meta;
    const [chunks, vectors, embedderState, ann] = await Promise.all([
      this.store.getBuffer(KEYS.chunks),
      this.store.getBuffer(KEYS.vectors),
      meta.hasEmbedderState ? this.store.getBuffer(KEYS.embedder) : Promise.resolve(null),
      meta.hasAnn ? this.store.getBuffer(KEYS.ann) : Promise.resolve(null),
    ]);
    if (!chunks || !vectors) throw new EngineError('INTERNAL', 'knowledge base in the store is incomplete; re-ingest');
    const floats = new Float32Array(vectors.length / 4);
    new Uint8Array(floats.buffer).set(vectors);
    const parsed = JSON.parse(chunks.toString('utf8')) as Chunk[];
    if (floats.length !== parsed.length * meta.dims) {
      throw new EngineError('INTERNAL', 'knowledge base vectors do not match its chunks; re-ingest');
    }
    return {
      version: meta.version,
      embedderId: meta.embedderId,
      dims: meta.dims,
      chunks: parsed,
      vectors: floats,
      sources: meta.sources,
      ...(embedderState ? { embedderState } : {}),
      ...(ann ? { ann } : {}),
    };
  }
}
