import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { finishesWithin } from '../../test/support/finishesWithin.js';
import {
  loggerRedaction,
  redactDeep,
  redactRequestUrl,
  redactSecrets,
  redactText,
  redactUrlCredentials,
} from './redact.js';

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
  it(
    'reads a long run of scheme characters in linear time, and still finds the URL after it',
    { timeout: 60_000 },
    async () => {
      const run = 'a-'.repeat(500_000);
      const inputs = [run, `/x?y=${'a+'.repeat(500_000)}`];
      expect(
        await finishesWithin(new URL('./redact.ts', import.meta.url), 'redactText', inputs, 10_000),
      ).toBe(true);
      expect(redactText(`${run} redis://:pw@r:6379`)).toBe(`${run} redis://:***@r:6379`);
      expect(redactUrlCredentials('x-redis://:pw@r')).toBe('x-redis://:***@r');
    },
  );

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

  it('masks credential query values as redactText does, with query logging on or off', () => {
    for (const logQueries of [false, true]) {
      expect(redactRequestUrl('/api/v1/workloads?namespace=shop&api_key=zzzsecret', logQueries)).toBe(
        '/api/v1/workloads?namespace=shop&api_key=***',
      );
      expect(redactRequestUrl('/x?Token=a&SIG=b&k=5', logQueries)).toBe('/x?Token=***&SIG=***&k=5');
      // A percent-encoded name is the same parameter to the server: %74oken is token.
      expect(redactRequestUrl('/x?%74oken=hunter3', logQueries)).toBe('/x?token=***');
    }
    expect(redactRequestUrl('/api/v1/assistant/search?q=a&token=secret123', false)).toBe(
      '/api/v1/assistant/search?q=%5Bredacted%5D&token=***',
    );
    expect(redactRequestUrl('/x?next=%2Fy&token=a&token=b', true)).toBe('/x?next=%2Fy&token=***&token=***');
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

describe('redactSecrets', () => {
  const cases: Array<[string, string, string]> = [
    ['password in env', 'DB_PASSWORD=hunter2-very-secret', 'hunter2-very-secret'],
    ['password in yaml', '  password: "s3cr3t value"', 's3cr3t value'],
    ['token in json', '{"access_token": "abc123def456ghi789"}', 'abc123def456ghi789'],
    ['api key in query', 'GET /v1/data?api_key=zzTOPSECRETzz&x=1', 'zzTOPSECRETzz'],
    ['bearer header', 'Authorization: Bearer abcdefghijklmnop1234567890', 'abcdefghijklmnop1234567890'],
    ['aws access key', 'using key AKIAIOSFODNN7EXAMPLE for s3', 'AKIAIOSFODNN7EXAMPLE'],
    [
      'aws secret',
      'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    ],
    [
      'jwt',
      'session eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U ok',
      'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0',
    ],
    [
      'private key',
      'key:\n-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7\nabcdef\n-----END RSA PRIVATE KEY-----\nafter',
      'MIIEowIBAAKCAQEA7',
    ],
    ['postgres url', 'connecting to postgres://app:Pa55word@db.shop.svc:5432/orders', 'Pa55word'],
    ['redis url', 'REDIS_URL=redis://default:r3disPass@redis:6379', 'r3disPass'],
    [
      'github token',
      'token ghp_abcdefghijklmnopqrstuvwxyz0123456789',
      'ghp_abcdefghijklmnopqrstuvwxyz0123456789',
    ],
    ['openai key', 'OPENAI=sk-proj-abcdefghijklmnopqrstuv123', 'sk-proj-abcdefghijklmnopqrstuv123'],
  ];

  it.each(cases)('removes %s', (_name, input, secret) => {
    const { text, redactions } = redactSecrets(input);
    expect(text).not.toContain(secret);
    expect(text).toContain('[REDACTED');
    expect(redactions.length).toBeGreaterThan(0);
  });

  // The URL and query-parameter patterns are redactText's: one way to find a credential in a URL.
  it('masks URL credentials and query parameters as redactText finds them', () => {
    expect(redactSecrets('clone https://ghp_abcdefabcdef@github.com/org/repo').text).toBe(
      'clone https://[REDACTED]@github.com/org/repo',
    );
    expect(redactSecrets('https://alice:pa@ss@prom.example/api').text).toBe(
      'https://alice:[REDACTED]@prom.example/api',
    );
    expect(redactSecrets('GET /blob?sv=2024&sig=AbCdEf%2B123&se=1').text).toBe(
      'GET /blob?sv=2024&sig=[REDACTED]&se=1',
    );
    expect(redactSecrets('see http://plain.example/a@b').redactions).toEqual([]);
  });

  it('keeps the key name so the text still reads', () => {
    expect(redactSecrets('DB_PASSWORD=hunter2').text).toBe('DB_PASSWORD=[REDACTED]');
    expect(redactSecrets('postgres://app:pw@db:5432/x').text).toBe('postgres://app:[REDACTED]@db:5432/x');
  });

  it('leaves ordinary operational text alone', () => {
    const text =
      'Back-off restarting failed container cart in pod cart-7d9f (exit code 137, OOMKilled); tokens per second 12';
    expect(redactSecrets(text)).toEqual({ text, redactions: [] });
  });

  it('masks a secret key that follows a plain assignment on the same run, and AWS keys only before the word', () => {
    expect(redactSecrets('a=b.token=c').text).toBe('a=b.token=[REDACTED]');
    expect(redactSecrets('.password=x and my-db-password: "y z"').text).toBe(
      '.password=[REDACTED] and my-db-password: [REDACTED]',
    );
    const key = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    expect(redactSecrets(`${key} is the aws key`).text).toBe('[REDACTED] is the aws key');
    expect(redactSecrets(`aws account, then ${key}`).text).toBe(`aws account, then ${key}`);
    expect(redactSecrets(`${key}\naws`).text).toBe(`${key}\naws`);
  });

  // Inputs the old patterns needed minutes for (cubic on 'token.' runs: 8,000 characters 18.6 s, so 24,000 about
  // 8 min; quadratic on 'A/' lines: 100,000 characters 13.4 s), and the assistant redacts every question a viewer
  // sends. The linear patterns read them in milliseconds; 10 s is the bound, not a speed claim.
  it('reads adversarial text in linear time', { timeout: 60_000 }, async () => {
    const inputs = [
      'token.'.repeat(4_000),
      'A/'.repeat(200_000),
      'A/'.repeat(100_000) + ' aws',
      'a-'.repeat(100_000),
      'x://a:'.repeat(30_000),
    ];
    expect(
      await finishesWithin(new URL('./redact.ts', import.meta.url), 'redactSecrets', inputs, 10_000),
    ).toBe(true);
    expect(redactSecrets('token.'.repeat(4_000) + '=s3cret').text.endsWith('=[REDACTED]')).toBe(true);
  });
});
