import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { startServer, type RunningServer } from '../../src/server/startServer.js';

/**
 * Issue 9: any viewer could read or append to any conversation id a client chose, and conversations grew without
 * limit. Two viewer tokens against a real server; the conversation bound set to 2 turns.
 */

const ALICE = 'alice-token-0123456789';
const BOB = 'bob-token-0123456789abc';
const dataDir = mkdtempSync(join(tmpdir(), 'conversations-'));
let server: RunningServer;

beforeAll(async () => {
  server = await startServer({
    config: {
      logLevel: 'silent',
      dataDir,
      server: {
        port: 0,
        auth: {
          enabled: true,
          tokens: [
            { name: 'alice', token: ALICE, role: 'viewer' },
            { name: 'bob', token: BOB, role: 'viewer' },
          ],
        },
      },
      cluster: { kind: 'simulated', injectFaults: false },
      assistant: { answer: { maxConversationTurns: 2 } },
    },
    logger: pino({ level: 'silent' }),
  });
}, 60_000);
afterAll(async () => {
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const call = (
  token: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) =>
  fetch(`${server.url}/api/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });

describe('conversations', () => {
  it('belong to the identity that started them: another token gets 404 reading, appending or rating', async () => {
    const first = await call(ALICE, 'POST', '/assistant/ask', {
      question: 'pod is CrashLoopBackOff, what do I check?',
    });
    expect(first.status).toBe(200);
    const { conversationId } = (await first.json()) as { conversationId: string };

    const own = await call(ALICE, 'GET', `/assistant/conversations/${conversationId}`);
    expect(own.status).toBe(200);
    const conversation = (await own.json()) as Record<string, unknown> & { turns: unknown[] };
    expect(conversation.turns).toHaveLength(1);
    expect(conversation).not.toHaveProperty('owner');

    expect((await call(BOB, 'GET', `/assistant/conversations/${conversationId}`)).status).toBe(404);
    expect(
      (await call(BOB, 'POST', '/assistant/ask', { question: 'and then?', conversationId })).status,
    ).toBe(404);
    const streamed = await call(
      BOB,
      'POST',
      '/assistant/ask',
      { question: 'and then?', conversationId },
      { accept: 'text/event-stream' },
    );
    expect(streamed.status).toBe(404);
    expect((await call(BOB, 'POST', '/assistant/feedback', { conversationId, rating: 'down' })).status).toBe(
      404,
    );
    // Bob's attempts added nothing to Alice's conversation.
    const after = (await (await call(ALICE, 'GET', `/assistant/conversations/${conversationId}`)).json()) as {
      turns: unknown[];
    };
    expect(after.turns).toHaveLength(1);
    expect((await call(ALICE, 'POST', '/assistant/feedback', { conversationId, rating: 'up' })).status).toBe(
      201,
    );
    // An id nobody started answers the same 404, so a 404 does not tell that an id exists; nothing is created.
    for (const accept of ['application/json', 'text/event-stream']) {
      expect(
        (
          await call(
            BOB,
            'POST',
            '/assistant/ask',
            { question: 'and then?', conversationId: 'made-up-id' },
            { accept },
          )
        ).status,
      ).toBe(404);
    }
    expect((await call(BOB, 'GET', '/assistant/conversations/made-up-id')).status).toBe(404);
  }, 60_000);

  it('are bounded in turns: the question past the limit is refused with 409 and the conversation is unchanged', async () => {
    const ask = (conversationId?: string) =>
      call(ALICE, 'POST', '/assistant/ask', {
        question: 'OOMKilled container, how to fix?',
        ...(conversationId ? { conversationId } : {}),
      });
    const { conversationId } = (await (await ask()).json()) as { conversationId: string };
    expect((await ask(conversationId)).status).toBe(200);
    const full = await ask(conversationId);
    expect(full.status).toBe(409);
    const body = (await full.json()) as {
      error: { code: string; message: string; issues: Array<{ field: string }> };
    };
    expect(body.error.code).toBe('CONFLICT');
    expect(body.error.issues[0]!.field).toBe('body.conversationId');
    const stored = (await (
      await call(ALICE, 'GET', `/assistant/conversations/${conversationId}`)
    ).json()) as { turns: unknown[] };
    expect(stored.turns).toHaveLength(2);
    // A new conversation is always possible.
    expect((await ask()).status).toBe(200);
  }, 60_000);
});
