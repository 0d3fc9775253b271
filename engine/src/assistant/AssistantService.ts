import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import type { EngineContext } from '../context.js';
import { EngineError, fieldIssuesFromZod, invalidRequest, isEngineError } from '../errors.js';
import type { HealthCheck } from '../health/HealthCheck.js';
import type { JobRecord } from '../jobs/JobRunner.js';
import type { ChatMessage, ModelProvider, ToolCall } from '../model/ModelProvider.js';
import { buildPrompt, fitMessages } from './answer/buildPrompt.js';
import { CLUSTER_TOOLS, ClusterTools } from './answer/clusterTools.js';
import { CitationRenumberer, sameSectionAliases } from './answer/CitationRenumberer.js';
import type { Diagnosis } from './answer/diagnoseWorkload.js';
import { extractiveAnswer, type NumberedPassage } from './answer/extractiveAnswer.js';
import { readLiveContext, type LiveContext } from './answer/readLiveContext.js';
import { redactSecretsText } from '../util/redact.js';
import { ANONYMOUS_OWNER, ConversationStore, type OwnedConversation } from './answer/ConversationStore.js';
import type { AssistantConfig } from './config.js';
import type { Embedder } from './embedders/Embedder.js';
import { createEmbedder } from './embedders/createEmbedder.js';
import { KnowledgeBase, type IngestReport, type RemovedSource } from './kb/KnowledgeBase.js';
import type { SourceState } from './kb/KnowledgeRepository.js';
import { resolveSource } from './kb/readSourceFolder.js';
import type { Chunk } from './kb/Chunk.js';
import { isInside } from './kb/IngestRoots.js';
import {
  askRequestSchema,
  type AskRequest,
  documentsQuerySchema,
  feedbackRecordSchema,
  feedbackRequestSchema,
  ingestRequestSchema,
  searchQuerySchema,
  type Answer,
  type AskEvent,
  type Citation,
  type Conversation,
  type FeedbackRecord,
  type KnowledgeDocument,
  type SearchResult,
  type ToolCallRecord,
} from './schemas.js';
import { JOB_KIND } from '../jobs/jobKinds.js';
import { plural } from '../util/plural.js';

/** The project's runbooks, shipped in the package beside dist/ and src/. */
export const RUNBOOKS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'runbooks');
export const RUNBOOKS_SOURCE = 'runbooks';

const FEEDBACK_KEY = 'assistant:feedback';
/** Model failures an answer survives (falls back to extractive); other errors stay errors. */
const MODEL_FAILURES = new Set(['UPSTREAM_UNAVAILABLE', 'UPSTREAM_ERROR', 'TIMEOUT']);

const UNKNOWN =
  "I don't know: nothing in the runbooks or the ingested documentation matches this question. Try naming the " +
  'symptom (e.g. CrashLoopBackOff, OOMKilled, Pending) or the workload, or ingest the documentation that covers it.';

function parse<T>(schema: z.ZodType<T>, input: unknown, prefix: string): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw invalidRequest(fieldIssuesFromZod(parsed.error.issues, prefix));
  }
  return parsed.data;
}

export interface AssistantServiceOptions {
  model?: ModelProvider;
  /** Overrides the configured embedder (tests, benchmarks). */
  embedder?: Embedder;
  runbooksDir?: string;
  /** File snapshot folder for a memory store; null disables it (tests). Default: `<dataDir>/knowledge-base`. */
  snapshotDir?: string | null;
}

/**
 * The ops assistant (issue 5): answers from the team's runbooks and documentation plus, for a named workload, the
 * live state read through the engine's sources. With a model: a grounded, cited, streamed answer with read-only tool
 * use. Without one: an extractive answer quoting the best passages and the matching runbook's steps.
 */
export class AssistantService {
  private constructor(
    private readonly ctx: EngineContext,
    readonly kb: KnowledgeBase,
    private readonly model: ModelProvider | undefined,
    private readonly runbooksDir: string,
  ) {}

