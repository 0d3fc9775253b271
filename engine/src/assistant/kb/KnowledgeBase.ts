import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { EngineError } from '../../errors.js';
import type { Store } from '../../store/Store.js';
import type { AssistantConfig } from '../config.js';
import { isCorpusFitted, type Embedder } from '../embedders/Embedder.js';
import { KnowledgeIndex, type SearchHit, type SearchOptions } from '../retrieval/KnowledgeIndex.js';
import { HnswVectorIndex } from '../retrieval/HnswVectorIndex.js';
import { indexedText, type Chunk } from './Chunk.js';
import { IngestRoots } from './IngestRoots.js';
import { KnowledgeRepository, type SourceState } from './KnowledgeRepository.js';
import { readSourceFolder, resolveSource, type FileError, type SourceFolder } from './readSourceFolder.js';

export interface IngestReport {
  source: string;
  root: string;
  added: number;
  updated: number;
  unchanged: number;
  removed: number;
  /** Chunks contributed by this source after the ingest. */
  chunks: number;
  totalChunks: number;
  errors: FileError[];
  seconds: number;
}

/** What removing a source took out of the knowledge base. */
export interface RemovedSource {
  name: string;
  root: string;
  files: number;
  /** Chunks removed. */
  chunks: number;
  /** Chunks left in the knowledge base. */
  totalChunks: number;
}

export interface KnowledgeStats {
  chunks: number;
  pages: number;
  sources: Array<{ name: string; root: string; files: number; ingestedAt: string }>;
  embedder: string;
  vectorIndex: 'exact' | 'hnsw';
  version: number;
}

export interface KnowledgeBaseOptions {
  config: AssistantConfig;
  embedder: Embedder;
  /** Where the knowledge base persists; absent means in-process only (benchmarks). */
  store?: Store;
  logger?: Logger;
  /** Milliseconds between checks of the store for a newer version written by another replica. */
  refreshIntervalMs?: number;
  /** With a memory store: folder that keeps a file snapshot (see KnowledgeRepository). */
  snapshotDir?: string;
  /** How long an ingest waits for another replica's ingest to finish. */
  lockWaitMs?: number;
}

export interface IngestOptions {
  /**
   * Folders the source must lie in. Reads on a user's behalf (HTTP, configured sources) pass `ingestRoots`; a caller
   * acting as the host user (the CLI) passes none and the named folder is its own root. Either way nothing outside the
   * named folder is read (links and includes included).
   */
  roots?: IngestRoots;
}

const LOCK_KEY = 'assistant:kb:lock';
const textHash = (text: string) => createHash('sha1').update(text).digest('hex');

/**
 * The assistant's knowledge: ingest (incremental by content hash, removals honoured), persistence through the store so
 * every replica serves the same knowledge, and hybrid search. Writes are serialised in this process; a replica notices
 * another's write by the stored version number.
 */
export class KnowledgeBase {
  private chunks: Chunk[] = [];
  private vectors: Float32Array = new Float32Array(0);
  private dims = 0;
  private sources: Record<string, SourceState> = {};
  private version = 0;
  private index: KnowledgeIndex | undefined;
  private readonly repository: KnowledgeRepository | undefined;
  private lastRefresh = 0;
  private queue: Promise<unknown> = Promise.resolve();
  /** The configured allow-list: the shipped runbooks, `assistant.ingest.roots` and `assistant.sources`. */
  readonly ingestRoots: IngestRoots;

  constructor(private readonly options: KnowledgeBaseOptions) {
    this.repository = options.store ? new KnowledgeRepository(options.store, options.snapshotDir) : undefined;
    this.ingestRoots = IngestRoots.fromConfig(options.config);
  }

  get embedder(): Embedder {
    return this.options.embedder;
  }

