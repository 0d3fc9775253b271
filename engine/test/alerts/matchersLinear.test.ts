import { describe, expect, it } from 'vitest';
import { matches, parseMatcher } from '../../src/alerts/matchers.js';
import { EngineError } from '../../src/errors.js';
import { suppressionBodySchema } from '../../src/alerts/schemas.js';
import { finishesWithin } from '../support/finishesWithin.js';

describe('alert label matchers', () => {
  it('match in linear time (RE2, as Alertmanager): a backtracking suppression does not hold the engine', async () => {
    // JS's RegExp: 1.2 s for 34 characters, x1.6 per character more; 60 would take hours.
    const fixture = new URL('./fixtures/matchSuppression.ts', import.meta.url);
    expect(await finishesWithin(fixture, 'matchSuppression', ['a'.repeat(60)], 20_000)).toBe(true);
  }, 60_000);

  it('keep Alertmanager semantics: anchored, a missing label is empty, and what RE2 refuses is INVALID_INPUT', () => {
    expect(matches(parseMatcher('service=~"check.*"'), { service: 'checkout' })).toBe(true);
    expect(matches(parseMatcher('service=~"check"'), { service: 'checkout' })).toBe(false);
    expect(matches(parseMatcher('team!~".+"'), { service: 'checkout' })).toBe(true);
    expect(() => parseMatcher('service=~"(a)\\\\1"')).toThrow(EngineError);
  });

  it('bound a suppression: at most 100 matchers of at most 1024 characters', () => {
    const base = { kind: 'maintenance', startsAt: '2026-12-07T00:00:00Z', endsAt: '2026-12-07T01:00:00Z' };
    expect(suppressionBodySchema.safeParse({ ...base, matchers: Array(101).fill('a="b"') }).success).toBe(
      false,
    );
    const long = suppressionBodySchema.safeParse({ ...base, matchers: [`a="${'x'.repeat(1100)}"`] });
    expect(long.success ? [] : long.error.issues.map((i) => i.path.join('.'))).toEqual(['matchers.0']);
  });
});