  static async create(ctx: EngineContext, options: AssistantServiceOptions = {}): Promise<AssistantService> {
    const config = ctx.config.assistant;
    const embedder = options.embedder ?? (await createEmbedder(config.embedder, options.model));
    const kb = new KnowledgeBase({
      config,
      embedder,
      store: ctx.store,
      logger: ctx.logger.child({ capability: 'assistant' }),
      // A memory store forgets on exit; the config's data folder keeps the knowledge base between CLI runs.
      ...(ctx.store.kind === 'memory' && options.snapshotDir !== null
        ? { snapshotDir: options.snapshotDir ?? join(resolve(ctx.config.dataDir), 'knowledge-base') }
        : {}),
    });
    return new AssistantService(ctx, kb, options.model, options.runbooksDir ?? RUNBOOKS_DIR);
  }

  /**
   * Sources are kept until removed, whatever the roots say now: the roots bound what the server reads on a caller's
   * behalf (ADR 6), they do not define the knowledge base, and a folder the CLI ingested (its user's own root) is
   * meant to be served (the README's `aicloudops ingest ../shared/datasets/k8s_docs`). But a source ingested by the
   * CLI, or from a folder since dropped from `assistant.ingest.roots`, was served after a restart without a word; it
   * is now named at start, with its root, so an operator can tell it from the configured ones and remove it.
   */
  private logSourcesOutsideRoots(): void {
    const runbooks = resolve(this.runbooksDir);
    for (const source of this.kb.stats().sources) {
      if (isInside(runbooks, source.root) || this.kb.ingestRoots.containsLexically(source.root)) continue;
      this.ctx.logger.info(
        { source: source.name, root: source.root, files: source.files, ingestedAt: source.ingestedAt },
        'knowledge base: serving a source outside assistant.sources and assistant.ingest.roots (ingested by the CLI ' +
          'or under an earlier config); it stays until removed (README: Ops assistant)',
      );
    }
  }

  private get config(): AssistantConfig {
    return this.ctx.config.assistant;
  }

  private get conversations(): ConversationStore {
    const { conversationTtlDays, maxConversationTurns, maxConversationBytes, maxConversationsPerCaller } =
      this.config.answer;
    return new ConversationStore(this.ctx.store, {
      ttlDays: conversationTtlDays,
      maxTurns: maxConversationTurns,
      maxBytes: maxConversationBytes,
      maxPerOwner: maxConversationsPerCaller,
    });
  }

  /**
   * Loads the shared knowledge base; when the shipped runbooks are enabled, (re-)ingests them (incremental: a no-op
   * when unchanged) and starts jobs for configured sources that are not yet in the store.
   */
  async init(): Promise<void> {
    await this.kb.load();
    this.logSourcesOutsideRoots();
    if (this.config.includeRunbooks && existsSync(this.runbooksDir)) {
      const report = await this.kb.ingest({ path: this.runbooksDir, name: RUNBOOKS_SOURCE });
      for (const e of report.errors)
        this.ctx.logger.warn({ file: e.path, reason: e.message }, 'runbook not ingested');
    }
    const present = new Set(this.kb.stats().sources.map((s) => s.root));
    const missing = this.config.sources.filter((s) => !present.has(resolve(s.path)));
    for (const source of missing) {
      // Not awaited: start-up does not wait for the ingest, but a refused job (store down, queue full) is logged.
      this.ingest({
        paths: [source.path],
        exclude: source.exclude,
        ...(source.baseUrl ? { baseUrl: source.baseUrl } : {}),
      }).catch((err: unknown) =>
        this.ctx.logger.warn({ err, source: source.path }, 'configured source not ingested'),
      );
    }
  }

  get mode(): 'model' | 'extractive' {
    return this.model ? 'model' : 'extractive';
  }

  async check(): Promise<HealthCheck> {
    const stats = this.kb.stats();
    const kb: HealthCheck = {
      name: 'assistant',
      ok: true,
      detail: `${plural(stats.chunks, 'chunk')} from ${plural(stats.sources.length, 'source')}, ${stats.vectorIndex} index, ${stats.embedder}, ${this.mode} answers`,
    };
    if (!this.model) return kb;
    const model = await this.model.check();
    return { ...kb, ok: model.ok, detail: `${kb.detail}; model: ${model.detail}` };
  }