  /** Loads the persisted knowledge base; false when the store holds none (or one made by another embedder). */
  async load(): Promise<boolean> {
    if (!this.repository) return false;
    const snapshot = await this.repository.load();
    this.lastRefresh = Date.now();
    if (!snapshot) return false;
    if (snapshot.embedderId !== this.options.embedder.id) {
      this.options.logger?.warn(
        { stored: snapshot.embedderId, configured: this.options.embedder.id },
        'stored knowledge base was built with another embedder; re-ingest to use it',
      );
      return false;
    }
    if (isCorpusFitted(this.options.embedder)) {
      if (!snapshot.embedderState)
        throw new EngineError('INTERNAL', 'stored knowledge base lacks its embedder model');
      await this.options.embedder.restore(snapshot.embedderState);
    }
    const ann =
      snapshot.ann && snapshot.chunks.length > 0
        ? HnswVectorIndex.deserialize(snapshot.ann, snapshot.dims, this.hnswParams(), snapshot.vectors)
        : undefined;
    this.apply(snapshot.chunks, snapshot.vectors, snapshot.dims, snapshot.sources, snapshot.version, ann);
    return true;
  }

  /** Reloads when another replica has written a newer version (checked at most every refreshIntervalMs). */
  async refresh(force = false): Promise<void> {
    if (!this.repository) return;
    const interval = this.options.refreshIntervalMs ?? 2000;
    if (!force && Date.now() - this.lastRefresh < interval) return;
    this.lastRefresh = Date.now();
    const stored = await this.repository.version();
    if (stored > this.version) await this.load();
  }

  async search(query: string, k: number, options: SearchOptions = {}): Promise<SearchHit[]> {
    await this.refresh();
    return this.index ? this.index.search(query, k, options) : [];
  }

  lexical(query: string, k: number, options: SearchOptions = {}): SearchHit[] {
    return this.index ? this.index.lexical(query, k, options) : [];
  }

  /** The credit a source asks for, shown with its citations. */
  attributionOf(source: string): string | undefined {
    return this.sources[source]?.attribution;
  }

  /** All chunks in index order (benchmarks build baselines over exactly the same chunks). */
  allChunks(): readonly Chunk[] {
    return this.chunks;
  }

  /** Chunks of one page in order (e.g. a whole runbook). */
  pageChunks(path: string): Chunk[] {
    return this.chunks.filter((c) => c.path === path);
  }

  termCoverage(query: string, chunk: Chunk | string): number {
    return this.index ? this.index.termCoverage(query, chunk) : 0;
  }

  stats(): KnowledgeStats {
    return {
      chunks: this.chunks.length,
      pages: this.index?.pageCount ?? 0,
      sources: Object.values(this.sources).map((s) => ({
        name: s.name,
        root: s.root,
        files: Object.keys(s.files).length,
        ingestedAt: s.ingestedAt,
      })),
      embedder: this.options.embedder.id,
      vectorIndex: this.index?.vectorIndex.kind ?? 'exact',
      version: this.version,
    };
  }

