import OpenAI from 'openai';
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import { EngineError } from '../errors.js';
import type { HealthCheck } from '../health/HealthCheck.js';
import type { ChatEvent, ChatMessage, ChatRequest, ModelProvider, ToolCall } from './ModelProvider.js';

export interface OpenAIProviderOptions {
  baseURL?: string;
  apiKey: string;
  chatModel: string;
  embeddingModel?: string;
  timeoutSeconds: number;
  maxRetries: number;
  /** Injected for tests only when a custom fetch is needed; production uses the SDK's default. */
  fetch?: typeof fetch;
}

/** Maps SDK failures to engine error codes, keeping the upstream message (never the API key). */
export function toEngineError(error: unknown, what: string): EngineError {
  if (error instanceof EngineError) return error;
  if (error instanceof OpenAI.APIConnectionTimeoutError) {
    return new EngineError('TIMEOUT', `model ${what} timed out`, { cause: error });
  }
  if (error instanceof OpenAI.APIConnectionError) {
    return new EngineError(
      'UPSTREAM_UNAVAILABLE',
      `model server unreachable during ${what}: ${error.message}`,
      { cause: error },
    );
  }
  if (error instanceof OpenAI.APIUserAbortError) {
    return new EngineError('TIMEOUT', `model ${what} was aborted`, { cause: error });
  }
  if (error instanceof OpenAI.APIError) {
    return new EngineError(
      'UPSTREAM_ERROR',
      `model server answered ${error.status ?? '?'} during ${what}: ${error.message}`,
      {
        cause: error,
      },
    );
  }
  return new EngineError(
    'UPSTREAM_ERROR',
    `model ${what} failed: ${error instanceof Error ? error.message : String(error)}`,
    {
      cause: error,
    },
  );
}

function toOpenAiMessages(messages: ChatMessage[]): ChatCompletionMessageParam[] {
  return messages.map((m): ChatCompletionMessageParam => {
    if (m.role === 'tool') return { role: 'tool', content: m.content, tool_call_id: m.toolCallId };
    if (m.role === 'assistant') {
      return m.toolCalls?.length
        ? {
            role: 'assistant',
            content: m.content || null,
            tool_calls: m.toolCalls.map((c) => ({
              id: c.id,
              type: 'function',
              function: { name: c.name, arguments: c.arguments },
            })),
          }
        : { role: 'assistant', content: m.content };
    }
    return { role: m.role, content: m.content };
  });
}

/** Any OpenAI-compatible server through the official `openai` SDK: OpenAI, Ollama (`/v1`), vLLM, LM Studio. */
export class OpenAIProvider implements ModelProvider {
  readonly name = 'openai';
  readonly chatModel: string;
  readonly embeddingModel?: string;
  private readonly client: OpenAI;

