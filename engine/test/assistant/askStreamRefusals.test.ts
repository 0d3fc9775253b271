import { describe, expect, it } from 'vitest';
import { demoServerPerFile } from '../support/demoServerPerFile.js';

/**
 * A streamed ask is refused as the JSON one is: asked about a workload the namespace does not have, the JSON form
 * answered 404 naming body.workload while the streamed form (Accept: text/event-stream) answered 200 and then an
 * `event: error` NOT_FOUND, which a client reading the status cannot tell from an answer. Real HTTP, the demo world.
 */
describe('POST /assistant/ask about a workload that does not exist', () => {
  const server = demoServerPerFile();

  const ask = (body: unknown, accept: string) =>
    fetch(`${server.url}/api/v1/assistant/ask`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept },
      body: JSON.stringify(body),
    });
  const body = { question: 'why', workload: 'nosuch', namespace: 'shop' };

  it('is the same 404 naming body.workload, streamed or not', async () => {
    const json = await ask(body, 'application/json');
    const streamed = await ask(body, 'text/event-stream');
    const bodyOf = async (res: Response) => ({
      status: res.status,
      type: res.headers.get('content-type'),
      error: ((await res.json()) as { error: { code: string; issues: unknown[] } }).error,
    });
    const [a, b] = [await bodyOf(json), await bodyOf(streamed)];
    expect(a.status).toBe(404);
    expect(a.error.code).toBe('NOT_FOUND');
    expect(a.error.issues).toEqual([expect.objectContaining({ field: 'body.workload' })]);
    expect(b.status).toBe(404);
    expect(b.type).toMatch(/^application\/json/);
    expect(b.error.code).toBe(a.error.code);
    expect(b.error.issues).toEqual(a.error.issues);
    // So does `stream: true` in the body.
    expect((await ask({ ...body, stream: true }, '*/*')).status).toBe(404);
  });

  it('still streams about a workload that exists', async () => {
    const res = await ask({ question: 'why', workload: 'checkout', namespace: 'shop' }, 'text/event-stream');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const text = await res.text();
    expect(text).toContain('event: done');
    expect(text).not.toContain('event: error');
  });
});
