import { describe, expect, it } from 'vitest';
import { redactSecrets } from './redactSecrets.js';
import { finishesWithin } from '../../../test/support/finishesWithin.js';

describe('redactSecrets', () => {
  const cases: Array<[string, string, string]> = [
    ['password in env', 'DB_PASSWORD=hunter2-very-secret', 'hunter2-very-secret'],
    ['password in yaml', '  password: "s3cr3t value"', 's3cr3t value'],
    ['token in json', '{"access_token": "abc123def456ghi789"}', 'abc123def456ghi789'],
    ['api key in query', 'GET /v1/data?api_key=zzTOPSECRETzz&x=1', 'zzTOPSECRETzz'],
    ['bearer header', 'Authorization: Bearer abcdefghijklmnop1234567890', 'abcdefghijklmnop1234567890'],
    ['aws access key', 'using key AKIAIOSFODNN7EXAMPLE for s3', 'AKIAIOSFODNN7EXAMPLE'],
    ['aws secret', 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'],
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
    ['github token', 'token ghp_abcdefghijklmnopqrstuvwxyz0123456789', 'ghp_abcdefghijklmnopqrstuvwxyz0123456789'],
    ['openai key', 'OPENAI=sk-proj-abcdefghijklmnopqrstuv123', 'sk-proj-abcdefghijklmnopqrstuv123'],
  ];

  it.each(cases)('removes %s', (_name, input, secret) => {
    const { text, redactions } = redactSecrets(input);
    expect(text).not.toContain(secret);
    expect(text).toContain('[REDACTED');
    expect(redactions.length).toBeGreaterThan(0);
  });

  it('keeps the key name so the text still reads', () => {
    expect(redactSecrets('DB_PASSWORD=hunter2').text).toBe('DB_PASSWORD=[REDACTED]');
    expect(redactSecrets('postgres://app:pw@db:5432/x').text).toBe('postgres://app:[REDACTED]@db:5432/x');
  });

  it('leaves ordinary operational text alone', () => {
    const text = 'Back-off restarting failed container cart in pod cart-7d9f (exit code 137, OOMKilled); tokens per second 12';
    expect(redactSecrets(text)).toEqual({ text, redactions: [] });
  });

  it('masks a secret key that follows a plain assignment on the same run, and AWS keys only before the word', () => {
    expect(redactSecrets('a=b.token=c').text).toBe('a=b.token=[REDACTED]');
    expect(redactSecrets('.password=x and my-db-password: "y z"').text).toBe('.password=[REDACTED] and my-db-password: [REDACTED]');
    const key = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    expect(redactSecrets(`${key} is the aws key`).text).toBe('[REDACTED] is the aws key');
    expect(redactSecrets(`aws account, then ${key}`).text).toBe(`aws account, then ${key}`);
    expect(redactSecrets(`${key}\naws`).text).toBe(`${key}\naws`);
  });

  // Inputs the old patterns needed minutes for (cubic on 'token.' runs: 8,000 characters 18.6 s, so 24,000 about
  // 8 min; quadratic on 'A/' lines: 100,000 characters 13.4 s), and the assistant redacts every question a viewer
  // sends. The linear patterns read them in milliseconds; 10 s is the bound, not a speed claim.
  it('reads adversarial text in linear time', { timeout: 60_000 }, async () => {
    const inputs = ['token.'.repeat(4_000), 'A/'.repeat(200_000), 'A/'.repeat(100_000) + ' aws', 'a-'.repeat(100_000), 'x://a:'.repeat(30_000)];
    expect(await finishesWithin(new URL('./redactSecrets.ts', import.meta.url), 'redactSecrets', inputs, 10_000)).toBe(true);
    expect(redactSecrets('token.'.repeat(4_000) + '=s3cret').text.endsWith('=[REDACTED]')).toBe(true);
  });
});