  constructor(options: OpenAIProviderOptions) {
    this.chatModel = options.chatModel;
    if (options.embeddingModel) this.embeddingModel = options.embeddingModel;
    this.client = new OpenAI({
      // Ollama and most local servers ignore the key but the SDK requires a non-empty one.
      apiKey: options.apiKey || 'not-needed',
      ...(options.baseURL ? { baseURL: options.baseURL } : {}),
      timeout: options.timeoutSeconds * 1000,
      maxRetries: options.maxRetries,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
  }

  async *chat(request: ChatRequest): AsyncIterable<ChatEvent> {
    const tools: ChatCompletionTool[] | undefined = request.tools?.map((t) => ({
      type: 'function',
      function: { name: t.name, description: t.description, parameters: t.parameters },
    }));
    let stream;
    try {
      stream = await this.client.chat.completions.create(
        {
          model: this.chatModel,
          messages: toOpenAiMessages(request.messages),
          stream: true,
          stream_options: { include_usage: true },
          ...(tools?.length ? { tools } : {}),
          ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
          ...(request.maxTokens !== undefined ? { max_tokens: request.maxTokens } : {}),
        },
        request.signal ? { signal: request.signal } : {},
      );
    } catch (error) {
      throw toEngineError(error, 'chat');
    }
    // Tool-call arguments arrive in fragments keyed by index; assembled and emitted once the stream ends.
    const calls = new Map<number, ToolCall>();
    let finishReason = 'stop';
    let usage: { promptTokens: number; completionTokens: number } | undefined;
    try {
      for await (const chunk of stream) {
        if (chunk.usage)
          usage = {
            promptTokens: chunk.usage.prompt_tokens,
            completionTokens: chunk.usage.completion_tokens,
          };
        const choice = chunk.choices[0];
        if (!choice) continue;
        const delta = choice.delta;
        if (delta?.content) yield { type: 'token', text: delta.content };
        for (const tc of delta?.tool_calls ?? []) {
          const current = calls.get(tc.index) ?? { id: '', name: '', arguments: '' };
          if (tc.id) current.id = tc.id;
          if (tc.function?.name) current.name += tc.function.name;
          if (tc.function?.arguments) current.arguments += tc.function.arguments;
          calls.set(tc.index, current);
        }
        if (choice.finish_reason) finishReason = choice.finish_reason;
      }
    } catch (error) {
      throw toEngineError(error, 'chat stream');
    }
    if (calls.size > 0) {
      const ordered = [...calls.entries()]
        .sort((a, b) => a[0] - b[0])
        .map(([i, c]) => ({ ...c, id: c.id || `call_${i}` }));
      yield { type: 'tool_calls', calls: ordered };
    }
    yield { type: 'done', finishReason, ...(usage ? { usage } : {}) };
  }

  async complete(
    prompt: string,
    options: { system?: string; maxTokens?: number; temperature?: number; signal?: AbortSignal } = {},
  ): Promise<string> {
    try {
      const response = await this.client.chat.completions.create(
        {
          model: this.chatModel,
          messages: [
            ...(options.system ? [{ role: 'system' as const, content: options.system }] : []),
            { role: 'user' as const, content: prompt },
          ],
          ...(options.maxTokens !== undefined ? { max_tokens: options.maxTokens } : {}),
          ...(options.temperature !== undefined ? { temperature: options.temperature } : {}),
        },
        options.signal ? { signal: options.signal } : {},
      );
      return response.choices[0]?.message?.content ?? '';
    } catch (error) {
      throw toEngineError(error, 'completion');
    }
  }

  async embed(texts: string[], signal?: AbortSignal): Promise<Float32Array[]> {
    if (!this.embeddingModel) {
      throw new EngineError('INVALID_CONFIG', 'no embedding model configured', {
        issues: [{ field: 'model.embeddingModel', message: 'required for the openai embedder' }],
      });
    }
    if (texts.length === 0) return [];
    try {
      const response = await this.client.embeddings.create(
        { model: this.embeddingModel, input: texts, encoding_format: 'float' },
        signal ? { signal } : {},
      );
      const out = new Array<Float32Array>(texts.length);
      for (const item of response.data) out[item.index] = Float32Array.from(item.embedding as number[]);
      if (out.some((v) => !v))
        throw new EngineError('UPSTREAM_ERROR', 'embeddings response is missing items');
      return out;
    } catch (error) {
      throw toEngineError(error, 'embeddings');
    }
  }

  async check(): Promise<HealthCheck> {
    const started = performance.now();
    try {
      const models = await this.client.models.list({ timeout: 5000, maxRetries: 0 });
      const ids = models.data.map((m) => m.id);
      const missing = [this.chatModel, this.embeddingModel].filter(
        (m): m is string => Boolean(m) && !ids.includes(m!),
      );
      const latencyMs = Math.round(performance.now() - started);
      // Some servers list no models or other names (aliases); a reachable server is healthy, a missing model is a hint.
      return {
        name: 'model',
        ok: true,
        detail:
          missing.length && ids.length
            ? `reachable, but ${missing.join(', ')} not among its ${ids.length} listed models`
            : `reachable, chat model ${this.chatModel}`,
        latencyMs,
      };
    } catch (error) {
      const e = toEngineError(error, 'health check');
      return {
        name: 'model',
        ok: false,
        detail: `${e.message}; check model.baseURL and model.apiKey`,
        latencyMs: Math.round(performance.now() - started),
      };
    }
  }
}
