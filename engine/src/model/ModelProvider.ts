import type { HealthChecked } from '../health/HealthCheck.js';

/**
 * A chat and embedding model behind one interface. OpenAIProvider speaks the OpenAI-compatible HTTP API (OpenAI,
 * Ollama, vLLM, LM Studio, ...); with provider `none` there is no ModelProvider and callers fall back to model-free
 * behaviour (extractive answers, template narratives).
 */

export interface ToolCall {
  id: string;
  name: string;
  /** JSON text as the model produced it; parse and validate before use. */
  arguments: string;
}

export type ChatMessage =
  | { role: 'system' | 'user'; content: string }
  | { role: 'assistant'; content: string; toolCalls?: ToolCall[] }
  | { role: 'tool'; content: string; toolCallId: string };

export interface ToolDefinition {
  name: string;
  description: string;
  /** JSON Schema of the arguments object. */
  parameters: Record<string, unknown>;
}

export interface ChatRequest {
  messages: ChatMessage[];
  tools?: ToolDefinition[];
  temperature?: number;
  maxTokens?: number;
  signal?: AbortSignal;
}

export type ChatEvent =
  | { type: 'token'; text: string }
  /** The model asks for tools; emitted once, complete, after the stream ends. */
  | { type: 'tool_calls'; calls: ToolCall[] }
  | { type: 'done'; finishReason: string; usage?: { promptTokens: number; completionTokens: number } };

export interface ModelProvider extends HealthChecked {
  readonly name: string;
  readonly chatModel: string;
  readonly embeddingModel?: string;
  /** Streams a chat completion: tokens as they arrive, then tool calls if any, then done. */
  chat(request: ChatRequest): AsyncIterable<ChatEvent>;
  /** One-shot completion of a prompt (narratives, summaries); returns the whole text. */
  complete(
    prompt: string,
    options?: { system?: string; maxTokens?: number; temperature?: number; signal?: AbortSignal },
  ): Promise<string>;
  /** Embeddings of texts, in order; throws INVALID_CONFIG when no embedding model is configured. */
  embed(texts: string[], signal?: AbortSignal): Promise<Float32Array[]>;
}
