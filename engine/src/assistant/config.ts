import { z } from 'zod';
import { pageBaseUrlSchema } from './schemas.js';

/**
 * Settings of the assistant capability; every field has a documented default so an empty section is valid.
 * Defaults were fixed once for general documentation corpora (not tuned per question) and are the values the
 * rag-retrieval benchmark reports.
 */

export const chunkingConfigSchema = z
  .object({
    /** Upper bound of a chunk's body in characters (~250 tokens): small enough to cite, large enough to answer. */
    maxChars: z.coerce.number().int().min(200).default(1200),
    /** Characters of the previous chunk repeated at the start of the next one inside a section, so a sentence cut at
     * a boundary is still findable. */
    overlapChars: z.coerce.number().int().min(0).default(200),
    /** Sections shorter than this are merged into the next chunk of the same page rather than indexed alone. */
    minChars: z.coerce.number().int().min(0).default(150),
  })
  .default({ maxChars: 1200, overlapChars: 200, minChars: 150 });

export const ingestConfigSchema = z
  .object({
    /** Files larger than this are rejected with a per-file error (generated dumps, logs). */
    maxFileBytes: z.coerce.number().int().positive().default(2_000_000),
    /** File extensions read as documents. */
    extensions: z.array(z.string()).default(['.md', '.markdown', '.mdx', '.txt', '.html', '.htm']),
    /** Glob patterns (relative to the ingested folder) left out. */
    exclude: z.array(z.string()).default(['**/node_modules/**', '**/.git/**']),
    /**
     * Folders the engine may read documents from on a user's behalf (HTTP ingest, configured sources), besides the
     * shipped runbooks and the folders listed in `assistant.sources`. Symlinks are resolved before the check; a path
     * outside is refused. Relative paths resolve against the engine's working directory.
     */
    roots: z.array(z.string().min(1)).default([]),
  })
  .default({
    roots: [],
    maxFileBytes: 2_000_000,
    extensions: ['.md', '.markdown', '.mdx', '.txt', '.html', '.htm'],
    exclude: ['**/node_modules/**', '**/.git/**'],
  });

export const embedderConfigSchema = z
  .discriminatedUnion('kind', [
    z.object({
      /**
       * No downloaded weights: latent semantic analysis fitted on the ingested corpus itself (TF-IDF over words and
       * word pairs, reduced by a randomized truncated SVD). Refitted when the corpus changes; persisted with the index.
       */
      kind: z.literal('lsa'),
      /** 128 measured as good as 256 on the k8s docs at half the fit time and model size. */
      dimensions: z.coerce.number().int().min(16).max(1024).default(128),
      /** Terms seen in fewer chunks than this are left out of the latent space (noise, typos); collections under
       * 200 chunks keep every term. */
      minDocFreq: z.coerce.number().int().min(1).default(2),
      /** Vocabulary cap (most frequent terms kept) that bounds the persisted model's size. */
      maxVocabulary: z.coerce.number().int().min(1000).default(60_000),
      /** Fixed seed of the randomized SVD so two replicas fitting the same corpus agree. */
      seed: z.coerce.number().int().default(7),
    }),
    z.object({
      /** The model provider's embeddings endpoint (OpenAI, Ollama, any OpenAI-compatible server). */
      kind: z.literal('openai'),
      batchSize: z.coerce.number().int().positive().default(64),
    }),
    z.object({
      /** A local ONNX sentence-embedding model from a folder the user provides (`@huggingface/transformers`). */
      kind: z.literal('onnx'),
      modelPath: z.string().min(1),
      pooling: z.enum(['mean', 'cls']).default('mean'),
      batchSize: z.coerce.number().int().positive().default(16),
    }),
  ])
  .default({ kind: 'lsa', dimensions: 128, minDocFreq: 2, maxVocabulary: 60_000, seed: 7 });

