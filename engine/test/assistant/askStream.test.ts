import { describe, expect, it } from 'vitest';
import { demoServerPerFile } from '../support/demoServerPerFile.js';
import { createEngineClient } from '@ai-cloudops/engine-client';

/**
 * POST /assistant/ask over a real socket, read as a stream by the typed client the plugins use. app.inject hides
 * what only a socket shows: the request's 'close' fires once its body is read, which once ended every POSTed stream
 * before its first event (200 with an empty body).
 */
describe('assistant answers stream over HTTP', () => {
  const server = demoServerPerFile();

  it('sends tokens, then citations, then done with the whole answer', async () => {
    const client = createEngineClient({ baseUrl: server.url });
    const events: Array<{ event: string; data: unknown }> = [];
    for await (const message of client.askStream({ question: 'How do I debug a pod in CrashLoopBackOff?' })) {
      events.push(message as { event: string; data: unknown });
    }
    const kinds = events.map((e) => e.event);
    expect(kinds.filter((k) => k === 'token').length).toBeGreaterThan(1);
    expect(kinds[kinds.length - 1]).toBe('done');
    const done = events[events.length - 1]!.data as { answer: string; citations: unknown[] };
    const streamed = events
      .filter((e) => e.event === 'token')
      .map((e) => (e.data as { text: string }).text)
      .join('');
    expect(done.answer).toBe(streamed);
    expect(done.citations.length).toBeGreaterThan(0);
  }, 60_000);
});
