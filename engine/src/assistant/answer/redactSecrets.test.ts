import { describe, expect, it } from 'vitest';
import { redactSecrets } from './redactSecrets.js';

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
});
