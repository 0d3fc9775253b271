import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createEngineClient, EngineApiError, type EngineClient } from './EngineClient.js';
import {
  askOverStream,
  createAsker,
  followEvents,
  followJob,
  IDLE_ASK_STATE,
  sleep,
  StreamInterruptedError,
  type AskCalls,
  type AskStreamEvent,
  type AskStreamState,
  type JobProgress,
  type UnavailableNote,
} from './streams.js';
import type { Answer, AskRequest } from './types.js';

/**
 * The shared stream logic through the real client against a loopback HTTP server that speaks the engine's wire
 * format and misbehaves as proxies in front of Grafana and Backstage do: it cuts a stream after its first message,
 * refuses event streams, drops an answer half-way, or answers as an engine without the assistant.
 */

type JobMode = 'cut-first' | 'refuse-streams' | 'pass';
type AskMode = 'pass' | 'drop' | 'refuse-streams' | 'invalid' | 'no-assistant' | 'error-event';

const seen = { jobMode: 'pass' as JobMode, askMode: 'pass' as AskMode, streams: 0, polls: 0, asks: 0 };
let server: Server;
let client: EngineClient;

const sse = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

const answer: Answer = {
  answer: 'Roll back with kubectl rollout undo.',
  citations: [{ n: 1, path: 'runbooks/rollback.md', score: 0.9, section: 'Undo', title: 'Rollback' }],
  conversationId: 'c1',
  mode: 'extractive',
  toolCalls: [{ name: 'pods', arguments: {}, ok: true, summary: '3 pods' }],
  turn: 1,
  unanswered: false,
};

function jobEvents(res: ServerResponse) {
  seen.streams++;
  if (seen.jobMode === 'refuse-streams') {
    return json(res, 502, { error: { code: 'BAD_GATEWAY', message: 'event streams are not proxied here' } });
  }
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  res.write(sse('update', { id: 'j1', status: 'running', progress: 0.5 }));
  // The first stream is cut after its first message; a reconnect starts with the current record, as the engine's does.
  if (seen.jobMode === 'cut-first' && seen.streams === 1) return setTimeout(() => res.destroy(), 20);
  setTimeout(() => res.end(sse('done', { id: 'j1', status: 'succeeded', progress: 1 })), 20);
}

