import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { loggerRedaction, redactRequestUrl } from './redact.js';

/** Query text is redacted from logged URLs whatever the parameter name's case (`?Q=hunter3` was logged as typed). */
describe('query text redaction ignores the parameter name case', () => {
  it('redacts q, Q, question and QUESTION alike, keeping other parameters and their case', () => {
    expect(redactRequestUrl('/api/v1/assistant/search?Q=hunter3&k=5', false)).toBe(
      '/api/v1/assistant/search?Q=%5Bredacted%5D&k=5',
    );
    expect(redactRequestUrl('/api/v1/assistant/search?q=hunter3&K=5', false)).toBe(
      '/api/v1/assistant/search?q=%5Bredacted%5D&K=5',
    );
    expect(redactRequestUrl('/x?Question=hunter3&QUESTION=hunter4', false)).toBe(
      '/x?Question=%5Bredacted%5D&QUESTION=%5Bredacted%5D',
    );
    // Percent-encoded names are decoded before they are matched: %51 is Q.
    expect(redactRequestUrl('/x?%51=hunter3', false)).not.toContain('hunter3');
    expect(redactRequestUrl('/x?Q=hunter3', true)).toBe('/x?Q=hunter3');
  });

  it('keeps ?Q= out of a request log line', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = pino({ redact: loggerRedaction({ logQueries: false }) }, sink);
    logger.info({ req: { method: 'GET', url: '/api/v1/assistant/search?Q=hunter3' } }, 'incoming request');
    expect(lines.join('')).not.toContain('hunter3');
    expect(lines.join('')).toContain('/api/v1/assistant/search?Q=%5Bredacted%5D');
  });
});
