import { QUESTION_MAX_CHARS } from '@ai-cloudops/engine-client';
import { z } from 'zod';
import { kubernetesNameSchema, namespaceSchema } from '../schemas/core.js';

/** Wire shapes of the assistant: HTTP routes, CLI and the typed client share them. */

const idPattern = /^[A-Za-z0-9_-]{1,64}$/;

export const askRequestSchema = z.object({
  question: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(QUESTION_MAX_CHARS, `must be at most ${QUESTION_MAX_CHARS} characters`),
  /** Continues a conversation; a new one is started when absent. */
  conversationId: z.string().regex(idPattern, 'must be 1-64 letters, digits, - or _').optional(),
  namespace: namespaceSchema.optional(),
  /** A workload (Deployment/StatefulSet/DaemonSet name) the question is about; enables live-state tools. */
  workload: kubernetesNameSchema.optional(),
  cluster: z.string().min(1).max(253).optional(),
  stream: z.boolean().optional(),
});
export type AskRequest = z.infer<typeof askRequestSchema>;

export const citationSchema = z.object({
  n: z.number().int().positive(),
  title: z.string(),
  path: z.string(),
  url: z.string().optional(),
  section: z.string(),
  score: z.number(),
  source: z.string().optional(),
  /** Credit required by the source's licence, e.g. "Kubernetes Documentation, The Kubernetes Authors, CC BY 4.0". */
  attribution: z.string().optional(),
});
export type Citation = z.infer<typeof citationSchema>;

export const toolCallRecordSchema = z.object({
  name: z.string(),
  arguments: z.record(z.string(), z.unknown()),
  ok: z.boolean(),
  /** One line of what was looked at and found, shown to the user. */
  summary: z.string(),
});
export type ToolCallRecord = z.infer<typeof toolCallRecordSchema>;

export const answerSchema = z.object({
  answer: z.string(),
  citations: z.array(citationSchema),
  toolCalls: z.array(toolCallRecordSchema),
  mode: z.enum(['model', 'extractive']),
  /** Why a model is configured but this answer is extractive: the model failed before writing anything. */
  modelError: z.string().optional(),
  /** True when nothing relevant was found and the answer says so. */
  unanswered: z.boolean(),
  conversationId: z.string(),
  /** Index of this turn in the conversation (for feedback). */
  turn: z.number().int().min(0),
  /** Steps of the best-matching runbook, when one matched. */
  runbookSteps: z.array(z.string()).optional(),
});
export type Answer = z.infer<typeof answerSchema>;

export type AskEvent =
  | { type: 'token'; text: string }
  | { type: 'citation'; citation: Citation }
  | { type: 'tool'; call: ToolCallRecord }
  | { type: 'done'; answer: Answer };

export const searchQuerySchema = z.object({
  q: z.string().trim().min(1, 'must not be empty').max(2000),
  k: z.coerce.number().int().min(1).max(50).default(5),
});

export const searchResultSchema = z.object({
  title: z.string(),
  path: z.string(),
  url: z.string().optional(),
  section: z.string(),
  text: z.string(),
  score: z.number(),
  source: z.string(),
  attribution: z.string().optional(),
});
export type SearchResult = z.infer<typeof searchResultSchema>;
export const searchResponseSchema = z.object({ results: z.array(searchResultSchema) });

export const feedbackRequestSchema = z.object({
  conversationId: z.string().regex(idPattern),
  /** Which answer of the conversation; the last one when absent. */
  turn: z.number().int().min(0).optional(),
  rating: z.enum(['up', 'down']),
  comment: z.string().max(2000).optional(),
});
export type FeedbackRequest = z.infer<typeof feedbackRequestSchema>;

export const feedbackRecordSchema = feedbackRequestSchema.extend({
  turn: z.number().int().min(0),
  question: z.string(),
  sources: z.array(z.object({ n: z.number(), path: z.string(), title: z.string(), section: z.string() })),
  mode: z.enum(['model', 'extractive']),
  at: z.string(),
});
export type FeedbackRecord = z.infer<typeof feedbackRecordSchema>;

/**
 * A public URL prefix of ingested pages. Citations and portal search results become links to it, so only http(s):
 * `javascript:…` was accepted and rendered as a clickable citation in Grafana and Backstage.
 */
export const pageBaseUrlSchema = z
  .url({ protocol: /^https?$/, error: 'must be an http or https URL' })
  .max(2048);

export const ingestRequestSchema = z.object({
  paths: z.array(z.string().min(1).max(4096)).min(1, 'name at least one folder').max(100),
  /** Public URL prefix of the pages, for citation links. */
  baseUrl: pageBaseUrlSchema.optional(),
  attribution: z.string().max(500).optional(),
  exclude: z.array(z.string().max(1024)).max(1000).default([]),
});
export type IngestRequest = z.infer<typeof ingestRequestSchema>;

/** DELETE /assistant/sources/:name: what the removal took out (the route is admin-only, so the host root is shown). */
export const removedSourceSchema = z.object({
  name: z.string(),
  /** The folder it was read from, on the engine host (or the CLI's). */
  root: z.string(),
  files: z.number().int(),
  /** Chunks removed with it. */
  chunks: z.number().int(),
  /** Chunks left in the knowledge base. */
  totalChunks: z.number().int(),
});
export type RemovedSourceDto = z.infer<typeof removedSourceSchema>;

export const conversationTurnSchema = z.object({
  question: z.string(),
  answer: z.string(),
  citations: z.array(citationSchema),
  toolCalls: z.array(toolCallRecordSchema),
  mode: z.enum(['model', 'extractive']),
  at: z.string(),
});
export type ConversationTurn = z.infer<typeof conversationTurnSchema>;

export const conversationSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  turns: z.array(conversationTurnSchema),
});
export type Conversation = z.infer<typeof conversationSchema>;

/** One knowledge-base page, for indexers such as Backstage's portal search. */
export const knowledgeDocumentSchema = z.object({
  title: z.string(),
  path: z.string(),
  url: z.string().optional(),
  source: z.string(),
  /** The page's text, its chunks joined without overlap, cut at `maxChars`. */
  text: z.string(),
});
export type KnowledgeDocument = z.infer<typeof knowledgeDocumentSchema>;
export const documentsQuerySchema = z.object({
  source: z.string().min(1).max(253).optional(),
  /** One page by its path (a portal's search result opens it). */
  path: z.string().min(1).max(4096).optional(),
  maxChars: z.coerce.number().int().min(100).max(100_000).default(20_000),
});
export const documentsResponseSchema = z.object({ items: z.array(knowledgeDocumentSchema) });