  /** Ingests (or re-ingests) a folder; serialised with other writes of this process and, through a store lock, of
   * other replicas (each rebuilds from the latest stored version, so no replica's ingest is lost). */
  ingest(
    folder: SourceFolder,
    progress?: (fraction: number, message: string) => void,
    options: IngestOptions = {},
  ): Promise<IngestReport> {
    const run = this.queue.then(() => this.withLock(() => this.ingestNow(folder, progress, options)));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async withLock<T>(work: () => Promise<T>): Promise<T> {
    const store = this.options.store;
    if (!store || store.kind === 'memory') return work();
    const token = createHash('sha1').update(`${process.pid}:${Math.random()}`).digest('hex');
    const deadline = Date.now() + (this.options.lockWaitMs ?? 120_000);
    while (!(await store.setIfAbsent(LOCK_KEY, token, { ttlSeconds: 900 }))) {
      if (Date.now() > deadline) {
        throw new EngineError(
          'CONFLICT',
          'another engine replica is ingesting into the knowledge base; try again later',
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    try {
      return await work();
    } finally {
      if ((await store.get(LOCK_KEY)) === token) await store.del(LOCK_KEY);
    }
  }

  /**
   * Drops everything a source contributed, from the store (memory and its file snapshot, or Redis) and from the search
   * indexes (rebuilt without its chunks). Runs after the ingests already queued in this process and under the store
   * lock, from the latest stored version: an ingest of the same source that started first finishes, then is removed;
   * one started after re-adds it. The saved version is how other replicas learn of it (they reload on their next
   * refresh), as they learn of an ingest. `check` sees the stored source first and may refuse by throwing; an unknown
   * name is NOT_FOUND, with nothing written.
   */
  removeSource(name: string, check?: (source: SourceState) => void): Promise<RemovedSource> {
    const run = this.queue.then(() =>
      this.withLock(async () => {
        await this.refresh(true);
        const source = this.sources[name];
        if (!source) {
          // The names it has, as an unknown RCA service lists the known ones: `no source named "x"` left the
          // user to find them in GET /assistant/status.
          const known = Object.keys(this.sources).sort().join(', ') || 'none';
          throw new EngineError('NOT_FOUND', `knowledge-base source "${name}" not found`, {
            issues: [{ field: 'params.name', message: `unknown; known: ${known}` }],
          });
        }
        check?.(source);
        const before = this.chunks.length;
        const keep = this.chunks.filter((c) => c.source !== name);
        const sources = { ...this.sources };
        delete sources[name];
        await this.rebuild(keep, sources, this.reusableVectors());
        const removed: RemovedSource = {
          name,
          root: source.root,
          files: Object.keys(source.files).length,
          chunks: before - keep.length,
          totalChunks: keep.length,
        };
        this.options.logger?.info(removed, 'knowledge base: source removed');
        return removed;
      }),
    );
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async ingestNow(
    folder: SourceFolder,
    progress?: (fraction: number, message: string) => void,
    options: IngestOptions = {},
  ): Promise<IngestReport> {
    const started = performance.now();
    // Before anything touches the path, so a refused path is not even tested for existence.
    options.roots?.check(folder.path, 'path');
    await this.refresh(true);
    const { config } = this.options;
    progress?.(0.02, `reading ${folder.path}`);
    // The source's identity is its name (default: resolved root), so re-ingesting the same folder replaces it. A folder
    // already known under a name (the shipped runbooks are `runbooks`) keeps it: ingesting `runbooks/` by path stored
    // every runbook twice.
    const { root } = resolveSource(folder);
    const sameRoot = folder.name ? undefined : Object.values(this.sources).find((s) => s.root === root);
    if (sameRoot) folder = { ...folder, name: sameRoot.name };
    const { name } = resolveSource(folder);
    const known = new Map(Object.entries(this.sources[name]?.files ?? {}));
    const read = readSourceFolder(folder, config.ingest, config.chunking, known, options.roots);
    const previous = this.sources[read.source];
    const previousFiles = previous?.files ?? {};
    const unchanged = new Set(read.unchanged);
    const kept = this.chunks.filter((c) => c.source !== read.source || unchanged.has(c.path));
    const fresh = read.files.flatMap((f) => f.chunks);
    const files: Record<string, string> = {};
    for (const path of read.unchanged) files[path] = previousFiles[path]!;
    for (const f of read.files) files[f.path] = f.hash;
    const added = read.files.filter((f) => !(f.path in previousFiles)).length;
    const updated = read.files.length - added;
    const removed = Object.keys(previousFiles).filter((p) => !(p in files)).length;
    const sources: Record<string, SourceState> = {
      ...this.sources,
      [read.source]: {
        name: read.source,
        root: read.root,
        ...(folder.baseUrl ? { baseUrl: folder.baseUrl } : {}),
        ...(folder.attribution ? { attribution: folder.attribution } : {}),
        files,
        ingestedAt: new Date().toISOString(),
      },
    };
    const changed = read.files.length > 0 || removed > 0 || !previous;
    if (changed) {
      progress?.(0.3, `embedding ${kept.length + fresh.length} chunks`);
      await this.rebuild([...kept, ...fresh], sources, this.reusableVectors(), progress);
    } else {
      this.sources = sources;
    }
    const report: IngestReport = {
      source: read.source,
      root: read.root,
      added,
      updated,
      unchanged: read.unchanged.length,
      removed,
      chunks: this.chunks.filter((c) => c.source === read.source).length,
      totalChunks: this.chunks.length,
      errors: read.errors,
      seconds: (performance.now() - started) / 1000,
    };
    this.options.logger?.info({ ...report, errors: report.errors.length }, 'knowledge base ingest');
    return report;
  }

  private reusableVectors(): Map<string, Float32Array> {
    const reuse = new Map<string, Float32Array>();
    // A corpus-fitted embedder is refitted on every change, so none of its old vectors stay valid.
    if (isCorpusFitted(this.options.embedder)) return reuse;
    this.chunks.forEach((c, i) =>
      reuse.set(textHash(indexedText(c)), this.vectors.subarray(i * this.dims, (i + 1) * this.dims)),
    );
    return reuse;
  }

  private async rebuild(
    chunks: Chunk[],
    sources: Record<string, SourceState>,
    reuse: Map<string, Float32Array>,
    progress?: (fraction: number, message: string) => void,
  ): Promise<void> {
    const embedder = this.options.embedder;
    const texts = chunks.map(indexedText);
    if (isCorpusFitted(embedder) && texts.length > 0) {
      progress?.(0.35, `fitting ${embedder.id} on ${texts.length} chunks`);
      await embedder.fit(texts);
    }
    const vectors: Array<Float32Array | undefined> = texts.map((t) => reuse.get(textHash(t)));
    const missing = vectors.flatMap((v, i) => (v ? [] : [i]));
    const batch = 256;
    for (let start = 0; start < missing.length; start += batch) {
      const ids = missing.slice(start, start + batch);
      const embedded = await embedder.embedDocuments(ids.map((i) => texts[i]!));
      ids.forEach((i, j) => (vectors[i] = embedded[j]));
      progress?.(
        0.4 + (0.4 * (start + ids.length)) / missing.length,
        `embedded ${start + ids.length}/${missing.length}`,
      );
    }
    const dims = embedder.dimensions;
    const flat = new Float32Array(chunks.length * dims);
    vectors.forEach((v, i) => {
      if (!v || v.length !== dims)
        throw new EngineError('UPSTREAM_ERROR', `embedder returned a vector of the wrong size`);
      flat.set(v, i * dims);
    });
    progress?.(0.85, 'indexing');
    const index = new KnowledgeIndex(chunks, flat, dims, embedder, this.options.config.retrieval);
    let version = this.version + 1;
    if (this.repository) {
      progress?.(0.92, 'saving to the store');
      version = await this.repository.save({
        embedderId: embedder.id,
        dims,
        chunks,
        vectors: flat,
        sources,
        ...(isCorpusFitted(embedder) && embedder.fitted ? { embedderState: embedder.serialize() } : {}),
        ...(index.vectorIndex.kind === 'hnsw' ? { ann: index.vectorIndex.serialize() } : {}),
      });
    }
    this.chunks = chunks;
    this.vectors = flat;
    this.dims = dims;
    this.sources = sources;
    this.version = version;
    this.index = index;
  }

  private hnswParams() {
    const r = this.options.config.retrieval;
    return {
      connectivity: r.hnswConnectivity,
      expansionAdd: r.hnswExpansionAdd,
      expansionSearch: r.hnswExpansionSearch,
    };
  }

  private apply(
    chunks: Chunk[],
    vectors: Float32Array,
    dims: number,
    sources: Record<string, SourceState>,
    version: number,
    ann?: HnswVectorIndex,
  ): void {
    this.chunks = chunks;
    this.vectors = vectors;
    this.dims = dims;
    this.sources = sources;
    this.version = version;
    this.index = new KnowledgeIndex(
      chunks,
      vectors,
      dims,
      this.options.embedder,
      this.options.config.retrieval,
      ann,
    );
  }
}
