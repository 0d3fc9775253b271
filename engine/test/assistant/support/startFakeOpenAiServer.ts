import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small OpenAI-compatible HTTP server for tests: /v1/models, /v1/chat/completions (JSON and `stream: true` SSE,
 * with tool calls split over several chunks as real servers do) and /v1/embeddings (a deterministic hashed
 * bag-of-words, so similar texts get similar vectors). What the chat "model" says is decided per request by the
 * test's `reply` function; every request body is recorded.
 */

export interface FakeReply {
  content?: string;
  toolCalls?: Array<{ name: string; arguments: Record<string, unknown> }>;
  /** HTTP status to fail with instead of answering. */
  status?: number;
  /** Milliseconds to wait before answering (a slow model, for timeouts). */
  delayMs?: number;
}

export interface ChatCompletionBody {
  model: string;
  stream?: boolean;
  messages: Array<{ role: string; content: string | null; tool_calls?: unknown[]; tool_call_id?: string }>;
  tools?: Array<{ type: string; function: { name: string } }>;
}

export interface FakeOpenAiServer {
  url: string;
  baseURL: string;
  chatRequests: ChatCompletionBody[];
  embeddingRequests: Array<{ model: string; input: string[] }>;
  stop(): Promise<void>;
}

export const FAKE_EMBEDDING_DIMS = 64;

export function hashedEmbedding(text: string, dims = FAKE_EMBEDDING_DIMS): number[] {
  const v = new Array<number>(dims).fill(0);
  for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
    let h = 2166136261;
    for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), 16777619);
    v[(h >>> 0) % dims]! += 1;
  }
  const n = Math.sqrt(v.reduce((s, x) => s + x * x, 0)) || 1;
  return v.map((x) => x / n);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return JSON.parse(Buffer.concat(parts).toString('utf8') || '{}');
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

export async function startFakeOpenAiServer(
  reply: (body: ChatCompletionBody) => FakeReply = () => ({ content: 'ok' }),
  /** `tokenDelayMs`: a pause before each streamed content token, so a client sees the answer arrive over time. */
  options: { models?: string[]; tokenDelayMs?: number } = {},
): Promise<FakeOpenAiServer> {
  const chatRequests: ChatCompletionBody[] = [];
  const embeddingRequests: Array<{ model: string; input: string[] }> = [];
  const server = createServer((req, res) => {
    void (async () => {
      try {
        if (req.method === 'GET' && req.url === '/v1/models') {
          const ids = options.models ?? ['fake-chat', 'fake-embed'];
          return send(res, 200, {
            object: 'list',
            data: ids.map((id) => ({ id, object: 'model', created: 0, owned_by: 'test' })),
          });
        }
        if (req.method === 'POST' && req.url === '/v1/embeddings') {
          const body = (await readJson(req)) as { model: string; input: string | string[] };
          const input = Array.isArray(body.input) ? body.input : [body.input];
          embeddingRequests.push({ model: body.model, input });
          return send(res, 200, {
            object: 'list',
            model: body.model,
            data: input.map((text, index) => ({
              object: 'embedding',
              index,
              embedding: hashedEmbedding(text),
            })),
            usage: { prompt_tokens: 1, total_tokens: 1 },
          });
        }
        if (req.method === 'POST' && req.url === '/v1/chat/completions') {
          const body = (await readJson(req)) as ChatCompletionBody;
          chatRequests.push(body);
          const answer = reply(body);
          if (answer.delayMs) await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
          if (res.destroyed) return;
          if (answer.status)
            return send(res, answer.status, { error: { message: 'scripted failure', type: 'test' } });
          const toolCalls = (answer.toolCalls ?? []).map((c, i) => ({
            index: i,
            id: `call_${chatRequests.length}_${i}`,
            type: 'function',
            function: { name: c.name, arguments: JSON.stringify(c.arguments) },
          }));
          const finish = toolCalls.length ? 'tool_calls' : 'stop';
          const base = { id: `chatcmpl-${chatRequests.length}`, created: 0, model: body.model };
          if (!body.stream) {
            return send(res, 200, {
              ...base,
              object: 'chat.completion',
              choices: [
                {
                  index: 0,
                  finish_reason: finish,
                  message: {
                    role: 'assistant',
                    content: answer.content ?? null,
                    ...(toolCalls.length ? { tool_calls: toolCalls.map(({ index: _i, ...c }) => c) } : {}),
                  },
                },
              ],
              usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
            });
          }
          res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
          const chunk = (delta: unknown, finishReason: string | null = null) =>
            res.write(
              `data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finishReason }] })}\n\n`,
            );
          chunk({ role: 'assistant', content: '' });
          for (const token of (answer.content ?? '').match(/\S+\s*|\s+/g) ?? []) {
            if (options.tokenDelayMs)
              await new Promise((resolve) => setTimeout(resolve, options.tokenDelayMs));
            if (res.destroyed) return;
            chunk({ content: token });
          }
          for (const call of toolCalls) {
            // Name first, arguments in two fragments: the provider must reassemble them.
            chunk({
              tool_calls: [
                {
                  index: call.index,
                  id: call.id,
                  type: 'function',
                  function: { name: call.function.name, arguments: '' },
                },
              ],
            });
            const args = call.function.arguments;
            const mid = Math.floor(args.length / 2);
            chunk({ tool_calls: [{ index: call.index, function: { arguments: args.slice(0, mid) } }] });
            chunk({ tool_calls: [{ index: call.index, function: { arguments: args.slice(mid) } }] });
          }
          chunk({}, finish);
          res.write(
            `data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices: [], usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 } })}\n\n`,
          );
          res.end('data: [DONE]\n\n');
          return;
        }
        send(res, 404, { error: { message: `no route ${req.method} ${req.url}` } });
      } catch (error) {
        send(res, 500, { error: { message: String(error) } });
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    baseURL: `${url}/v1`,
    chatRequests,
    embeddingRequests,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