async function ask(req: IncomingMessage, res: ServerResponse) {
  const streamed = String(req.headers.accept ?? '').includes('text/event-stream');
  if (seen.askMode === 'refuse-streams' && streamed) {
    res.writeHead(502, 'Bad Gateway', { 'content-type': 'text/html' });
    return res.end('<html>502</html>');
  }
  seen.asks++; // what reached the "engine"
  let body = '';
  for await (const chunk of req) body += String(chunk);
  const { question } = JSON.parse(body) as { question: string };
  if (seen.askMode === 'no-assistant')
    return json(res, 404, { error: { code: 'NOT_FOUND', message: 'no assistant' } });
  if (!question.trim()) {
    return json(res, 400, { error: { code: 'INVALID_INPUT', message: 'question: must not be empty' } });
  }
  if (!streamed) return json(res, 200, answer);
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  res.write(sse('tool', { call: answer.toolCalls[0] }) + sse('token', { text: 'Roll back' }));
  if (seen.askMode === 'drop') return setTimeout(() => res.destroy(), 20);
  if (seen.askMode === 'error-event')
    return res.end(sse('error', { code: 'MODEL_FAILED', message: 'model down' }));
  res.write(
    sse('token', { text: ' with kubectl rollout undo.' }) +
      sse('citation', { citation: answer.citations[0] }),
  );
  setTimeout(() => res.end(sse('done', answer)), 20);
}

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/api/v1/jobs/j1/events') return jobEvents(res);
    if (req.url === '/api/v1/jobs/j1') {
      seen.polls++;
      return json(res, 200, { id: 'j1', status: seen.polls < 2 ? 'running' : 'succeeded' });
    }
    if (req.url === '/api/v1/assistant/ask' && req.method === 'POST') return void ask(req, res);
    json(res, 404, { error: { code: 'NOT_FOUND', message: req.url } });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  client = createEngineClient({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

beforeEach(() => Object.assign(seen, { jobMode: 'pass', askMode: 'pass', streams: 0, polls: 0, asks: 0 }));

type Rec = { id: string; status: string };

async function* records(signal: AbortSignal): AsyncGenerator<Rec> {
  for await (const m of client.stream<Rec>('GET', '/api/v1/jobs/j1/events', undefined, signal)) yield m.data;
}

const options = { maxReconnects: 2, reconnectMs: 20, pollMs: 20 };

async function follow() {
  const updates: Array<JobProgress<Rec>> = [];
  const source = { openStream: records, getJob: () => client.request<Rec>('GET', '/api/v1/jobs/j1') };
  await followJob(source, new AbortController().signal, (u) => updates.push(u), options);
  return { updates, last: updates.filter((u) => u.job).at(-1)?.job };
}

describe('followJob', () => {
  it('reconnects when the stream drops mid-job and ends on the final record, without polling', async () => {
    seen.jobMode = 'cut-first';
    const { updates, last } = await follow();
    expect(last).toMatchObject({ id: 'j1', status: 'succeeded' });
    expect(seen.streams).toBe(2);
    expect(seen.polls).toBe(0);
    expect(updates.some((u) => u.transport === 'poll')).toBe(false);
  });

  it('polls after the first attempt and maxReconnects reconnections are refused, until the record is final', async () => {
    seen.jobMode = 'refuse-streams';
    const { updates, last } = await follow();
    expect(seen.streams).toBe(1 + options.maxReconnects);
    expect(updates.findIndex((u) => u.transport === 'poll')).toBe(0);
    expect(seen.polls).toBe(2);
    expect(last).toMatchObject({ status: 'succeeded' });
  });
});

describe('followEvents', () => {
  it('gives up with false after maxReconnects reconnections, and stops at once when aborted', async () => {
    seen.jobMode = 'refuse-streams';
    expect(await followEvents(records, () => false, new AbortController().signal, options)).toBe(false);
    expect(seen.streams).toBe(3);
    const abort = new AbortController();
    const given = followEvents(records, () => false, abort.signal, {
      maxReconnects: 100,
      reconnectMs: 60_000,
    });
    await sleep(50, new AbortController().signal);
    abort.abort();
    expect(await given).toBe(false);
    expect(seen.streams).toBe(4);
  });
});

/** The plugins' askStream contract: a failure after the answer started is a drop, reported as StreamInterruptedError. */
const calls: AskCalls<AskRequest> = {
  ask: (request) =>
    client.ask(request).catch((error: unknown): UnavailableNote => {
      if (error instanceof EngineApiError && error.status === 404)
        return { unavailable: true, message: error.message };
      throw error;
    }),
  async *askStream(request, signal) {
    let started = false;
    try {
      for await (const message of client.askStream(request, signal)) {
        started = true;
        yield message as AskStreamEvent;
      }
    } catch (error) {
      throw started ? new StreamInterruptedError(`dropped: ${(error as Error).message}`) : error;
    }
  },
};

async function askOnce(question: string, signal = new AbortController().signal) {
  let state: AskStreamState = { ...IDLE_ASK_STATE, phase: 'streaming' };
  const result = await askOverStream(calls, { question }, signal, (change) => {
    state = change(state);
  });
  return { result, state };
}

describe('askOverStream', () => {
  it('folds tool calls, tokens and citations into the state, ending on the done answer', async () => {
    const { result, state } = await askOnce('How do I roll back?');
    expect(result).toEqual(answer);
    expect(state).toMatchObject({
      phase: 'done',
      transport: 'stream',
      text: answer.answer,
      interrupted: false,
    });
    expect(state.tools).toEqual(answer.toolCalls);
    expect(state.citations).toEqual(answer.citations);
    expect(seen.asks).toBe(1);
  });

  it('keeps the partial text when the stream drops, and does not send the question again', async () => {
    seen.askMode = 'drop';
    const { result, state } = await askOnce('How do I roll back?');
    expect(result).toBeUndefined();
    expect(state).toMatchObject({
      phase: 'error',
      interrupted: true,
      text: 'Roll back',
      transport: 'stream',
    });
    expect(state.error).toBeInstanceOf(StreamInterruptedError);
    expect(seen.asks).toBe(1);
  });

  it('asks once over JSON when something in between refuses the stream', async () => {
    seen.askMode = 'refuse-streams';
    const { result, state } = await askOnce('How do I roll back?');
    expect(result).toEqual(answer);
    expect(state).toMatchObject({
      phase: 'done',
      transport: 'json',
      text: answer.answer,
      citations: answer.citations,
    });
    expect(seen.asks).toBe(1);
  });

  it("shows the engine's own refusal as it is, without asking again over JSON", async () => {
    const { result, state } = await askOnce('   ');
    expect(result).toBeUndefined();
    expect(state).toMatchObject({ phase: 'error', transport: 'stream', interrupted: false });
    expect(state.error).toMatchObject({ status: 400, code: 'INVALID_INPUT' });
    expect(seen.asks).toBe(1);
  });

  it('an error event ends the answer with that error, keeping what was streamed', async () => {
    seen.askMode = 'error-event';
    const { state } = await askOnce('How do I roll back?');
    expect(state).toMatchObject({ phase: 'error', text: 'Roll back', error: { code: 'MODEL_FAILED' } });
  });

  it('an engine without the assistant (404) becomes the JSON call’s note, not an error', async () => {
    seen.askMode = 'no-assistant';
    const { result, state } = await askOnce('How do I roll back?');
    expect(result).toBeUndefined();
    expect(state).toMatchObject({ phase: 'done', transport: 'json', unavailable: 'no assistant' });
    expect(state.error).toBeUndefined();
  });

  it('an aborted question leaves the state as it was', async () => {
    const abort = new AbortController();
    abort.abort();
    const { result, state } = await askOnce('How do I roll back?', abort.signal);
    expect(result).toBeUndefined();
    expect(state.phase).toBe('streaming');
  });
});

describe('createAsker', () => {
  it('a new question aborts the last: the first resolves undefined and the state is the second answer alone', async () => {
    type State = AskStreamState & { question?: string };
    let state: State = IDLE_ASK_STATE;
    const asker = createAsker<AskRequest, State>(calls, (next) => {
      state = typeof next === 'function' ? next(state) : next;
    });
    const start = (question: string): State => ({ ...IDLE_ASK_STATE, phase: 'streaming', question });
    const first = asker.ask({ question: 'first?' }, start('first?'));
    await sleep(5, new AbortController().signal);
    const second = asker.ask({ question: 'second?' }, start('second?'));
    expect(await first).toBeUndefined();
    expect(await second).toEqual(answer);
    expect(state).toMatchObject({ phase: 'done', question: 'second?', text: answer.answer });
    expect(state.tools).toEqual(answer.toolCalls);
  });

  it('abort() stops the question in flight and leaves the state where it was', async () => {
    let state: AskStreamState = IDLE_ASK_STATE;
    const asker = createAsker<AskRequest, AskStreamState>(calls, (next) => {
      state = typeof next === 'function' ? next(state) : next;
    });
    const asked = asker.ask({ question: 'How do I roll back?' }, { ...IDLE_ASK_STATE, phase: 'streaming' });
    asker.abort();
    expect(await asked).toBeUndefined();
    expect(state.phase).toBe('streaming');
  });
});
