import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EngineError } from '../../errors.js';
import type { Store } from '../../store/Store.js';
import type { Chunk } from './Chunk.js';

/** What a source contributed, so re-ingest can tell unchanged, changed and removed files apart. */
export interface SourceState {
  name: string;
  root: string;
  baseUrl?: string;
  attribution?: string;
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
  /**
   * @param snapshotDir with a memory store, a folder the blobs are also written to, so one-shot CLI runs (`ingest`,
   *   then `ask`) and restarts of a demo engine keep their knowledge. Redis needs none: it is the shared copy.
   */
  constructor(
    private readonly store: Store,
    private readonly snapshotDir?: string,
  ) {}

  /**
   * The newest version written by anyone sharing this knowledge base. With a snapshot folder that includes the
   * folder's: a one-shot CLI run (`kb remove`, `ingest`) on the same `dataDir` writes only the folder, and a running
   * memory-store engine would otherwise keep its copy and put the source back at its next write.
   */
  async version(): Promise<number> {
    return Math.max(await this.storedVersion(), this.snapshotVersion());
  }

  private async storedVersion(): Promise<number> {
    const raw = await this.store.get(KEYS.version);
    return raw ? Number(raw) : 0;
  }

  /** The folder's version from its small meta file (read every refresh, ~2 s, so only it, not the blobs). */
  private snapshotVersion(): number {
    if (!this.snapshotDir) return 0;
    try {
      const meta = JSON.parse(readFileSync(join(this.snapshotDir, 'meta.json'), 'utf8')) as Partial<Meta>;
      return typeof meta.version === 'number' ? meta.version : 0;
    } catch {
      // Absent, or caught between the folder swap's two renames: nothing newer to read this time.
      return 0;
    }
  }

  private writeSnapshot(files: Record<string, Buffer | undefined>): void {
    if (!this.snapshotDir) return;
    const tmp = `${this.snapshotDir}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    for (const [name, data] of Object.entries(files)) if (data) writeFileSync(join(tmp, name), data);
    // Swap the whole folder so a reader never sees half a snapshot.
    const old = `${this.snapshotDir}.old-${process.pid}`;
    if (existsSync(this.snapshotDir)) renameSync(this.snapshotDir, old);
    renameSync(tmp, this.snapshotDir);
    rmSync(old, { recursive: true, force: true });
  }

  private readSnapshot(): Record<string, Buffer | null> | undefined {
    if (!this.snapshotDir || !existsSync(join(this.snapshotDir, 'meta.json'))) return undefined;
    const read = (name: string) =>
      existsSync(join(this.snapshotDir!, name)) ? readFileSync(join(this.snapshotDir!, name)) : null;
    return {
      meta: read('meta.json'),
      chunks: read('chunks.json'),
      vectors: read('vectors.bin'),
      embedder: read('embedder.bin'),
      ann: read('ann.bin'),
    };
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
    this.writeSnapshot({
      'meta.json': Buffer.from(JSON.stringify(meta)),
      'chunks.json': Buffer.from(JSON.stringify(snapshot.chunks)),
      'vectors.bin': Buffer.from(v.buffer, v.byteOffset, v.byteLength),
      'embedder.bin': snapshot.embedderState,
      'ann.bin': snapshot.ann,
    });
    return version;
  }

  async load(): Promise<KnowledgeSnapshot | undefined> {
    // The store's copy unless the snapshot folder holds a newer version (another process wrote it).
    const rawMeta =
      (await this.storedVersion()) >= this.snapshotVersion() ? await this.store.get(KEYS.meta) : null;
    let meta: Meta;
    let chunks: Buffer | null;
    let vectors: Buffer | null;
    let embedderState: Buffer | null;
    let ann: Buffer | null;
    if (rawMeta) {
      meta = JSON.parse(rawMeta) as Meta;
      [chunks, vectors, embedderState, ann] = await Promise.all([
        this.store.getBuffer(KEYS.chunks),
        this.store.getBuffer(KEYS.vectors),
        meta.hasEmbedderState ? this.store.getBuffer(KEYS.embedder) : Promise.resolve(null),
        meta.hasAnn ? this.store.getBuffer(KEYS.ann) : Promise.resolve(null),
      ]);
    } else {
      const files = this.readSnapshot();
      if (!files?.meta) return undefined;
      meta = JSON.parse(files.meta.toString('utf8')) as Meta;
      ({ chunks, vectors } = files as { chunks: Buffer | null; vectors: Buffer | null });
      embedderState = files.embedder ?? null;
      ann = files.ann ?? null;
    }
    if (!chunks || !vectors)
      throw new EngineError('INTERNAL', 'knowledge base in the store is incomplete; re-ingest');
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
