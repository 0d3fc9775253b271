import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { finishesWithin } from '../../test/support/finishesWithin.js';
import { loggerRedaction, redactDeep, redactRequestUrl, redactText, redactUrlCredentials } from './redact.js';

describe('redactUrlCredentials', () => {
  it.each([
    ['redis://:s3cret@redis:6379/0', 'redis://:***@redis:6379/0'],
    ['rediss://default:s3cret@redis.example:6380', 'rediss://default:***@redis.example:6380'],
    ['https://alice:pa@ss@prom.example/api', 'https://alice:***@prom.example/api'],
    ['https://ghp_abcdefabcdef@github.com/org/repo', 'https://***@github.com/org/repo'],
    [
      'see "postgres://u:p@db/x" and http://plain.example/a@b',
      'see "postgres://u:***@db/x" and http://plain.example/a@b',
    ],
    ['no url here: user:pass@host', 'no url here: user:pass@host'],
  ])('%s', (input, expected) => {
    expect(redactUrlCredentials(input)).toBe(expected);
  });

  // A request URL is redacted for the log line of every request, before auth: the former `\b` start made 'a-a-a-…'
  // quadratic (16 KB: ~130 ms; 1 MB: minutes). 10 s is the bound, far above the linear pattern's milliseconds.
  it('reads a long run of scheme characters in linear time, and still finds the URL after it', { timeout: 60_000 }, async () => {
    const run = 'a-'.repeat(500_000);
    const inputs = [run, `/x?y=${'a+'.repeat(500_000)}`];
    expect(await finishesWithin(new URL('./redact.ts', import.meta.url), 'redactText', inputs, 10_000)).toBe(true);
    expect(redactText(`${run} redis://:pw@r:6379`)).toBe(`${run} redis://:***@r:6379`);
    expect(redactUrlCredentials('x-redis://:pw@r')).toBe('x-redis://:***@r');
  });

  it('masks credential query values and keeps the other parameters', () => {
    expect(redactText('GET https://x.example/a?api-key=k1&api_key=k2&sig=abc%2B&team=ops#t')).toBe(
      'GET https://x.example/a?api-key=***&api_key=***&sig=***&team=ops#t',
    );
    expect(redactText('see http://h/p?token=t0k3n "quoted"')).toBe('see http://h/p?token=*** "quoted"');
  });

  it('masks bearer and basic credentials in free text', () => {
    expect(redactText('Authorization: Bearer abc.def-123 then Basic dXNlcjpwYXNz')).toBe(
      'Authorization: Bearer *** then Basic ***',
    );
  });
});

describe('redactDeep', () => {
  const config = {
    server: { auth: { tokens: [{ name: 'admin', token: 'tok-0123456789abcdef', role: 'admin' }] } },
    metrics: {
      kind: 'prometheus',
      url: 'https://bob:hunter2@prom.example:9090',
      headers: { Authorization: 'Bearer xyz', 'X-Scope-OrgID': 'team-a' },
    },
    store: { kind: 'redis', url: 'redis://:hunter2@redis:6379' },
    model: { provider: 'openai', apiKey: 'sk-live-123', emptyKey: '' },
  };

  it('leaves no secret anywhere in the copy and keeps the shape', () => {
    const out = redactDeep(config);
    const text = JSON.stringify(out);
    for (const secret of ['tok-0123456789abcdef', 'hunter2', 'Bearer xyz', 'team-a', 'sk-live-123']) {
      expect(text).not.toContain(secret);
    }
    expect(out.store.url).toBe('redis://:***@redis:6379');
    expect(out.metrics.url).toBe('https://bob:***@prom.example:9090');
    expect(Object.keys(out.metrics.headers)).toEqual(['Authorization', 'X-Scope-OrgID']);
    expect(out.server.auth.tokens[0]).toEqual({ name: 'admin', token: '[redacted]', role: 'admin' });
    expect(config.store.url).toContain('hunter2');
  });
});

describe('redactRequestUrl', () => {
  it('drops the search text unless query logging is on, and keeps other parameters', () => {
    expect(redactRequestUrl('/api/v1/assistant/search?q=why+is+payments+down&k=5', false)).toBe(
      '/api/v1/assistant/search?q=%5Bredacted%5D&k=5',
    );
    expect(redactRequestUrl('/api/v1/assistant/search?q=why&k=5', true)).toBe(
      '/api/v1/assistant/search?q=why&k=5',
    );
    expect(redactRequestUrl('/api/v1/workloads?namespace=shop', false)).toBe(
      '/api/v1/workloads?namespace=shop',
    );
  });
});

function capture(logQueries: boolean) {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, logger: pino({ redact: loggerRedaction({ logQueries }) }, sink) };
}

describe('loggerRedaction', () => {
  it('keeps credentials, tokens, config secrets and query text out of log lines', () => {
    const { lines, logger } = capture(false);
    logger.info(
      {
        req: {
          method: 'GET',
          url: '/api/v1/assistant/search?q=secret+plan',
          headers: { authorization: 'Bearer t0ken' },
        },
      },
      'incoming request',
    );
    logger.info({ url: 'redis://:hunter2@redis:6379' }, 'metrics: reading Prometheus');
    logger.info({ config: { store: { url: 'redis://:hunter2@r' }, model: { apiKey: 'sk-1' } } }, 'config');
    logger.info({ question: 'is payments leaking card numbers?' }, 'ask');
    logger.error({ err: new Error('connect ECONNREFUSED redis://:hunter2@redis:6379') }, 'request failed');
    const text = lines.join('');
    for (const secret of ['secret+plan', 'secret plan', 't0ken', 'hunter2', 'sk-1', 'card numbers'])
      expect(text).not.toContain(secret);
    expect(text).toContain('redis://:***@redis:6379');
    expect(text).toContain('/api/v1/assistant/search?q=%5Bredacted%5D');
    expect(text).toContain('connect ECONNREFUSED redis://:***@redis:6379');
  });

  it('logs query text when server.logQueries is on, still without credentials', () => {
    const { lines, logger } = capture(true);
    logger.info(
      { req: { url: '/api/v1/assistant/search?q=payments' }, question: 'why?' },
      'incoming request',
    );
    logger.info({ url: 'redis://:hunter2@redis:6379' }, 'x');
    const text = lines.join('');
    expect(text).toContain('q=payments');
    expect(text).toContain('why?');
    expect(text).not.toContain('hunter2');
  });
});