export const retrievalConfigSchema = z
  .object({
    /** BM25 term-frequency saturation. 1.2/0.75 were chosen over 0.9/0.4 with the first BM25F pipeline (+0.014 glossary
     * MRR, +0.003 ops); with the final one the two are a tie within one question on both sets (rag-retrieval prints it). */
    bm25K1: z.coerce.number().positive().default(1.2),
    /** BM25 length normalisation of passage bodies (titles and headings are barely normalised); see bm25K1. */
    bm25B: z.coerce.number().min(0).max(1).default(0.75),
    /** Reciprocal-rank-fusion constant: larger flattens the weight of the top ranks (60 is the usual value). */
    rrfK: z.coerce.number().positive().default(60),
    /** Weight of each dense list in the fusion (lexical has weight 1); chosen by the rag-retrieval protocol (maximin
     * over the development question sets and their halves of the mean Hit@5 and MRR gain over BM25). With the third,
     * authored set (bench/rag/authored-questions: pages sampled uniformly, so 2/3 reference pages) maximin picks 0.25
     * (worst set's gain -0.017 at 0.25, -0.019 at 0.125, -0.030 at 0.5, with the generated-page prior off); 0.5 was
     * chosen on the glossary and ops sets alone, where the dense part lifts the users'-words questions. 0 skips the
     * embedder at query time. */
    denseWeight: z.coerce.number().min(0).default(0.25),
    /** Candidates taken from each retriever before fusion. */
    candidates: z.coerce.number().int().positive().default(100),
    /** At or above this many chunks the vector index is HNSW (usearch); below it exact search is faster and exact. */
    annThreshold: z.coerce.number().int().positive().default(20_000),
    /** HNSW graph degree and beam widths. */
    hnswConnectivity: z.coerce.number().int().positive().default(16),
    hnswExpansionAdd: z.coerce.number().int().positive().default(128),
    hnswExpansionSearch: z.coerce.number().int().positive().default(96),
    /** At most this many passages of one page in a result list, so citations cover several pages. */
    maxChunksPerPage: z.coerce.number().int().positive().default(2),
    /** Passages returned to the answerer by default. */
    topK: z.coerce.number().int().positive().default(5),
    /**
     * A question is "unanswered" when the top passages together share less than this fraction of the question's
     * informative terms (IDF-weighted); then the assistant says it does not know instead of guessing. Each cited
     * passage must hold at least half this fraction on its own.
     */
    minTermCoverage: z.coerce.number().min(0).max(1).default(0.35),
  })
  .default({
    bm25K1: 1.2,
    bm25B: 0.75,
    rrfK: 60,
    denseWeight: 0.25,
    candidates: 100,
    annThreshold: 20_000,
    hnswConnectivity: 16,
    hnswExpansionAdd: 128,
    hnswExpansionSearch: 96,
    maxChunksPerPage: 2,
    topK: 5,
    minTermCoverage: 0.35,
  });

export const answerConfigSchema = z
  .object({
    /** Upper bound of the prompt sent to a model (characters, ~4 per token); passages are dropped to fit. */
    maxPromptChars: z.coerce.number().int().min(2000).default(24_000),
    /** Conversation turns (question + answer pairs) replayed to the model. */
    historyTurns: z.coerce.number().int().min(0).default(4),
    /** Tool rounds the model may take before it must answer. */
    maxToolRounds: z.coerce.number().int().min(0).default(3),
    /** Log lines a tool returns per pod. */
    logTailLines: z.coerce.number().int().positive().default(50),
    /** Characters of tool output kept per call (after redaction). */
    maxToolOutputChars: z.coerce.number().int().positive().default(4000),
    /** Days a conversation is kept in the store. */
    conversationTtlDays: z.coerce.number().positive().default(30),
    /** Turns one conversation may hold; the next question is refused (409) and a new conversation must start. */
    maxConversationTurns: z.coerce.number().int().min(1).max(10_000).default(100),
    /** Stored size of one conversation (JSON bytes) past which no turn is added; bounds store growth per id. */
    maxConversationBytes: z.coerce
      .number()
      .int()
      .min(10_000)
      .max(64 * 1024 * 1024)
      .default(1_048_576),
    /**
     * Feedback records kept (newest); older ones are dropped. Each holds a question (4,000 characters) and a comment
     * (2,000): without a bound a viewer re-rating one answer in a loop grew the store by ~6 KB a request, forever.
     */
    maxFeedbackRecords: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
    /** Conversations kept per identity (token name; everyone when auth is off); a new one drops the oldest. */
    maxConversationsPerCaller: z.coerce.number().int().min(1).max(1_000_000).default(1000),
  })
  .default({
    maxPromptChars: 24_000,
    historyTurns: 4,
    maxToolRounds: 3,
    logTailLines: 50,
    maxToolOutputChars: 4000,
    conversationTtlDays: 30,
    maxConversationTurns: 100,
    maxConversationBytes: 1_048_576,
    maxFeedbackRecords: 10_000,
    maxConversationsPerCaller: 1000,
  });

export const assistantConfigSchema = z
  .object({
    /** Folders ingested at start-up (besides the shipped runbooks), e.g. a git checkout's `docs/`. */
    sources: z
      .array(
        z.object({
          path: z.string().min(1),
          /** Public URL prefix of the pages, e.g. `https://kubernetes.io`; citations link there when set. */
          baseUrl: pageBaseUrlSchema.optional(),
          exclude: z.array(z.string()).default([]),
        }),
      )
      .default([]),
    /** Ingest the runbooks shipped in engine/runbooks. */
    includeRunbooks: z.boolean().default(true),
    chunking: chunkingConfigSchema,
    ingest: ingestConfigSchema,
    embedder: embedderConfigSchema,
    retrieval: retrievalConfigSchema,
    answer: answerConfigSchema,
  })
  .default({
    sources: [],
    includeRunbooks: true,
    chunking: chunkingConfigSchema.parse(undefined),
    ingest: ingestConfigSchema.parse(undefined),
    embedder: embedderConfigSchema.parse(undefined),
    retrieval: retrievalConfigSchema.parse(undefined),
    answer: answerConfigSchema.parse(undefined),
  });

export type AssistantConfig = z.infer<typeof assistantConfigSchema>;
export type ChunkingConfig = z.infer<typeof chunkingConfigSchema>;
export type IngestConfig = z.infer<typeof ingestConfigSchema>;
export type EmbedderConfig = z.infer<typeof embedderConfigSchema>;
export type RetrievalConfig = z.infer<typeof retrievalConfigSchema>;
export type AnswerConfig = z.infer<typeof answerConfigSchema>;