  /** Every page of the knowledge base with its text, in path order (what a portal search indexes). */
  documents(input: unknown = {}): KnowledgeDocument[] {
    const { source, maxChars, path } = parse(documentsQuerySchema, input, 'querystring');
    const pages = new Map<string, { first: Chunk; texts: string[] }>();
    for (const chunk of this.kb.allChunks()) {
      if ((source && chunk.source !== source) || (path && chunk.path !== path)) continue;
      const page = pages.get(chunk.path);
      if (page) page.texts.push(chunk.text);
      else pages.set(chunk.path, { first: chunk, texts: [chunk.text] });
    }
    return [...pages.values()]
      .sort((a, b) => a.first.path.localeCompare(b.first.path))
      .map(({ first, texts }) => ({
        title: first.title,
        path: first.path,
        ...(first.url ? { url: first.url.replace(/#.*$/, '') } : {}),
        source: first.source,
        text: texts.join('\n\n').slice(0, maxChars),
      }));
  }

  async search(input: unknown): Promise<SearchResult[]> {
    const { q, k } = parse(searchQuerySchema, input, 'querystring');
    const hits = await this.kb.search(q, k);
    return hits.map((h) => ({
      title: h.chunk.title,
      path: h.chunk.path,
      ...(h.chunk.url ? { url: h.chunk.url } : {}),
      section: h.chunk.section,
      text: h.chunk.text,
      score: h.score,
      source: h.chunk.source,
      ...(this.kb.attributionOf(h.chunk.source)
        ? { attribution: this.kb.attributionOf(h.chunk.source)! }
        : {}),
    }));
  }

  /** Starts an ingest job; progress and the per-source reports are on the job record. */
  async ingest(input: unknown): Promise<JobRecord<IngestReport[]>> {
    const request = parse(ingestRequestSchema, input, 'body');
    // Reads on a caller's behalf stay inside assistant.ingest.roots (checked here, and again when the job reads).
    const roots = this.kb.ingestRoots;
    request.paths.forEach((path, i) => roots.check(path, `body.paths.${i}`));
    return this.ctx.jobs.start(JOB_KIND.assistantIngest, request, async (job) => {
      const reports: IngestReport[] = [];
      for (const [i, path] of request.paths.entries()) {
        const report = await this.kb.ingest(
          {
            path,
            exclude: request.exclude,
            ...(request.baseUrl ? { baseUrl: request.baseUrl } : {}),
            ...(request.attribution ? { attribution: request.attribution } : {}),
          },
          (fraction, message) => job.progress((i + fraction) / request.paths.length, message),
          { roots },
        );
        reports.push(report);
      }
      return reports;
    });
  }

  /**
   * Removes one source from the knowledge base (every replica's, durably). A source the config brings in (the shipped
   * runbooks, `assistant.sources`) is refused with CONFLICT: init() would ingest it again at the next start, so the
   * removal would not last; the config is where it goes.
   */
  removeSource(name: string): Promise<RemovedSource> {
    return this.kb.removeSource(name, (source) => {
      const setting = this.configuredBy(source);
      if (!setting) return;
      throw new EngineError(
        'CONFLICT',
        `knowledge-base source "${name}" is configured (${setting}) and would be ingested again at the next start: ` +
          `edit the config to remove it`,
        { issues: [{ field: 'params.name', message: `configured in ${setting}` }] },
      );
    });
  }

  /** The config setting that makes init() ingest this source, if any. */
  private configuredBy(source: SourceState): string | undefined {
    if (
      this.config.includeRunbooks &&
      (source.name === RUNBOOKS_SOURCE || source.root === resolve(this.runbooksDir))
    )
      return 'assistant.includeRunbooks';
    // Compared as init() finds a configured source present: by its resolved root (a git checkout's docs/ included).
    const rootOf = (path: string) => {
      try {
        return resolveSource({ path }).root;
      } catch {
        return resolve(path);
      }
    };
    return this.config.sources.some((s) => rootOf(s.path) === source.root || resolve(s.path) === source.root)
      ? 'assistant.sources'
      : undefined;
  }

  /** The caller's conversation; NOT_FOUND when absent or another identity's. */
  async conversation(id: string, owner: string = ANONYMOUS_OWNER): Promise<Conversation> {
    const { owner: _owner, ...conversation } = await this.conversations.get(id, owner);
    return conversation;
  }

  async feedback(input: unknown, owner: string = ANONYMOUS_OWNER): Promise<FeedbackRecord> {
    const request = parse(feedbackRequestSchema, input, 'body');
    const conversation = await this.conversations.get(request.conversationId, owner);
    const turnIndex = request.turn ?? conversation.turns.length - 1;
    const turn = conversation.turns[turnIndex];
    if (!turn) {
      throw new EngineError('INVALID_INPUT', `conversation has no turn ${turnIndex}`, {
        issues: [{ field: 'body.turn', message: `must be between 0 and ${conversation.turns.length - 1}` }],
      });
    }
    const record = feedbackRecordSchema.parse({
      ...request,
      ...(request.comment ? { comment: redactSecretsText(request.comment) } : {}),
      turn: turnIndex,
      question: turn.question,
      sources: turn.citations.map((c) => ({ n: c.n, path: c.path, title: c.title, section: c.section })),
      mode: turn.mode,
      at: new Date().toISOString(),
    });
    const length = await this.ctx.store.rpush(FEEDBACK_KEY, JSON.stringify(record));
    const max = this.config.answer.maxFeedbackRecords;
    if (length > max) await this.ctx.store.ltrim(FEEDBACK_KEY, -max, -1);
    return record;
  }

  async listFeedback(): Promise<FeedbackRecord[]> {
    return (await this.ctx.store.lrange(FEEDBACK_KEY, 0, -1)).map((r) => JSON.parse(r) as FeedbackRecord);
  }

  /** The whole answer at once (JSON API, tests). */
  async askOnce(input: unknown, owner: string = ANONYMOUS_OWNER): Promise<Answer> {
    let answer: Answer | undefined;
    for await (const event of this.ask(input, owner)) if (event.type === 'done') answer = event.answer;
    return answer!;
  }

  /** Streams the answer: tool and citation events as they happen, tokens, then done with the full answer. */
  async *ask(input: unknown, owner: string = ANONYMOUS_OWNER): AsyncGenerator<AskEvent> {
    yield* await this.startAsk(input, owner);
  }

  /**
   * What the JSON form refuses, refused before anything streams (a 404/409 conversation, a 404 workload naming
   * body.workload): once an SSE 200 is sent a refusal can only be an error event, which a client reading the status
   * takes for an answer. Resolves to the answer's events.
   */
  async startAsk(input: unknown, owner: string = ANONYMOUS_OWNER): Promise<AsyncGenerator<AskEvent>> {
    const request = parse(askRequestSchema, input, 'body');
    const namespace = request.namespace ?? this.ctx.config.defaultNamespace;
    const conversation = await this.conversations.forNewTurn(request.conversationId, owner);
    const tools = request.workload
      ? new ClusterTools(this.ctx, this.config.answer, {
          namespace,
          ...(request.cluster ? { cluster: request.cluster } : {}),
        })
      : undefined;
    if (tools && request.workload) await tools.requireWorkload(request.workload, namespace, 'body.workload');
    return this.answer(request, namespace, conversation, tools);
  }

  private async *answer(
    request: AskRequest,
    namespace: string,
    conversation: OwnedConversation,
    tools: ClusterTools | undefined,
  ): AsyncGenerator<AskEvent> {
    const toolCalls: ToolCallRecord[] = [];
    // A named workload is read first: the failure its state names steers retrieval and leads the answer.
    let live: LiveContext | undefined;
    if (tools && request.workload) {
      live = await readLiveContext(tools, request.workload, namespace);
      for (const call of live.calls) {
        toolCalls.push(call.record);
        yield { type: 'tool', call: call.record };
      }
    }
    const diagnosis = live?.diagnosis;
    const passages = await this.retrieve(request.question, conversation, diagnosis);
    const runbookPath = diagnosis
      ? passages.find((p) => p.chunk.source === RUNBOOKS_SOURCE)?.chunk.path
      : undefined;
    const citations: Citation[] = passages.map((p) => ({
      n: p.n,
      title: p.chunk.title,
      path: p.chunk.path,
      ...(p.chunk.url ? { url: p.chunk.url } : {}),
      section: p.chunk.section,
      score: p.score,
      source: p.chunk.source,
      ...(this.kb.attributionOf(p.chunk.source)
        ? { attribution: this.kb.attributionOf(p.chunk.source)! }
        : {}),
    }));
    // Answers cite 1..n in order of first use, whatever order retrieval numbered the passages in; passages of one
    // page section (overlapping chunks) are one citation.
    const sameSection = sameSectionAliases(passages);
    let renumber = new CitationRenumberer(new Set(passages.map((p) => p.n)), sameSection);
    let text = '';
    let runbookSteps: string[] | undefined;
    let unanswered = false;

    let mode = this.mode;
    let modelError: string | undefined;
    /** The answer without a model: the best passages and the matching runbook's steps. */
    const extractive = () => {
      renumber = new CitationRenumberer(new Set(passages.map((p) => p.n)), sameSection);
      const extract = extractiveAnswer(
        passages,
        (t) => this.kb.termCoverage(request.question, t),
        (path) => this.kb.pageChunks(path),
        {
          runbookSource: RUNBOOKS_SOURCE,
          ...(diagnosis ? { diagnosis } : {}),
          ...(runbookPath ? { runbookPath } : {}),
        },
      );
      // What was read is not repeated here: every client shows the tool calls beside the answer (the CLI's
      // "[looked at]" lines, the pages' lists), and the answer repeated them as "Live state:" under them.
      unanswered = passages.length === 0 && !diagnosis;
      text = renumber.push(unanswered ? UNKNOWN : extract.text) + renumber.flush();
      runbookSteps = extract.runbookSteps;
      return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
    };

    if (!this.model) {
      for (const piece of extractive()) yield { type: 'token', text: piece };
    } else if (passages.length === 0 && !tools) {
      unanswered = true;
      text = UNKNOWN;
      yield { type: 'token', text };
    } else {
      const { messages, included } = buildPrompt({
        question: request.question,
        passages,
        history: conversation.turns.slice(-this.config.answer.historyTurns),
        ...(request.workload ? { workload: request.workload, namespace } : {}),
        ...(live ? { liveState: live.calls.map((c) => `${c.record.name}: ${c.output}`).join('\n\n') } : {}),
        ...(diagnosis ? { diagnosis: `${diagnosis.failure}: ${diagnosis.evidence}` } : {}),
        maxChars: this.config.answer.maxPromptChars,
      });
      renumber = new CitationRenumberer(new Set(included.map((p) => p.n)), sameSection);
      try {
        for await (const event of this.converse(messages, tools, toolCalls)) {
          if (event.type !== 'token') {
            yield event;
            continue;
          }
          const piece = renumber.push(event.text);
          text += piece;
          if (piece) yield { type: 'token', text: piece };
        }
      } catch (error) {
        // A model that is down or fails before writing a word: the extractive answer instead of an error, saying
        // why, since the on-call engineer asking needs the runbook most when things are failing (a 503 before;
        // found walking the README). Once words are out, the stream ends with the error as before.
        if (text !== '' || !isEngineError(error) || !MODEL_FAILURES.has(error.code)) throw error;
        mode = 'extractive';
        modelError = redactSecretsText(error.message);
        for (const piece of extractive()) yield { type: 'token', text: piece };
      }
      if (mode === 'model') {
        const rest = renumber.flush();
        if (rest) {
          text += rest;
          yield { type: 'token', text: rest };
        }
        unanswered = /\bI don['’]t know\b/i.test(text) && renumber.order.length === 0;
      }
    }

    // Citations in the order the answer first uses them, numbered 1..n.
    const finalCitations = renumber.order.map(({ from, to }) => ({
      ...citations.find((c) => c.n === from)!,
      n: to,
    }));
    for (const citation of finalCitations) yield { type: 'citation', citation };
    const turn = await this.conversations.append(conversation, {
      question: redactSecretsText(request.question),
      answer: redactSecretsText(text),
      citations: finalCitations,
      toolCalls,
      mode,
      at: new Date().toISOString(),
    });
    yield {
      type: 'done',
      answer: {
        answer: text,
        citations: finalCitations,
        toolCalls,
        mode,
        ...(modelError ? { modelError } : {}),
        unanswered,
        conversationId: conversation.id,
        turn,
        ...(runbookSteps ? { runbookSteps } : {}),
      },
    };
  }

  /**
   * Passages worth citing: hybrid search, then only those sharing enough of the question's informative terms. A short
   * follow-up ("and how do I fix it?") is searched together with the previous question.
   */
  private async retrieve(
    question: string,
    conversation: Conversation,
    diagnosis?: Diagnosis,
  ): Promise<Array<NumberedPassage & { score: number }>> {
    const { topK, minTermCoverage } = this.config.retrieval;
    // Redacted first: the query may go to a remote embeddings API, and a pasted secret is no search term anyway.
    const clean = redactSecretsText(question).replace(/\[REDACTED[^\]]*\]/g, ' ');
    const previous = conversation.turns.at(-1)?.question.replace(/\[REDACTED[^\]]*\]/g, ' ');
    const short = clean.split(/\s+/).filter(Boolean).length <= 6;
    const query = previous && short ? `${previous}\n${clean}` : clean;
    // A failure named by the live state is searched with the question and rewarded by the reranker (its runbook and
    // the docs' headings name it); the question alone ("why is cart down?") rarely does.
    const searched = diagnosis ? `${query}\n${diagnosis.failure}` : query;
    const hits = (
      await this.kb.search(searched, topK * 2, diagnosis ? { context: diagnosis.searchTerms } : {})
    ).slice(0, topK);
    if (diagnosis) {
      // The runbook for the failure is always among the passages: without a model the answer leads with its steps.
      const [runbook] = await this.kb.search(`${diagnosis.failure} ${diagnosis.searchTerms}`, 1, {
        filter: (c) => c.source === RUNBOOKS_SOURCE,
        context: diagnosis.searchTerms,
      });
      const relevant = hits.filter((h) => this.kb.termCoverage(searched, h.chunk) >= minTermCoverage / 2);
      if (runbook && !relevant.some((h) => h.chunk.path === runbook.chunk.path)) relevant.unshift(runbook);
      return relevant.slice(0, topK).map((h, i) => ({ n: i + 1, chunk: h.chunk, score: h.score }));
    }
    // Answerable when the best passages together cover enough of the question (a question with a pasted log line has
    // terms no single passage holds); then each cited passage must carry part of that evidence itself.
    const together = hits.map((h) => `${h.chunk.title}\n${h.chunk.section}\n${h.chunk.text}`).join('\n');
    if (hits.length === 0 || this.kb.termCoverage(query, together) < minTermCoverage) return [];
    return hits
      .filter((h) => this.kb.termCoverage(query, h.chunk) >= minTermCoverage / 2)
      .map((h, i) => ({ n: i + 1, chunk: h.chunk, score: h.score }));
  }

  /** The model loop: stream, run any read-only tool calls, feed results back, until an answer or the round limit. */
  private async *converse(
    messages: ChatMessage[],
    tools: ClusterTools | undefined,
    records: ToolCallRecord[],
  ): AsyncGenerator<AskEvent> {
    const { maxToolRounds, maxPromptChars } = this.config.answer;
    for (let round = 0; ; round++) {
      const offerTools = tools && round < maxToolRounds;
      let calls: ToolCall[] = [];
      let content = '';
      for await (const event of this.model!.chat({
        messages: fitMessages(messages, maxPromptChars),
        ...(offerTools ? { tools: CLUSTER_TOOLS } : {}),
        temperature: 0.1,
      })) {
        if (event.type === 'token') {
          content += event.text;
          yield { type: 'token', text: event.text };
        } else if (event.type === 'tool_calls') {
          calls = event.calls;
        }
      }
      if (calls.length === 0 || !offerTools) return;
      messages.push({ role: 'assistant', content, toolCalls: calls });
      for (const call of calls) {
        let args: unknown;
        try {
          args = JSON.parse(call.arguments || '{}');
        } catch {
          args = { unparsable: call.arguments.slice(0, 200) };
        }
        const result = await tools.run(call.name, args);
        records.push(result.record);
        yield { type: 'tool', call: result.record };
        messages.push({ role: 'tool', content: result.output, toolCallId: call.id });
      }
    }
  }
}
